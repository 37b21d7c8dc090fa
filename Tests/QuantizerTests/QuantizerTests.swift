import BlazeFace
import Engine
import Foundation
@testable import Quantizer
import Testing
import TestSupport
import TFLite

/// A float graph small enough to check by hand: x -> CONV_2D 1x1 (+bias) -> RELU, ADD(x, relu),
/// MAX_POOL_2D 2x2.
struct TinyFloatGraph {
    static let weights: [Float] = [0.5, -1.0, 0.25, 2.0]  // [2 out, 1, 1, 2 in]
    static let bias: [Float] = [0.1, -0.2]
    static let inputs: [[Float]] = [
        [1, 0, -1, 0.5, 0.25, -0.5, 0.75, 1],
        [-0.5, 0.2, 0.3, -0.8, 0.9, 0.1, -0.2, 0.4],
    ]

    static func floats(_ v: [Float]) -> [UInt8] { v.flatMap { f in withUnsafeBytes(of: f.bitPattern.littleEndian) { Array($0) } } }

    static var model: TFLiteModel {
        get throws {
            let tensors = [
                Tensor(name: "x", shape: [1, 2, 2, 2], type: .float32),
                Tensor(name: "w", shape: [2, 1, 1, 2], type: .float32, buffer: 1),
                Tensor(name: "b", shape: [2], type: .float32, buffer: 2),
                Tensor(name: "conv", shape: [1, 2, 2, 2], type: .float32),
                Tensor(name: "relu", shape: [1, 2, 2, 2], type: .float32),
                Tensor(name: "sum", shape: [1, 2, 2, 2], type: .float32),
                Tensor(name: "pool", shape: [1, 1, 1, 2], type: .float32),
            ]
            let ops = [
                Operator(opcodeIndex: 0, inputs: [0, 1, 2], outputs: [3], options: .conv2D(ConvOptions(padding: .valid, stride: 1))),
                Operator(opcodeIndex: 1, inputs: [3], outputs: [4]),
                Operator(opcodeIndex: 2, inputs: [0, 4], outputs: [5], options: .add(activation: .none, potScaleInt16: true)),
                Operator(opcodeIndex: 3, inputs: [5], outputs: [6], options: .pool2D(PoolOptions(padding: .valid, stride: 2, filter: 2))),
            ]
            let b = ModelBlueprint(operatorCodes: [OperatorCode(builtin: .conv2D), OperatorCode(builtin: .relu),
                                                   OperatorCode(builtin: .add), OperatorCode(builtin: .maxPool2D)],
                                   subgraphs: [Subgraph(tensors: tensors, inputs: [0], outputs: [6], operators: ops)],
                                   buffers: [[], floats(weights), floats(bias)])
            return try TFLiteModel(bytes: try ModelWriter.serialize(b))
        }
    }

    /// Float activations of one input, computed by hand: conv, relu, sum, pool.
    static func activations(_ x: [Float]) -> (conv: [Float], relu: [Float], sum: [Float], pool: [Float]) {
        var conv: [Float] = []
        for p in 0..<4 {
            for c in 0..<2 { conv.append(x[2 * p] * weights[2 * c] + x[2 * p + 1] * weights[2 * c + 1] + bias[c]) }
        }
        let relu = conv.map { max($0, 0) }
        let sum = zip(x, relu).map { $0 + $1 }
        let pool = (0..<2).map { c in (0..<4).map { sum[2 * $0 + c] }.max() ?? 0 }
        return (conv, relu, sum, pool)
    }

    /// TFLite's asymmetric int8 parameters of a range.
    static func expected(_ values: [Float]) -> (scale: Float, zeroPoint: Int64) {
        let lo = Double(min(values.min() ?? 0, 0)), hi = Double(max(values.max() ?? 0, 0))
        let scale = (hi - lo) / 255
        return (Float(scale), Int64((-128 - lo / scale).rounded()))
    }
}

@Suite struct QuantizerTests {
    func int8Values(_ model: TFLiteModel, _ tensor: Int) -> [Int8] {
        guard let d = model.constantData(tensor: tensor) else { return [] }
        return d.map { Int8(bitPattern: $0) }
    }

    func int32Values(_ model: TFLiteModel, _ tensor: Int) -> [Int32] {
        guard let d = model.constantData(tensor: tensor) else { return [] }
        return stride(from: 0, to: d.count, by: 4).map { i in
            Int32(bitPattern: UInt32(d[i]) | UInt32(d[i + 1]) << 8 | UInt32(d[i + 2]) << 16 | UInt32(d[i + 3]) << 24)
        }
    }

