import Testing
import TestSupport
import TFLite
@testable import Engine
import CKernels

/// The AVX2 float kernels (for x86-64 CPUs without AVX-512) against the reference kernels, within
/// float32 rounding (``FastKernelTests/floatConvErrors(_:depthwise:fast:input:terms:)``: each output
/// within 2*gamma(n)*sum|terms| of the reference), on swept shapes: channels 1...70, kernels
/// 1...5, strides 1...3, SAME and VALID padding, RELU, RELU6 or none; and the float model on them
/// against the golden files in both memory plans. The kernels are made directly, so they run on
/// AVX-512 machines too; a CPU without AVX2 records an issue instead of passing silently.
@Suite struct AVX2FloatKernelTests {
    typealias Rng = FastKernelTests.Rng
    typealias Case = (h: Int, w: Int, c: Int, k: (Int, Int), stride: Int, padding: PaddingKind)

    /// Random weights and biases in [-1, 1] and a random fused activation.
    static func params(_ r: inout Rng, _ c: Case, oc: Int, depthwise: Bool) -> ConvFloatParams {
        let win = Window(padding: c.padding, inH: c.h, inW: c.w, filterH: c.k.0, filterW: c.k.1, strideH: c.stride, strideW: c.stride)
        let act = r.int(0...2)
        let wCount = depthwise ? c.k.0 * c.k.1 * oc : oc * c.k.0 * c.k.1 * c.c
        return ConvFloatParams(input: NHWC([1, c.h, c.w, c.c]), output: NHWC([1, win.outH, win.outW, oc]), window: win,
                               actMin: act == 0 ? -.greatestFiniteMagnitude : 0, actMax: act == 2 ? 6 : .greatestFiniteMagnitude,
                               weights: (0..<wCount).map { _ in r.float(-1, 1) }, bias: (0..<oc).map { _ in r.float(-1, 1) })
    }

    /// The fixed cases then 70 random ones, AVX2 kernel against the rounding bound.
    static func sweep(seed: UInt64, depthwise: Bool, _ fixed: [Case]) throws {
        var r = Rng(seed)
        var cases = fixed
        for _ in 0..<70 { cases.append(PortableKernelTests.randomCase(&r)) }
        var tested = 0
        for c in cases where PortableKernelTests.fits(c.h, c.w, c.k, c.stride, c.padding) {
            let oc = depthwise ? c.c : r.int(1...70)
            let p = params(&r, c, oc: oc, depthwise: depthwise)
            let off = (p.input.count * 4 + 63) / 64 * 64
            let made: (any Kernel)? = depthwise ? DepthwiseConv2DFloatAVX2.make(p, input: 0, output: off, cpu: .avx2)
                                                : Conv2DFloatAVX2.make(p, input: 0, output: off, cpu: .avx2)
            let k = try #require(made, "\(c) -> \(oc): no AVX2 kernel")
            let input = (0..<p.input.count).map { _ in r.float(-2, 2) }
            let bad = FastKernelTests.floatConvErrors(p, depthwise: depthwise, fast: k, input: input,
                                                      terms: c.k.0 * c.k.1 * (depthwise ? 1 : c.c))
            #expect(bad == 0, "\(depthwise ? "depthwise" : "conv") float \(c.h)x\(c.w)x\(c.c) -> \(oc) \(c.k)/\(c.stride) \(c.padding): \(bad) outputs outside the rounding bound")
            tested += 1
        }
        #expect(tested >= 50, "only \(tested) shapes fit")
    }

    @Test func convFloatWithinRoundingOfReference() throws {
        guard AVX2KernelTests.hasAVX2() else { return }
        try Self.sweep(seed: 61, depthwise: false, [
            (32, 32, 3, (5, 5), 2, .same), (16, 16, 24, (1, 1), 1, .valid), (8, 8, 42, (1, 1), 1, .valid), (1, 1, 1, (1, 1), 1, .valid),
            (7, 9, 65, (1, 1), 1, .same), (5, 5, 7, (3, 3), 1, .same), (9, 6, 4, (5, 3), 3, .same), (13, 11, 70, (5, 5), 1, .same),
            (11, 13, 88, (1, 1), 1, .valid), (6, 6, 96, (1, 1), 1, .valid), (17, 5, 28, (1, 1), 1, .valid),
        ])
    }

    /// Filters too large for the border scratch rows, and CPUs without AVX2, are left to the portable kernel.
    @Test func convFloatDeclinesFiltersPastItsScratchAndWithoutAVX2() {
        guard AVX2KernelTests.hasAVX2() else { return }
        var r = Rng(62)
        let p = Self.params(&r, (8, 8, 90, (5, 5), 1, .same), oc: 8, depthwise: false)
        let large = Conv2DFloatAVX2.make(p, input: 0, output: 0, cpu: .avx2)
        var q = p
        q.input = NHWC([1, 8, 8, 9]); q.weights = Array(p.weights[0..<(8 * 25 * 9)])
        let noAVX2 = Conv2DFloatAVX2.make(q, input: 0, output: 0, cpu: [])
        #expect(large == nil && noAVX2 == nil)
        #expect(Conv2DFloatAVX2.make(q, input: 0, output: 0, cpu: .avx2) != nil)
    }

