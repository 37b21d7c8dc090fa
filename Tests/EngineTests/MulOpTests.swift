import Testing
import TestSupport
import TFLite
@testable import Engine

/// MUL, the op added to prove the registry's layout, on hand-built one-op models: float32 with a
/// fused RELU6 and int8 on every (a, b) byte pair, on every kernel family.
@Suite struct MulOpTests {
    static func interpreter(_ model: TinyBinaryModel, _ kernels: EngineOptions.Kernels) throws -> Interpreter {
        Interpreter(try CompiledModel(model: TFLiteModel(bytes: model.bytes), options: EngineOptions(kernels: kernels)))
    }

    @Test(arguments: EngineOptions.Kernels.allCases)
    func floatMulWithRelu6(kernels: EngineOptions.Kernels) throws {
        let model = TinyBinaryModel(builtin: 18, optionsType: 21, activation: 3, shape: [1, 3, 5, 7])
        let it = try Self.interpreter(model, kernels)
        #expect(it.compiled.ops.first?.kernelName == ([.reference, .micro].contains(kernels) ? "mul.f32.reference" : "mul.f32.portable"))
        var r = SplitMix64(seed: 9)
        let a = (0..<105).map { _ in Float(Int(r.next() % 2001) - 1000) / 250 }, b = (0..<105).map { _ in Float(Int(r.next() % 2001) - 1000) / 250 }
        try it.setInput(0, floats: a)
        try it.setInput(1, floats: b)
        it.invoke()
        #expect(try it.outputFloats(0) == zip(a, b).map { min(max($0 * $1, 0), 6) })
    }

    /// out = clamp(zp_out + MultiplyByQuantizedMultiplier((a - zp_a) * (b - zp_b), m, shift)) with
    /// m * 2^shift = s_a * s_b / s_out (TFLite's reference int8 Mul), checked by hand on values
    /// and against the real product within one step (two roundings) on all 65,536 pairs.
    @Test(arguments: EngineOptions.Kernels.allCases)
    func int8MulOnEveryPair(kernels: EngineOptions.Kernels) throws {
        let q = [TinyBinaryModel.Quant(scale: 0.5, zeroPoint: 0), .init(scale: 0.25, zeroPoint: 0), .init(scale: 0.125, zeroPoint: 0)]
        let exact = try Self.interpreter(TinyBinaryModel(builtin: 18, optionsType: 21, shape: [1, 2, 2, 1], quantization: q), kernels)
        // Real multiplier 1: (a * b) exactly, saturated to int8.
        try [Int8]([10, -7, 100, -128]).withUnsafeBytes { try exact.setInput(0, bytes: $0) }
        try [Int8]([3, 5, 2, 1]).withUnsafeBytes { try exact.setInput(1, bytes: $0) }
        exact.invoke()
        #expect(exact.output(0).map { Array($0.bindMemory(to: Int8.self)) } == [30, -35, 127, -128])

        let quant = [TinyBinaryModel.Quant(scale: 0.037, zeroPoint: -5), .init(scale: 0.011, zeroPoint: 17), .init(scale: 0.02, zeroPoint: 3)]
        let it = try Self.interpreter(TinyBinaryModel(builtin: 18, optionsType: 21, shape: [1, 256, 256, 1], quantization: quant), kernels)
        #expect(it.compiled.ops.first?.kernelName == ([.reference, .micro].contains(kernels) ? "mul.qs8.reference" : "mul.qs8.portable"))
        let a = (0..<65536).map { UInt8($0 & 255) }, b = (0..<65536).map { UInt8($0 >> 8) }
        try a.withUnsafeBytes { try it.setInput(0, bytes: $0) }
        try b.withUnsafeBytes { try it.setInput(1, bytes: $0) }
        it.invoke()
        let y = try #require(it.output(0)).map { Int8(bitPattern: $0) }
        let m = QuantizedMultiplier(Double(Float(0.037)) * Double(Float(0.011)) / Double(Float(0.02)))
        var far = 0
        for i in 0..<65536 {
            let x1 = Int32(Int8(bitPattern: a[i])) + 5, x2 = Int32(Int8(bitPattern: b[i])) - 17
            let want = min(max(3 + multiplyByQuantizedMultiplier(x1 * x2, m.significand, m.shift), -128), 127)
            #expect(Int32(y[i]) == want, "a \(a[i]) b \(b[i])")
            let real = Double(x1) * 0.037 * Double(x2) * 0.011 / 0.02 + 3
            if abs(Double(y[i]) - min(max(real, -128), 127)) > 1 { far += 1 }
            if Int32(y[i]) != want { break }
        }
        #expect(far == 0, "\(far) outputs more than one step from the real product")
    }

    /// An unsupported fused activation (TANH = 4) is refused with the op named.
    @Test func refusesTanhActivation() throws {
        let bytes = TinyBinaryModel(builtin: 18, optionsType: 21, activation: 4, shape: [1, 2, 2, 1]).bytes
        #expect { try CompiledModel(model: TFLiteModel(bytes: bytes)) } throws: { e in
            "\(e)".contains("MUL") && "\(e)".contains("activation")
        }
    }
}
