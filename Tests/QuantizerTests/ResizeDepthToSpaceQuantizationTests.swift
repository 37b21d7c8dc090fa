import Engine
import Foundation
@testable import Quantizer
import Testing
import TFLite

/// RESIZE_BILINEAR and DEPTH_TO_SPACE (MediaPipe's full-range models) quantized to int8 in place,
/// sharing their input's quantization, and empirical bias correction on the tiny graph.
@Suite struct ResizeDepthToSpaceQuantizationTests {
    /// x [1, 2, 2, 8] -> RESIZE_BILINEAR (half-pixel centres) to [1, 4, 4, 8] -> DEPTH_TO_SPACE
    /// (block 2) -> [1, 8, 8, 2] (not [..., 1], which the quantizer would take for a score head).
    static var model: TFLiteModel {
        get throws {
            var size: [UInt8] = []
            for v in [Int32(4), 4] { withUnsafeBytes(of: v.littleEndian) { size += $0 } }
            let tensors = [
                Tensor(name: "x", shape: [1, 2, 2, 8], type: .float32),
                Tensor(name: "size", shape: [2], type: .int32, buffer: 1),
                Tensor(name: "resized", shape: [1, 4, 4, 8], type: .float32),
                Tensor(name: "out", shape: [1, 8, 8, 2], type: .float32),
            ]
            let ops = [
                Operator(opcodeIndex: 0, inputs: [0, 1], outputs: [2], options: .resizeBilinear(alignCorners: false, halfPixelCenters: true)),
                Operator(opcodeIndex: 1, inputs: [2], outputs: [3], options: .depthToSpace(blockSize: 2)),
            ]
            let b = ModelBlueprint(operatorCodes: [OperatorCode(builtin: .resizeBilinear, version: 3), OperatorCode(builtin: .depthToSpace)],
                                   subgraphs: [Subgraph(tensors: tensors, inputs: [0], outputs: [3], operators: ops)],
                                   buffers: [[], size])
            return try TFLiteModel(bytes: try ModelWriter.serialize(b))
        }
    }

    static let inputs: [[Float]] = [
        (0..<32).map { Float($0) / 16 - 1 },
        (0..<32).map { Float(($0 * 7) % 16) / 10 - 0.6 },
    ]

    @Test func resizeAndDepthToSpaceStayInt8() throws {
        let floatModel = try Self.model
        let quantizer = try Quantizer(model: floatModel)
        let stats = try quantizer.calibrate(inputs: Self.inputs)
        let result = try quantizer.quantize(statistics: stats, options: QuantizerOptions(method: .minmax))
        let q = try TFLiteModel(bytes: result.bytes)
        let g = q.subgraphs[0]
        #expect(g.operators.map { q.code(of: $0)?.builtin } == [.quantize, .resizeBilinear, .depthToSpace, .dequantize])
        #expect(g.operators.map { q.code(of: $0)?.version } == [1, 3, 1, 2])
        let resize = g.operators[1], d2s = g.operators[2]
        #expect(g.tensors[resize.inputs[0]].type == .int8 && g.tensors[d2s.outputs[0]].type == .int8)
        // One quantization from the input to the output: the input's range, x in [-1, 0.9375].
        let x = try #require(g.tensors[resize.inputs[0]].quantization)
        #expect(g.tensors[resize.outputs[0]].quantization == x)
        #expect(g.tensors[d2s.outputs[0]].quantization == x)
        #expect(abs(x.scale[0] - 1.9375 / 255) <= 1e-6)

        // Both models run in our engine; the int8 one within a step and a half of the float one
        // (input rounding, then the kernel's rounding).
        let fi = Interpreter(try CompiledModel(model: floatModel)), qi = Interpreter(try CompiledModel(model: q))
        #expect(qi.compiled.ops.contains { ($0.kernelName ?? "").hasPrefix("resize_bilinear.qs8") })
        for input in Self.inputs {
            try fi.setInput(0, floats: input)
            try qi.setInput(0, floats: input)
            fi.invoke()
            qi.invoke()
            let f = try fi.outputFloats(0), o = try qi.outputFloats(0)
            for i in f.indices { #expect(abs(f[i] - o[i]) <= 1.5 * x.scale[0], "element \(i): \(o[i]) vs \(f[i])") }
        }
    }

    /// The correction of the tiny graph's convolution is what the int8 model's mean error of each
    /// channel was (measured where the float value is inside the int8 range and not clamped by
    /// the RELU), and the int32 bias is the corrected bias over its scale.
    @Test func biasCorrectionFoldsTheMeanErrorIntoTheBias() throws {
        let quantizer = try Quantizer(model: try TinyFloatGraph.model)
        let stats = try quantizer.calibrate(inputs: TinyFloatGraph.inputs)
        let options = QuantizerOptions(method: .minmax)
        let corrections = try quantizer.biasCorrections(statistics: stats, options: options, rounds: 1,
                                                        count: TinyFloatGraph.inputs.count) { TinyFloatGraph.inputs[$0] }
        let c = try #require(corrections[0])
        #expect(corrections.count == 1 && c.count == 2)
        // Heads only: the conv feeds the ADD, not an output's quantization group, so nothing.
        let heads = try quantizer.biasCorrections(statistics: stats, options: options, rounds: 1, headsOnly: true,
                                                  count: TinyFloatGraph.inputs.count) { TinyFloatGraph.inputs[$0] }
        #expect(heads.isEmpty)

        // The same mean error, measured here from the uncorrected model.
        let plain = try TFLiteModel(bytes: try quantizer.quantize(statistics: stats, options: options).bytes)
        let pi = Interpreter(try CompiledModel(model: plain, options: EngineOptions(memory: .allTensors)))
        let convOut = plain.subgraphs[0].operators[1].outputs[0]
        let p = try #require(plain.subgraphs[0].tensors[convOut].quantization)
        let scale = p.scale[0], zero = Float(p.zeroPoint[0])
        var sum = [Double](repeating: 0, count: 2), n = sum
        for x in TinyFloatGraph.inputs {
            try pi.setInput(0, floats: x)
            var q: [Int8] = []
            pi.invoke { _, t, bytes in if t == convOut { q = Array(bytes.bindMemory(to: Int8.self)) } }
            let relu = TinyFloatGraph.activations(x).relu
            for i in relu.indices where relu[i] > 0 && relu[i] < scale * (127 - zero) {
                sum[i % 2] += Double(scale * (Float(q[i]) - zero) - relu[i])
                n[i % 2] += 1
            }
        }
        for ch in 0..<2 where n[ch] > 0 { #expect(abs(Double(c[ch]) - sum[ch] / n[ch]) <= 1e-6, "channel \(ch)") }

        var corrected = options
        corrected.biasCorrection = corrections
        let q = try TFLiteModel(bytes: try quantizer.quantize(statistics: stats, options: corrected).bytes)
        let conv = q.subgraphs[0].operators[1]
        let bias = q.subgraphs[0].tensors[conv.inputs[2]]
        let bScales = try #require(bias.quantization?.scale)
        let raw = try #require(q.constantData(tensor: conv.inputs[2]))
        let values = (0..<2).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
        let want: [Int32] = (0..<2).map { ch in
            let corrected = Double(TinyFloatGraph.bias[ch]) - Double(c[ch])
            return Int32((corrected / Double(bScales[ch])).rounded())
        }
        #expect(values == want)
    }
}
