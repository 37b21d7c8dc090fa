import Testing
import TestSupport
import TFLite
@testable import Engine

/// Issue #15 finding 1: an int8 op with a fused RELU6 or RELU_N1_TO_1 and a tiny but valid output
/// scale trapped at prepare (`Float value cannot be converted to Int32`). The model is built here.
@Suite struct HostileQuantizationTests {
    @Test(arguments: [(UInt8(3), Float(1e-9)), (3, 1e-30), (2, 1e-30), (1, 1e-38), (3, 3e-45)])
    func tinyOutputScaleWithAFusedClampNeverTraps(activation: UInt8, scale: Float) throws {
        let q = TinyBinaryModel.Quant(scale: 0.05, zeroPoint: 0)
        let quantization = [q, q, TinyBinaryModel.Quant(scale: scale, zeroPoint: -3)]
        // MUL takes any multiplier (saturated): it prepares and runs on every kernel family.
        let mul = TinyBinaryModel(builtin: 18, optionsType: 21, activation: activation, shape: [1, 2, 2, 3], quantization: quantization)
        for kernels in EngineOptions.Kernels.allCases {
            let it = Interpreter(try CompiledModel(model: TFLiteModel(bytes: mul.bytes), options: EngineOptions(kernels: kernels)))
            it.invoke()
            #expect(it.output(0)?.count == 12)
        }
        // ADD's reference requires a multiplier below 1: a clear error naming the op, not a trap.
        let add = TinyBinaryModel(builtin: 0, optionsType: 11, activation: activation, shape: [1, 2, 2, 3], quantization: quantization)
        #expect(throws: EngineError.self) { try CompiledModel(model: TFLiteModel(bytes: add.bytes)) }
    }

    @Test func activationRangeSaturatesLikeTheExactValue() {
        #expect(quantizedActivationRange(.relu6, scale: 1e-30, zeroPoint: -3) == (-3, 127))
        #expect(quantizedActivationRange(.reluN1To1, scale: 1e-30, zeroPoint: 0) == (-128, 127))
        #expect(quantizedActivationRange(.relu6, scale: 0.05, zeroPoint: -128) == (-128, -8))
    }
}
