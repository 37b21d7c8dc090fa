import BlazeFace
import Engine
import Foundation
@testable import Quantizer
import Testing
import TestSupport
import TFLite

/// `--depthwise-percentile` and the simulated-quantization models of `--ablate`.
@Suite struct AblationTests {
    /// x -> DEPTHWISE_CONV_2D 1x1 (no activation) -> CONV_2D 1x1: the depthwise output is the
    /// only tensor `depthwisePercentile` touches.
    static var depthwiseGraph: TFLiteModel {
        get throws {
            let f = TinyFloatGraph.floats
            let tensors = [
                Tensor(name: "x", shape: [1, 2, 2, 2], type: .float32),
                Tensor(name: "dw_w", shape: [1, 1, 1, 2], type: .float32, buffer: 1),
                Tensor(name: "dw_b", shape: [2], type: .float32, buffer: 2),
                Tensor(name: "dw", shape: [1, 2, 2, 2], type: .float32),
                Tensor(name: "pw_w", shape: [2, 1, 1, 2], type: .float32, buffer: 3),
                Tensor(name: "pw_b", shape: [2], type: .float32, buffer: 4),
                Tensor(name: "pw", shape: [1, 2, 2, 2], type: .float32),
            ]
            let ops = [
                Operator(opcodeIndex: 0, inputs: [0, 1, 2], outputs: [3],
                         options: .depthwiseConv2D(ConvOptions(padding: .valid, stride: 1, depthMultiplier: 1))),
                Operator(opcodeIndex: 1, inputs: [3, 4, 5], outputs: [6], options: .conv2D(ConvOptions(padding: .valid, stride: 1))),
            ]
            let b = ModelBlueprint(operatorCodes: [OperatorCode(builtin: .depthwiseConv2D), OperatorCode(builtin: .conv2D)],
                                   subgraphs: [Subgraph(tensors: tensors, inputs: [0], outputs: [6], operators: ops)],
                                   buffers: [[], f([2, -1]), f([0, 0.5]), f([0.5, 0.25, -1, 1]), f([0, 0])])
            return try TFLiteModel(bytes: try ModelWriter.serialize(b))
        }
    }

    /// 1,000 inputs in [-1, 1) and one with an outlier of 40 in channel 0.
    static let inputs: [[Float]] = {
        var inputs: [[Float]] = []
        for k in 0..<1_000 {
            var x: [Float] = []
            for i in 0..<8 {
                let v: Int = (k * 37 + i * 11) % 200
                x.append(Float(v) / 100 - 1)
            }
            inputs.append(x)
        }
        inputs.append([40, 0, 0, 0, 0, 0, 0, 0])
        return inputs
    }()

    func ranges(_ options: QuantizerOptions) throws -> (dw: Quantization?, pw: Quantization?) {
        let quantizer = try Quantizer(model: try Self.depthwiseGraph)
        let stats = try quantizer.calibrate(inputs: Self.inputs)
        let q = try TFLiteModel(bytes: try quantizer.quantize(statistics: stats, options: options).bytes)
        let g = q.subgraphs[0]
        let convs = g.operators.filter { [.conv2D, .depthwiseConv2D].contains(q.code(of: $0)?.builtin) }
        return (convs.first.flatMap { g.tensors[$0.outputs[0]].quantization }, convs.last.flatMap { g.tensors[$0.outputs[0]].quantization })
    }

    @Test func depthwisePercentileWidensOnlyTheDepthwiseOutput() throws {
        let plain = try ranges(QuantizerOptions(method: .percentile, percentile: 99.9))
        var options = QuantizerOptions(method: .percentile, percentile: 99.9)
        options.depthwisePercentile = 100
        let wide = try ranges(options)
        // The outlier (40 x 2 = 80 in the depthwise output) is clipped at 99.9, kept at 100.
        let top = { (q: Quantization?) -> Float in (q?.scale.first ?? 0) * Float(127 - (q?.zeroPoint.first ?? 0)) }
        #expect(top(plain.dw) < 5, "clipped top \(top(plain.dw))")
        #expect(abs(top(wide.dw) - 80) < 1, "kept top \(top(wide.dw))")
        #expect(plain.pw == wide.pw)
    }

    @Test func simulatedQuantizationFollowsTheInt8Model() throws {
        let floatModel = try TFLiteModel(contentsOfFile: SharedData.floatModel)
        let detector = try FaceDetector(modelPath: SharedData.floatModel)
        let photos = try CalibrationImages(paths: [SharedData.samplePhoto], detector: detector, tilesPerImage: 2)
        let quantizer = try Quantizer(model: floatModel)
        let stats = try quantizer.calibrate(count: photos.pixels.count, input: photos.input)
        let quantized = try quantizer.quantize(statistics: stats, options: QuantizerOptions(inputRange: -1...1))
        let input = photos.input(0)
        func outputs(_ model: TFLiteModel) throws -> [Float] {
            let interpreter = Interpreter(try CompiledModel(model: model))
            try interpreter.setInput(0, floats: input)
            interpreter.invoke()
            return try interpreter.outputFloats(0)
        }
        let float = try outputs(floatModel)
        let int8 = try outputs(try TFLiteModel(bytes: quantized.bytes))
        // Nothing selected: the float function, exactly.
        let none = try quantizer.fakeQuantized(quantized, activations: { _ in false }, int8Weights: false)
        #expect(try outputs(none) == float)
        #expect(!none.subgraphs[0].operators.contains { none.code(of: $0)?.builtin == .quantize })
        // Everything: one QUANTIZE/DEQUANTIZE pair per int8 activation that is an op's output; the
        // outputs are as far from the float model's as the int8 model's are (the same rounding
        // and clipping, in float arithmetic), and filters alone cost less.
        let all = try quantizer.fakeQuantized(quantized, activations: { _ in true }, int8Weights: true)
        let pairs = all.subgraphs[0].operators.filter { all.code(of: $0)?.builtin == .quantize }.count
        #expect(pairs == quantized.floatTensor.count - 1)  // all but the graph input
        let meanAbs = { (a: [Float], b: [Float]) -> Float in zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count) }
        let int8Error = meanAbs(int8, float)
        let simulatedError = meanAbs(try outputs(all), float)
        #expect(simulatedError > int8Error / 2 && simulatedError < int8Error * 2, "simulated \(simulatedError), int8 \(int8Error)")
        let weightsOnly = try quantizer.fakeQuantized(quantized, activations: { _ in false }, int8Weights: true)
        let weightsError = meanAbs(try outputs(weightsOnly), float)
        #expect(weightsError > 0 && weightsError < int8Error * 0.75, "filters only \(weightsError), int8 \(int8Error)")
    }
}
