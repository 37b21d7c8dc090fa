import BlazeFace
import CMicroPlan
import Engine
import Foundation
import Imaging
import MicroExport
import Testing
import TestSupport

/// The exported plan run on the host by the firmware's own Embedded Swift code (MicroKernels)
/// must give the host engine's tensors and `FaceDetector`'s faces, bit for bit.
@Suite struct MicroProgramTests {
    static let goldenInputs = ["minus1", "noise", "photo_unit", "plus1"]

    /// 8-bit pixels of a golden input (float32 pixel / 255).
    static func pixels(_ g: GoldenCase) throws -> [UInt8] {
        let input = try #require(g.input)
        return g.floats(input).map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
    }

    @Test(.requires(.int8Model, .golden), arguments: goldenInputs)
    func outputsMatchTheGoldenTensorsAndTheEngine(name: String) throws {
        let export = try MicroExport(modelPath: SharedData.int8Model)
        let program = MicroProgram(export)
        let g = try GoldenCase(model: "st_int8", name: name)
        let pixels = try Self.pixels(g)
        // The firmware takes 8-bit pixels: only golden inputs that are pixel / 255 are comparable.
        let exact = pixels.map { Float($0) / 255 } == g.floats(try #require(g.input))
        let (_, arena) = program.run(pixels: pixels)
        let host = Interpreter(try CompiledModel(model: export.model.model))
        try pixels.withUnsafeBufferPointer { try host.setInput(0, pixels: $0) }
        host.invoke()
        #expect(export.io.outputs.count == 4)
        for (k, out) in export.io.outputs.enumerated() {
            let ours = Array(arena[out.offset..<(out.offset + 4 * out.count)])
            #expect(ours == Array(try #require(host.output(k))), "output \(k) differs from the host engine's")
            if exact {
                let entry = try #require(g.outputs.first { $0.tensor_index == export.model.outputIndices[k] })
                #expect(ours == g.bytes(entry), "output \(k) differs from the golden tensor")
            }
        }
    }

    @Test(.requires(.int8Model, .samples))
    func facesMatchTheDetectorOnLetterboxedPhotos() throws {
        let export = try MicroExport(modelPath: SharedData.int8Model)
        let program = MicroProgram(export)
        let detector = try FaceDetector(modelPath: SharedData.int8Model)
        var total = 0
        for photo in SharedData.files(under: "data/samples/photos", extension: "jpg").prefix(6) {
            let image = try ImageDecoder.decode(path: photo)
            let pixels = ModelInput.prepare(image, size: 128, mode: .letterbox).pixels
            let frame = try RGBImage(width: 128, height: 128, pixels: pixels)
            let host = detector.detect(in: frame)
            let (faces, _) = program.run(pixels: pixels)
            #expect(faces.count == host.count, "\(photo): \(faces.count) faces on the plan, \(host.count) on the host")
            for (m, h) in zip(faces, host) {
                #expect([m.x, m.y, m.width, m.height, m.score] == [h.box.x, h.box.y, h.box.width, h.box.height, h.score], "\(photo)")
                let kp = withUnsafeBytes(of: m.keypoints) { Array($0.bindMemory(to: Float.self)) }
                let hk = FaceKeypoint.allCases.compactMap { h.keypoints[$0] }.flatMap { [$0.x, $0.y] }
                #expect(Array(kp.prefix(hk.count)) == hk, "\(photo): keypoints")
            }
            total += host.count
        }
        #expect(total >= 3, "the sample photos should give faces")
    }
}
