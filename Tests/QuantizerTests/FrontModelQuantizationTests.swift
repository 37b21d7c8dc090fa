import BlazeFace
import Engine
import Foundation
import Imaging
@testable import Quantizer
import Testing
import TestSupport
import TFLite

/// Quantizes MediaPipe's float front model on the astronaut photo (and tiles of it): the int8
/// model runs in our engine, stays close to the float model and finds the same face.
@Suite struct FrontModelQuantizationTests {
    @Test func quantizedFrontModelFindsTheAstronaut() throws {
        let floatModel = try TFLiteModel(contentsOfFile: SharedData.floatModel)
        let floatDetector = try FaceDetector(modelPath: SharedData.floatModel)
        // The whole photo (square: no letterbox padding) and four crops inside it. (Tiles past the
        // border are black there, and MediaPipe's float activations explode on black: one such
        // input in seven would set most ranges.)
        let photos = try CalibrationImages(paths: [SharedData.samplePhoto], detector: floatDetector, tilesPerImage: 0)
        #expect(photos.pixels.count == 1)
        let image = try ImageDecoder.decode(path: SharedData.samplePhoto)
        var inputs = [photos.input(0)]
        for (x, y, size) in [(0, 0, 320), (192, 0, 320), (100, 40, 256), (96, 192, 320)] {
            let region = try #require(ModelInput.prepareRegion(image, x: x, y: y, size: size, outputSize: 128))
            inputs.append(ModelInput.normalize(region.pixels, scale: photos.scale, offset: photos.offset))
        }
        let quantizer = try Quantizer(model: floatModel)
        let stats = try quantizer.calibrate(inputs: inputs)
        let result = try quantizer.quantize(statistics: stats, options: QuantizerOptions(method: .percentile, inputRange: -1...1))
        let q = try TFLiteModel(bytes: result.bytes)

        // Every op is int8 between a QUANTIZE and DEQUANTIZEs; weights are per-channel.
        let g = q.subgraphs[0]
        #expect(g.operators.first.flatMap { q.code(of: $0)?.builtin } == .quantize)
        #expect(g.operators.suffix(2).allSatisfy { q.code(of: $0)?.builtin == .dequantize })
        #expect(!g.operators.contains { q.code(of: $0)?.builtin == .relu })
        let convs = g.operators.filter { [.conv2D, .depthwiseConv2D].contains(q.code(of: $0)?.builtin) }
        let floatConvs = floatModel.subgraphs[0].operators.filter { [.conv2D, .depthwiseConv2D].contains(floatModel.code(of: $0)?.builtin) }
        #expect(convs.count == floatConvs.count && convs.count == 37)
        #expect(convs.allSatisfy { g.tensors[$0.inputs[1]].type == .int8 && (g.tensors[$0.inputs[1]].quantization?.scale.count ?? 0) > 1 })

        // The score head can say 0.99.
        let scores = try #require(g.outputs.first { g.tensors[$0].shape.last == 1 })
        let producer = try #require(g.operators.first { $0.outputs == [scores] })
        let sq = try #require(g.tensors[producer.inputs[0]].quantization)
        let top = sq.scale[0] * Float(127 - sq.zeroPoint[0])
        #expect(1 / (1 + exp(-top)) >= 0.99, "score head tops out at logit \(top)")

        // Close to the float model.
        let report = try QuantizationReport(float: floatModel, quantized: result, inputs: inputs)
        let regressors = try #require(report.outputs.first { $0.name == "regressors" })
        #expect(regressors.sqnr > 15, "\(report.formatted())")
        #expect(report.tensors.count > 60)

        // The same face, found confidently.
        let floatFaces = floatDetector.detect(in: image)
        let int8Detector = try FaceDetector(model: CompiledModel(model: q))
        let int8Faces = int8Detector.detect(in: image)
        #expect(floatFaces.count == 1 && int8Faces.count == 1)
        let f = try #require(floatFaces.first), i = try #require(int8Faces.first)
        #expect(i.score >= 0.9, "int8 score \(i.score), float \(f.score)")
        let x0 = max(f.box.x, i.box.x), y0 = max(f.box.y, i.box.y)
        let x1 = min(f.box.x + f.box.width, i.box.x + i.box.width), y1 = min(f.box.y + f.box.height, i.box.y + i.box.height)
        let inter = max(0, x1 - x0) * max(0, y1 - y0)
        let iou = inter / (f.box.width * f.box.height + i.box.width * i.box.height - inter)
        #expect(iou > 0.85, "IoU \(iou)")
    }
}

/// Cross-layer equalization changes the weights, not the float function.
@Suite struct EqualizationTests {
    @Test func equalizedFrontModelComputesTheSameOutputs() throws {
        let floatModel = try TFLiteModel(contentsOfFile: SharedData.floatModel)
        let detector = try FaceDetector(modelPath: SharedData.floatModel)
        let photos = try CalibrationImages(paths: [SharedData.samplePhoto], detector: detector, tilesPerImage: 0, contentOnly: true)
        let input = photos.input(0)
        let (equalized, pairs) = try Quantizer(model: floatModel).equalizingDepthwise(count: 1) { _ in input }
        #expect(pairs == 16)
        // The DEQUANTIZEs of float16 constants are gone, the weights differ, the outputs do not.
        let e = equalized.floatModel
        let dequantizes = floatModel.subgraphs[0].operators.filter { floatModel.code(of: $0)?.builtin == .dequantize }.count
        #expect(dequantizes == 74)
        #expect(e.subgraphs[0].operators.count == 164 - dequantizes)
        #expect(!e.subgraphs[0].operators.contains { e.code(of: $0)?.builtin == .dequantize })
        #expect(e.subgraphs[0].tensors.count == floatModel.subgraphs[0].tensors.count)
        let a = Interpreter(try CompiledModel(model: floatModel)), b = Interpreter(try CompiledModel(model: e))
        try a.setInput(0, floats: input)
        try b.setInput(0, floats: input)
        a.invoke()
        b.invoke()
        for o in 0..<2 {
            let x = try a.outputFloats(o), y = try b.outputFloats(o)
            let worst = zip(x, y).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 1
            #expect(worst < 1e-3, "output \(o): relative difference \(worst)")
        }
        // The depthwise weights were rescaled.
        let dw = try #require(floatModel.subgraphs[0].operators.first { floatModel.code(of: $0)?.builtin == .depthwiseConv2D })
        let before = try #require(Quantizer(model: floatModel).graph.constants[dw.inputs[1]])
        let after = try #require(equalized.graph.constants[dw.inputs[1]])
        #expect(before.count == after.count && before != after)
    }
}
