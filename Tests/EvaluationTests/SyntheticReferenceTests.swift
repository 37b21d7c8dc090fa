import Foundation
import TestSupport
import Testing
@testable import Evaluation

/// The independent check: figures computed by `scripts/wider_eval_reference.py` (numpy 2.4.6,
/// scipy 1.17.1, Python 3; ground truth read with scipy.io.loadmat) for the synthetic set that
/// ``SyntheticPredictions`` regenerates here without Python.
@Suite("Independent reference figures")
struct SyntheticReferenceTests {
    static let referenceAP: [WiderDifficulty: Double] = [
        .easy: 0.5567924810623597,
        .medium: 0.6104894229455452,
        .hard: 0.649210910705885,
    ]
    static let referenceCountedFaces: [WiderDifficulty: Int] = [.easy: 565, .medium: 1340, .hard: 3805]
    static let referenceSTAP = 0.7453770726872195

    @Test("Official WIDER AP equals the Python reference (MAT and text ground truth, via files)", .requires(.wider))
    func widerOfficial() throws {
        let text = try Loaded.textGroundTruth.get()
        let keys = try WiderGroundTruth.imageKeys(inImageDirectory: SharedData.imageDirectory)
        let mat = try Loaded.matGroundTruth.get().restricted(to: keys)
        let generated = SyntheticPredictions.generate(groundTruth: text)
        #expect(generated.images.count == 200)
        #expect(generated.boxCount == 4385)

        // Through the submission layout and back.
        let folder = try makeTemporaryDirectory("synthetic")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try generated.write(to: folder)
        let predictions = try WiderPredictionSet.load(from: folder)
        #expect(predictions == generated)

        for truth in [mat, text] {
            let result = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: predictions)
            #expect(result.imageCount == 203)
            #expect(result.imagesWithPredictions == 195)
            #expect(result.predictionCount == 4385)
            for difficulty in WiderDifficulty.allCases {
                let reference = try #require(Self.referenceAP[difficulty])
                let difference = abs(result[difficulty].averagePrecision - reference)
                #expect(difference < 1e-9, "\(difficulty): \(result[difficulty].averagePrecision) vs \(reference)")
                print("synthetic \(difficulty): Swift \(result[difficulty].averagePrecision) Python \(reference) difference \(difference)")
                #expect(result[difficulty].countedFaces == Self.referenceCountedFaces[difficulty])
            }
        }
    }

    @Test("ST AP@0.5 equals the Python reference", .requires(.wider))
    func stProtocol() throws {
        let text = try Loaded.textGroundTruth.get()
        var sizes: [String: ImageSize] = [:]
        for key in text.keys {
            let size = try #require(jpegSize(path: SharedData.imageDirectory + "/" + key + ".jpg"))
            sizes[key] = size
        }
        let predictions = SyntheticPredictions.generate(groundTruth: text)
        let result = try STProtocol.evaluate(groundTruth: text, predictions: predictions, imageSizes: sizes)
        #expect(result.groundTruthCount == 4760)
        #expect(result.detectionCount == 4385)
        #expect(result.truePositives == 3435)
        #expect(abs(result.averagePrecision - Self.referenceSTAP) < 1e-9)
        print("synthetic ST: Swift \(result.averagePrecision) Python \(Self.referenceSTAP)")
    }
}