    @Test func depthwiseFloatWithinRoundingOfReference() throws {
        guard AVX2KernelTests.hasAVX2() else { return }
        try Self.sweep(seed: 63, depthwise: true, [
            (16, 16, 24, (3, 3), 1, .same), (16, 16, 28, (3, 3), 2, .same), (4, 4, 96, (3, 3), 1, .same), (1, 1, 1, (1, 1), 1, .valid),
            (9, 7, 15, (3, 3), 2, .same), (6, 5, 17, (3, 3), 1, .valid), (5, 9, 70, (5, 5), 3, .same), (8, 8, 42, (3, 3), 2, .same),
            (7, 7, 5, (3, 3), 1, .same), (9, 9, 8, (3, 3), 1, .same),
        ])
    }

    /// ADD and clamp equal the reference (one rounding per add), counts 1...70 (masked tails),
    /// RELU, RELU6 or none; the output sits right after the inputs.
    @Test func addAndClampFloatEqualReference() throws {
        guard AVX2KernelTests.hasAVX2() else { return }
        var r = Rng(64)
        for count in 1...70 {
            let act = r.int(0...2)
            let lo: Float = act == 0 ? -.greatestFiniteMagnitude : 0, hi: Float = act == 2 ? 6 : .greatestFiniteMagnitude
            let values = (0..<(2 * count)).map { _ in r.float(-8, 8) }
            let fill: (UnsafeMutableRawPointer) -> Void = { base in
                for (i, v) in values.enumerated() { base.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self) }
            }
            let add = try #require(AddFloatAVX2.make(count: count, actMin: lo, actMax: hi, input1: 0, input2: 4 * count, output: 8 * count, cpu: .avx2))
            let (a, b) = FastKernelTests.run(AddFloatReference(count: count, actMin: lo, actMax: hi, input1: 0, input2: 4 * count, output: 8 * count), add,
                                             arenaSize: 12 * count, fill: fill, output: 8 * count, outBytes: 4 * count)
            #expect(a == b, "add count \(count)")
            let clamp = try #require(ClampFloatAVX2.make(count: count, lo: 0, hi: hi, input: 4 * count, output: 8 * count, cpu: .avx2))
            let (c, d) = FastKernelTests.run(ClampFloatReference(count: count, lo: 0, hi: hi, input: 4 * count, output: 8 * count), clamp,
                                             arenaSize: 12 * count, fill: fill, output: 8 * count, outBytes: 4 * count)
            #expect(c == d, "clamp count \(count)")
        }
        #expect(AddFloatAVX2.make(count: 8, actMin: 0, actMax: 1, input1: 0, input2: 0, output: 0, cpu: []) == nil)
        #expect(ClampFloatAVX2.make(count: 8, lo: 0, hi: 1, input: 0, output: 0, cpu: []) == nil)
    }

    /// Channel PAD equals the reference byte for byte (channels 1...70 padded by 0...12 before and
    /// after, 1...40 pixels); other paddings and non-zero fills are left to other kernels.
    @Test func channelPadFloatEqualsReference() throws {
        guard AVX2KernelTests.hasAVX2() else { return }
        var r = Rng(65)
        for _ in 0..<60 {
            let h = r.int(1...5), w = r.int(1...8), c = r.int(1...70), head = r.int(0...12), tail = r.int(0...12)
            let xs = NHWC([1, h, w, c]), ys = NHWC([1, h, w, c + head + tail]), before = NHWC([0, 0, 0, head])
            let out = (xs.count * 4 + 63) / 64 * 64
            let k = try #require(PadFloatAVX2.make(input: xs, output: ys, before: before, elementSize: 4, fill: [0, 0, 0, 0], input: 0, output: out, cpu: .avx2))
            let values = (0..<xs.count).map { _ in r.float(-4, 4) }
            let (a, b) = FastKernelTests.run(PadReference(input: xs, output: ys, before: before, elementSize: 4, fill: [0, 0, 0, 0], inputOffset: 0, outputOffset: out), k,
                                             arenaSize: out + ys.count * 4, fill: { base in
                for (i, v) in values.enumerated() { base.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self) }
            }, output: out, outBytes: ys.count * 4)
            #expect(a == b, "pad \(h)x\(w)x\(c) by \(head), \(tail)")
        }
        let xs = NHWC([1, 4, 4, 8])
        let spatial = PadFloatAVX2.make(input: xs, output: NHWC([1, 5, 4, 8]), before: NHWC([0, 1, 0, 0]), elementSize: 4, fill: [0, 0, 0, 0], input: 0, output: 0, cpu: .avx2)
        let filled = PadFloatAVX2.make(input: xs, output: NHWC([1, 4, 4, 9]), before: NHWC([0, 0, 0, 0]), elementSize: 4, fill: [0, 0, 128, 63], input: 0, output: 0, cpu: .avx2)
        #expect(spatial == nil && filled == nil)
    }

    /// The float model with the kernels chosen as on an AVX2-only CPU: the golden outputs within
    /// GoldenTests' 5e-4, and the compact plan within 5e-4 of the tensor-level one.
    @Test(.requires(.golden)) func floatModelWithinToleranceInBothPlans() throws {
        guard AVX2KernelTests.hasAVX2() else { return }
        let model = try TFLiteModel(contentsOfFile: SharedData.floatModel)
        var compiled: [EngineOptions.Memory: CompiledModel] = [:]
        for memory in EngineOptions.Memory.allCases {
            var options = EngineOptions(kernels: .fast, memory: memory)
            options.cpuOverride = .avx2
            let c = try CompiledModel(model: model, options: options)
            let names = c.ops.compactMap { $0.kernel.map { String(describing: type(of: $0)) } }
            #expect(names.contains { $0.hasSuffix("AVX2") }, "no AVX2 kernel chosen: \(Set(names))")
            #expect(!names.contains { $0.hasSuffix("Fast") }, "AVX-512 kernels chosen: \(Set(names))")
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