    @Test func syntheticGraphGetsHandComputedParameters() throws {
        let floatModel = try TinyFloatGraph.model
        let quantizer = try Quantizer(model: floatModel)
        let stats = try quantizer.calibrate(inputs: TinyFloatGraph.inputs)
        let result = try quantizer.quantize(statistics: stats, options: QuantizerOptions(method: .minmax, provenance: "test"))
        let q = try TFLiteModel(bytes: result.bytes)
        let g = q.subgraphs[0]
        #expect(g.operators.map { q.code(of: $0)?.builtin } == [.quantize, .conv2D, .add, .maxPool2D, .dequantize])
        #expect(g.operators[1].options.activation == .relu)  // RELU fused into the convolution
        #expect(try q.metadataBytes(named: "blazeface_quantizer") == Array("test".utf8))

        let acts = TinyFloatGraph.inputs.map(TinyFloatGraph.activations)
        let allX = TinyFloatGraph.inputs.flatMap { $0 }
        let xq = TinyFloatGraph.expected(allX)
        let reluq = TinyFloatGraph.expected(acts.flatMap(\.relu))
        let sumq = TinyFloatGraph.expected(acts.flatMap(\.sum))

        let quantize = g.operators[0], conv = g.operators[1], add = g.operators[2], pool = g.operators[3]
        let input = try #require(g.tensors[quantize.outputs[0]].quantization)
        #expect(abs(input.scale[0] - xq.scale) <= 1e-6 * xq.scale)
        #expect(input.zeroPoint == [xq.zeroPoint])
        // Weights: per channel, symmetric, max |w| -> 127.
        let w = g.tensors[conv.inputs[1]]
        #expect(w.type == .int8)
        #expect(w.quantization?.scale == [Float(1) / 127, Float(2) / 127])
        #expect(w.quantization?.zeroPoint == [0, 0])
        #expect(w.quantization?.quantizedDimension == 0)
        #expect(int8Values(q, conv.inputs[1]) == [64, -127, 16, 127])
        // Biases: int32, scale = input scale x weight scale.
        let b = g.tensors[conv.inputs[2]]
        #expect(b.type == .int32)
        let bScales = [xq.scale * (1 / 127), xq.scale * (2 / 127)]
        for c in 0..<2 { #expect(abs((b.quantization?.scale[c] ?? 0) - bScales[c]) <= 1e-6 * bScales[c]) }
        #expect(int32Values(q, conv.inputs[2]) == (0..<2).map { Int32((Double(TinyFloatGraph.bias[$0]) / Double(bScales[$0])).rounded()) })
        // The fused output's range is the RELU's; ADD its own; MAX_POOL shares ADD's.
        let convOut = try #require(g.tensors[conv.outputs[0]].quantization)
        #expect(abs(convOut.scale[0] - reluq.scale) <= 1e-6 * reluq.scale)
        #expect(convOut.zeroPoint == [-128])
        let sum = try #require(g.tensors[add.outputs[0]].quantization)
        #expect(abs(sum.scale[0] - sumq.scale) <= 1e-6 * sumq.scale)
        #expect(sum.zeroPoint == [sumq.zeroPoint])
        #expect(g.tensors[pool.outputs[0]].quantization == sum)

        // The int8 model runs and is within a few steps of the float one.
        let interpreter = Interpreter(try CompiledModel(model: q))
        for (x, a) in zip(TinyFloatGraph.inputs, acts) {
            try interpreter.setInput(0, floats: x)
            interpreter.invoke()
            let out = try interpreter.outputFloats(0)
            for c in 0..<2 { #expect(abs(out[c] - a.pool[c]) <= 3 * sumq.scale, "channel \(c): \(out[c]) vs \(a.pool[c])") }
        }
    }

    @Test func perTensorWeightsShareOneScale() throws {
        let quantizer = try Quantizer(model: try TinyFloatGraph.model)
        let stats = try quantizer.calibrate(inputs: TinyFloatGraph.inputs)
        let result = try quantizer.quantize(statistics: stats, options: QuantizerOptions(method: .minmax, perChannel: false))
        let q = try TFLiteModel(bytes: result.bytes)
        let conv = q.subgraphs[0].operators[1]
        #expect(q.subgraphs[0].tensors[conv.inputs[1]].quantization?.scale == [Float(2) / 127])
        #expect(int8Values(q, conv.inputs[1]) == [32, -64, 16, 127])  // 0.5, -1, 0.25, 2 at 2/127
        #expect(q.subgraphs[0].tensors[conv.inputs[2]].quantization?.scale.count == 1)
    }

    func statistics(_ values: [Float]) -> TensorStatistics {
        var stats = TensorStatistics()
        values.withUnsafeBufferPointer { v in
            stats.observeRange(v)
            stats.histogram = Array(repeating: 0, count: 2048)
            stats.observeHistogram(v)
        }
        return stats
    }

    @Test func percentileClipsARareOutlier() throws {
        // 10,000 values in [0, 1) and one outlier at 100.
        var values = (0..<10_000).map { Float($0) / 10_000 }
        values.append(100)
        let stats = statistics(values)
        #expect(stats.count == 10_001)
        #expect(stats.min == 0 && stats.max == 100)
        #expect(stats.range(.minmax, percentile: 99.99) == (0, 100))
        let p = stats.range(.percentile, percentile: 99.9)
        #expect(p.0 == 0 && p.1 >= 0.99 && p.1 < 1.1, "\(p)")
        // One outlier costs more clipped (99^2) than rounding 10,000 values over [0, 100]: MSE keeps it.
        #expect(stats.range(.mse, percentile: 99.99).1 > 90)
    }

    @Test func mseClipsWhenRoundingCostsMoreThanClipping() throws {
        // A million values in [0, 0.98) and one at ~100. With the range [0, b], rounding costs
        // 1e6 (b/255)^2 / 12 = 1.2816 b^2 and clipping the outlier (100 - b)^2: the minimum is at
        // b = 100 / 2.2816 = 43.8.
        var stats = TensorStatistics()
        stats.min = 0
        stats.max = 100
        stats.count = 1_000_001
        stats.histogram = Array(repeating: 0, count: 2048)
        for b in 0..<20 { stats.histogram[b] = 50_000 }
        stats.histogram[2047] = 1
        let mse = stats.range(.mse, percentile: 99.99)
        #expect(mse.0 == 0 && abs(mse.1 - 43.8) < 1, "\(mse)")
        #expect(stats.quantizationError(mse.0, mse.1) < stats.quantizationError(0, 100) / 2)
        // Both signs, outliers at -100 and 100, range [-b, b]: rounding 1e6 (2b/255)^2 / 12 =
        // 5.126 b^2, clipping 2 (100 - b)^2: the minimum is at b = 400 / 14.25 = 28.1.
        stats.min = -100
        stats.histogram = Array(repeating: 0, count: 2048)
        for b in 1014..<1034 { stats.histogram[b] = 50_000 }
        stats.histogram[0] = 1
        stats.histogram[2047] = 1
        let r = stats.range(.mse, percentile: 99.99)
        #expect(abs(r.0 + 28.1) < 1 && abs(r.1 - 28.1) < 1, "\(r)")
    }

    @Test(.requires(.int8Model)) func quantizedModelsAreRefused() throws {
        let error = try #require(throws: QuantizerError.self) { try Quantizer(model: TFLiteModel(contentsOfFile: SharedData.int8Model)) }
        #expect(error.description.contains("already quantized"))
    }

    @Test func unsupportedOpsAreNamed() throws {
        let t = Tensor(name: "x", shape: [1, 4], type: .float32)
        let b = ModelBlueprint(operatorCodes: [OperatorCode(builtin: .softmax)],
                               subgraphs: [Subgraph(tensors: [t, Tensor(name: "y", shape: [1, 4], type: .float32)], inputs: [0], outputs: [1],
                                                    operators: [Operator(opcodeIndex: 0, inputs: [0], outputs: [1], options: .empty(unionType: 9))])],
                               buffers: [[]])
        let quantizer = try Quantizer(model: try TFLiteModel(bytes: try ModelWriter.serialize(b)))
        var stats = TensorStatistics()
        [Float(-1), 1].withUnsafeBufferPointer { stats.observeRange($0) }
        let error = try #require(throws: QuantizerError.self) {
            try quantizer.quantize(statistics: [0: stats, 1: stats], options: QuantizerOptions())
        }
        #expect(error.description.contains("SOFTMAX"))
    }
}
