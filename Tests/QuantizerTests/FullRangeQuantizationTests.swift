import BlazeFace
import Engine
import Foundation
import Imaging
@testable import Quantizer
import Testing
import TestSupport
import TFLite

/// Quantizes MediaPipe's full-range model (RESIZE_BILINEAR among its ops) on
/// the astronaut photo: the file is written, reads back, runs in our engine and finds the face.
/// (Writing this model once trapped in debug builds: an exclusive-access conflict on the model
/// under construction.)
@Suite struct FullRangeQuantizationTests {
    @Test func quantizedFullRangeModelFindsTheAstronaut() throws {
        let path = SharedData.fetchedModel("face_detection_full_range.tflite")
        let floatModel = try TFLiteModel(contentsOfFile: path)
        let floatDetector = try FaceDetector(modelPath: path)
        let photos = try CalibrationImages(paths: [SharedData.samplePhoto], detector: floatDetector, tilesPerImage: 2, contentOnly: true)
        let quantizer = try Quantizer(model: floatModel)
        let stats = try quantizer.calibrate(count: photos.pixels.count) { photos.input($0) }
        let result = try quantizer.quantize(statistics: stats, options: QuantizerOptions(inputRange: -1...1))
        let q = try TFLiteModel(bytes: result.bytes)
        let ops = q.subgraphs[0].operators.compactMap { q.code(of: $0)?.builtin }
        #expect(ops.first == .quantize && ops.contains(.resizeBilinear) && ops.filter { $0 == .conv2D || $0 == .depthwiseConv2D }.count > 50)

        let image = try ImageDecoder.decode(path: SharedData.samplePhoto)
        let int8Faces = try FaceDetector(model: CompiledModel(model: q), family: .fullRange).detect(in: image)
        let f = try #require(floatDetector.detect(in: image).first)
        #expect(int8Faces.count == 1, "\(int8Faces)")
        let i = try #require(int8Faces.first)
        #expect(abs(i.box.x - f.box.x) < 8 && abs(i.box.y - f.box.y) < 8 && i.score >= 0.8, "int8 \(i), float \(f)")
    }
}
