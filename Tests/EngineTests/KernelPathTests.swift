import Testing
import TestSupport
import TFLite
@testable import Engine
@testable import ModelTools

/// Whole models on each kernel path: the kernels the selector picks (named per op), the fast
/// kernels against the reference kernels, and the kernels of an AVX2-only CPU (chosen with the
/// `cpuOverride` test hook) against the golden files in both memory plans. A CPU without AVX2
/// skips the AVX2 paths, saying why.
@Suite struct KernelPathTests {
    static func requireAVX2() throws {
        if !CPUFeatures.detected.contains(.avx2) { try Test.cancel("skipped: this CPU has no AVX2 (+FMA), the AVX2 kernels cannot run here") }
    }

    /// Each op names the variant that runs it; the reference family runs reference variants only,
    /// and hiding every CPU feature leaves portable and reference variants.
    @Test(.requires(.int8Model)) func kernelNamesFollowTheOptions() throws {
        let model = try TFLiteModel(contentsOfFile: SharedData.int8Model)
        let reference = try CompiledModel(model: model, options: EngineOptions(kernels: .reference))
        #expect(reference.ops.filter(\.runs).allSatisfy { $0.kernelName?.hasSuffix(".reference") == true },
                "\(reference.ops.map { $0.kernelName ?? "-" })")
        var none = EngineOptions(kernels: .fast)
        none.cpuOverride = []
        let portable = try CompiledModel(model: model, options: none).ops.compactMap(\.kernelName)
        #expect(portable.allSatisfy { $0.hasSuffix(".portable") || $0.hasSuffix(".reference") }, "\(portable)")
        #expect(portable.contains("conv2d.qs8.portable") && portable.contains("depthwise_conv2d.qs8.portable"), "\(portable)")
        if CPUFeatures.current.contains([.avx512, .avx512vnni]) {
            let fast = try CompiledModel(model: model, options: EngineOptions(kernels: .fast)).ops.compactMap(\.kernelName)
            #expect(fast.contains("conv2d.qs8.avx512vnni") && fast.contains("quantize.qs8.avx512"), "\(fast)")
        }
    }

    /// A float filter too large for the AVX2 kernel's border scratch is left to the next variant.
    @Test func convFloatAVX2DeclinesFiltersPastItsScratch() throws {
        try Self.requireAVX2()
        let win = Window(padding: .same, inH: 8, inW: 8, filterH: 5, filterW: 5, strideH: 1, strideW: 1)
        var p = ConvF32Params(input: NHWC([1, 8, 8, 90]), output: NHWC([1, 8, 8, 8]), window: win, actMin: 0, actMax: 6,
                              weights: [Float](repeating: 0.5, count: 8 * 25 * 90), bias: [Float](repeating: 0, count: 8))
        #expect(Conv2DF32AVX2.make(p, input: 0, output: 0) == nil)
        p.input = NHWC([1, 8, 8, 9])
        p.weights = Array(p.weights[0..<(8 * 25 * 9)])
        #expect(Conv2DF32AVX2.make(p, input: 0, output: 0) != nil)
    }

    @Test(.requires(.int8Model)) func wholeModelsFastEqualsReference() throws {
        for path in [SharedData.int8Model, SharedData.floatModel] {
            let model = try TFLiteModel(contentsOfFile: path)
            let fast = try CompiledModel(model: model, options: EngineOptions(kernels: .fast))
            let ref = try CompiledModel(model: model, options: EngineOptions(kernels: .reference))
            let a = Interpreter(fast), b = Interpreter(ref)
            Benchmark.fillInputs(a)
            Benchmark.fillInputs(b)
            var outs: [Int: [UInt8]] = [:]
            a.invoke { _, t, bytes in outs[t] = Array(bytes) }
            var differing: [Int] = []
            b.invoke { _, t, bytes in if outs[t] != Array(bytes) { differing.append(t) } }
            if model.subgraphs[0].tensors.contains(where: { $0.type == .int8 }) {
                #expect(differing.isEmpty, "\(path): tensors \(differing) differ between fast and reference kernels")
            } else {
                // Float: fused multiply-add moves the outputs by a few float32 steps of their magnitude.
                for k in fast.outputs.indices {
                    let x = try a.outputFloats(k), y = try b.outputFloats(k)
                    let scale = max(1, y.map { abs($0) }.max() ?? 0)
                    let worst = zip(x, y).map { abs($0 - $1) }.max() ?? .infinity
                    #expect(worst <= 4e-6 * scale, "\(path) output \(k): fast and reference differ by \(worst) at magnitude \(scale)")
                }
            }
        }
    }

    /// The int8 model with the kernels chosen as on an AVX2-only CPU: every int8 intermediate
    /// equals the golden files, in both memory plans.
    @Test(.requires(.int8Model, .golden), arguments: EngineOptions.Memory.allCases)
    func int8ModelMatchesGolden(memory: EngineOptions.Memory) throws {
        try Self.requireAVX2()
        var options = EngineOptions(kernels: .fast, memory: memory)
        options.cpuOverride = .avx2
        let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: SharedData.int8Model), options: options)
        let names = compiled.ops.compactMap(\.kernelName)
        #expect(names.contains { $0.contains(".avx2") }, "no AVX2 kernel chosen: \(Set(names))")
        #expect(!names.contains { $0.contains(".avx512") }, "AVX-512 kernels chosen: \(Set(names))")
        let hidden = Set(compiled.unmaterialized)
        for caseName in GoldenTests.int8Cases {
            let golden = try GoldenCase(model: "st_int8", name: caseName)
            let interpreter = Interpreter(compiled)
            try interpreter.setInput(0, floats: golden.floats(try #require(golden.input)))
            var produced: [Int: [UInt8]] = [:]
            interpreter.invoke { _, tensor, bytes in produced[tensor] = Array(bytes) }
            var checked = 0
            for e in golden.intermediates {
                let index = try #require(e.tensor_index)
                if hidden.contains(index) { continue }
                #expect(produced[index] == golden.bytes(e), "\(caseName) \(memory): tensor \(index) '\(e.name)' differs")
                checked += 1
            }
            #expect(checked == (memory == .compact ? 72 - 27 : 72))
            for e in golden.outputs {
                let pos = try #require(e.output_position)
                #expect(try interpreter.outputFloats(pos) == golden.floats(e), "\(caseName) \(memory): output \(pos) differs")
            }
        }
    }

    /// The float model with the kernels chosen as on an AVX2-only CPU: the golden outputs within
    /// GoldenTests' 5e-4, and the compact plan within 5e-4 of the tensor-level one.
    @Test(.requires(.golden)) func floatModelWithinToleranceInBothPlans() throws {
        try Self.requireAVX2()
        let model = try TFLiteModel(contentsOfFile: SharedData.floatModel)
        var compiled: [EngineOptions.Memory: CompiledModel] = [:]
        for memory in EngineOptions.Memory.allCases {
            var options = EngineOptions(kernels: .fast, memory: memory)
            options.cpuOverride = .avx2
            let c = try CompiledModel(model: model, options: options)
            let names = c.ops.compactMap(\.kernelName)
            #expect(names.contains { $0.contains(".avx2") }, "no AVX2 kernel chosen: \(Set(names))")
            #expect(!names.contains { $0.contains(".avx512") }, "AVX-512 kernels chosen: \(Set(names))")
            compiled[memory] = c
        }
        let plans = EngineOptions.Memory.allCases.compactMap { compiled[$0] }
        for caseName in GoldenTests.floatCases {
            let golden = try GoldenCase(model: "mp_float", name: caseName)
            var outputs: [[[Float]]] = []
            for c in plans {
                let interpreter = Interpreter(c)
                try interpreter.setInput(0, floats: golden.floats(try #require(golden.input)))
                interpreter.invoke()
                var outs: [[Float]] = []
                for e in golden.outputs {
                    let pos = try #require(e.output_position)
                    let got = try interpreter.outputFloats(pos), want = golden.floats(e)
                    #expect(got.count == want.count)
                    let maxError = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
                    #expect(maxError <= 5e-4, "\(caseName) \(c.options.memory) output \(pos) '\(e.name)': max abs error \(maxError)")
                    outs.append(got)
                }
                outputs.append(outs)
            }
            #expect(outputs.count == 2)
            for (a, b) in zip(outputs.first ?? [], outputs.last ?? []) {
                let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
                #expect(a.count == b.count && worst <= 5e-4, "\(caseName): compact and tensor-level plans differ by \(worst)")
            }
        }
    }
}
