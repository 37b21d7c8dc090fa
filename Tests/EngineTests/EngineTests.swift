import Foundation
import Testing
import TestSupport
@testable import TFLite
@testable import Engine

@Suite struct EngineTests {
    @Test func runsAHandMadeModel() throws {
        let compiled = try CompiledModel(model: TFLiteModel(bytes: TinyAddModel().bytes))
        let it = Interpreter(compiled)
        try it.setInput(0, floats: [1, 2, 3, -4])
        try it.setInput(1, floats: [10, 20, 30, 40])
        it.invoke()
        #expect(try it.outputFloats(0) == [11, 22, 33, 36])
        // Fused RELU (activation 1) clamps the negative sum.
        let relu = Interpreter(try CompiledModel(model: TFLiteModel(bytes: TinyAddModel(activation: 1).bytes)))
        try relu.setInput(0, floats: [1, 2, 3, -4])
        try relu.setInput(1, floats: [-10, 20, 30, 1])
        relu.invoke()
        #expect(try relu.outputFloats(0) == [0, 22, 33, 0])
    }

    @Test func unsupportedThingsAreLoadTimeErrorsNamingTheOp() throws {
        // TANH as a fused activation.
        #expect(throws: EngineError(opIndex: 0, opName: "ADD", "fused activation TANH is not supported")) {
            try CompiledModel(model: TFLiteModel(bytes: TinyAddModel(activation: 4).bytes))
        }
        // An op code the engine does not run: patch the opcode to SOFTMAX (25).
        var b = TinyAddModel().bytes
        let codeByte = try #require(b.indices.first { i in
            // The OperatorCode table's deprecated_builtin_code byte is the first field after its soffset.
            i > 8 && b[i] == 0 && i + 8 <= b.count && Array(b[(i + 4)..<(i + 8)]) == [1, 0, 0, 0]
        })
        _ = codeByte
        let m = try TFLiteModel(bytes: b)
        var codes = m.operatorCodes
        codes[0].builtin = .softmax
        // Re-encode by flipping the byte in the file: find the deprecated code field via the reader.
        let fb = FlatBuffer(bytes: m.storage.bytes)
        let root = try fb.root()
        let codeTable = try root.tables(1, "operator_codes")[0]
        let deprecated = try #require(try codeTable.fieldOffset(0, size: 1, name: "deprecated_builtin_code"))
        let extended = try #require(try codeTable.fieldOffset(3, size: 4, name: "builtin_code"))
        b[deprecated] = 25
        b[extended] = 25
        #expect(throws: EngineError(opIndex: 0, opName: "SOFTMAX", "operator SOFTMAX is not supported by this engine")) {
            try CompiledModel(model: TFLiteModel(bytes: b))
        }
    }

    @Test func unsupportedTypeIsNamed() throws {
        var b = TinyAddModel().bytes
        let m = try TFLiteModel(bytes: b)
        let fb = FlatBuffer(bytes: m.storage.bytes)
        let sg = try fb.root().tables(2, "subgraphs")[0]
        let t0 = try sg.tables(0, "tensors")[0]
        let typeField = try #require(try t0.fieldOffset(1, size: 1, name: "type"))
        b[typeField] = 5 // STRING
        #expect(throws: EngineError.self) { try CompiledModel(model: TFLiteModel(bytes: b)) }
        b[typeField] = 9 // INT8 without quantization: ADD needs per-tensor parameters.
        do {
            _ = try CompiledModel(model: TFLiteModel(bytes: b))
            Issue.record("expected an error")
        } catch let e as EngineError {
            #expect(e.opIndex == 0 && e.opName == "ADD", "\(e)")
        }
    }

    /// Byte flips in the real model: reading and preparing either throw or yield a model that
    /// runs (without crashing) when it is small enough to run quickly.
    @Test(.requires(.int8Model)) func corruptedModelsNeverCrashThePreparer() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: SharedData.int8Model)))
        var rng = SplitMix64(seed: 7)
        var prepared = 0, rejected = 0
        for _ in 0..<150 {
            var b = bytes
            let pos = Int(rng.next() % UInt64(b.count))
            b[pos] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            do {
                let c = try CompiledModel(model: TFLiteModel(bytes: b))
                prepared += 1
                if prepared <= 2 { Interpreter(c).invoke() }
            } catch is ModelError {
                rejected += 1
            } catch is EngineError {
                rejected += 1
            }
        }
        #expect(prepared + rejected == 150)
    }

    @Test func fixedPointMatchesHandComputedValues() {
        // SaturatingRoundingDoublingHighMul: (a * b * 2 + 2^31) >> 32 with rounding.
        #expect(saturatingRoundingDoublingHighMul(Int32.min, Int32.min) == Int32.max)
        #expect(saturatingRoundingDoublingHighMul(1 << 30, 1 << 30) == 1 << 29)
        #expect(saturatingRoundingDoublingHighMul(-3, 1 << 30) == -1)   // -1.5 rounds away from zero
        #expect(roundingDivideByPOT(5, 1) == 3)    // 2.5 -> 3
        #expect(roundingDivideByPOT(-5, 1) == -3)  // -2.5 -> -3
        #expect(roundingDivideByPOT(-4, 1) == -2)
        let m = QuantizedMultiplier(0.5)
        #expect(m.significand == 1 << 30 && m.shift == 0)
        let m3 = QuantizedMultiplier(3.0)
        #expect(m3.significand == 1 << 30 + 1 << 29 && m3.shift == 2)
        #expect(multiplyByQuantizedMultiplier(10, m3.significand, m3.shift) == 30)
        #expect(QuantizedMultiplier(0).significand == 0)
    }

    @Test func plannerPlacesByLifetimeAndReachesTheBound() {
        // a(0-1) b(1-2) c(2-3): a and c can share.
        let plan = MemoryPlanner.plan([
            PlannedBuffer(tensor: 0, size: 100, firstUse: 0, lastUse: 1),
            PlannedBuffer(tensor: 1, size: 64, firstUse: 1, lastUse: 2),
            PlannedBuffer(tensor: 2, size: 100, firstUse: 2, lastUse: 3),
        ], alignment: 16)
        #expect(plan.offsets[0] == plan.offsets[2])
        #expect(plan.offsets[1] != plan.offsets[0])
        #expect(plan.lowerBound == 164)
        #expect(plan.arenaSize == 176)
    }

    @Test(.requires(.int8Model)) func int8ModelPlanMatchesTheLowerBound() throws {
        let c = try CompiledModel(model: TFLiteModel(contentsOfFile: SharedData.int8Model))
        // Three 64x64x28 int8 tensors alive at once: 336 KiB, STM32Cube.AI's activation figure.
        #expect(c.activationPlan.lowerBound == 3 * 64 * 64 * 28)
        #expect(c.activationPlan.arenaSize == 3 * 64 * 64 * 28)
        #expect(c.ops.reduce(0) { $0 + $1.macs } == 30_760_960)
    }
}
