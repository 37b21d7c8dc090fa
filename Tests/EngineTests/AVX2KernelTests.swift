import Testing
import TestSupport
import TFLite
@testable import Engine
import CKernels

/// The AVX2 int8 kernels (for x86-64 CPUs without AVX-512) against the reference kernels, byte for
/// byte, on swept shapes: channels 1...70, kernels 1...5, strides 1...3, SAME and VALID padding,
/// fused RELU or none, per-channel multipliers with left and right shifts; and the whole int8
/// model on them against the golden files in both memory plans. The kernels are made directly
/// (not through ``CPUFeatures/current``), so they run on AVX-512 machines too; a CPU without AVX2
/// records an issue instead of passing silently.
@Suite struct AVX2KernelTests {
    typealias Rng = FastKernelTests.Rng
    typealias Case = (h: Int, w: Int, c: Int, k: (Int, Int), stride: Int, padding: PaddingKind)

    /// False (with a recorded issue) when this CPU cannot run the AVX2 kernels.
    static func hasAVX2() -> Bool {
        if CPUFeatures.detected.contains(.avx2) { return true }
        Issue.record("this CPU has no AVX2 (+FMA): the AVX2 kernels cannot be tested here")
        return false
    }

    @Test func requantizationMatchesReferenceOnEdgeValues() {
        guard Self.hasAVX2() else { return }
        var r = Rng(41)
        var edges: [Int32] = [0, 1, -1, 2, -2, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1, 1 << 30, -(1 << 30)]
        for k in 0..<31 { edges += [1 << k, -(1 << k), (1 << k) + 1, -(1 << k) - 1, (1 << k) - 1, -(1 << k) + 1] }
        for _ in 0..<500 { edges.append(Int32(truncatingIfNeeded: r.g.next())); edges.append(Int32(r.int(-100_000...100_000))) }
        for trial in 0..<200 {
            var mults: [Int32] = [], shifts: [Int32] = []
            for c in 0..<8 {
                let m = (trial + c) % 3 == 0
                    ? QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: r.int(-31...30), significand: 1))
                    : FastKernelTests.randomMultiplier(&r)
                mults.append(m.significand); shifts.append(m.shift)
            }
            var block = bf_rq8()
            bf_rq8_pack(mults, shifts, 8, &block)
            let xs = (0..<64).map { _ in edges[r.int(0...(edges.count - 1))] }
            var got = [Int32](repeating: 0, count: xs.count)
            let blocks = [bf_rq8](repeating: block, count: xs.count / 8)
            bf_rq8_apply_avx2(xs, Int32(xs.count), blocks, &got)
            let bad = xs.indices.filter { got[$0] != multiplyByQuantizedMultiplier(xs[$0], mults[$0 % 8], shifts[$0 % 8]) }
            #expect(bad.isEmpty, "\(bad.count) lanes differ, first x \(bad.first.map { xs[$0] } ?? 0)")
            if !bad.isEmpty { return }
        }
    }

    @Test func cheapRequantizationMatchesReferenceWithinItsBound() {
        guard Self.hasAVX2() else { return }
        var r = Rng(42)
        let lim: Int32 = (1 << 29) - 1
        var edges: [Int32] = [0, 1, -1, lim, -lim, lim - 1, -lim + 1]
        for k in 0..<29 { edges += [1 << k, -(1 << k), (1 << k) + 1, -(1 << k) - 1] }
        for _ in 0..<500 { edges.append(Int32(r.int(-Int(lim)...Int(lim)))) }
        let bounds = [Int64](repeating: Int64(lim), count: 8)
        for trial in 0..<200 {
            let mults = (0..<8).map { c in (trial + c) % 3 == 0 ? (1 << 30) + Int32(r.int(1...3)) : Int32(r.int((1 << 30) + 1...Int(Int32.max))) }
            let shifts = (0..<8).map { _ in -Int32(r.int(1...20)) }
            let zp = Int32(r.int(-128...127))
            var block = bf_rq8f()
            #expect(bf_rq8f_pack(mults, shifts, bounds, 8, zp, &block) == 1)
            let xs = (0..<64).map { _ in edges[r.int(0...(edges.count - 1))] }
            var got = [Int32](repeating: 0, count: xs.count)
            bf_rq8f_apply_avx2(xs, Int32(xs.count), [bf_rq8f](repeating: block, count: xs.count / 8), &got)
            let bad = xs.indices.filter { got[$0] != multiplyByQuantizedMultiplier(xs[$0], mults[$0 % 8], shifts[$0 % 8]) + zp }
            #expect(bad.isEmpty, "\(bad.count) lanes differ")
            if !bad.isEmpty { return }
        }
    }

    /// The fixed cases then 70 random ones (channels 1...70, kernels 1...5, strides 1...3, both
    /// paddings, RELU or none, left and right shifts), AVX2 kernel against reference.
    /// `large`: inputs too large for the padded copy of the conv kernel, with at most 12 output
    /// channels (the reference kernel is slow in debug builds).
    static func sweepConv(seed: UInt64, depthwise: Bool, _ fixed: [Case], large: [Case] = []) throws {
        var r = Rng(seed)
        var cases = fixed
        for _ in 0..<70 { cases.append(PortableKernelTests.randomCase(&r)) }
        for (n, (h, w, ic, k, s, pad)) in (cases + large).enumerated() where PortableKernelTests.fits(h, w, k, s, pad) {
            let oc = depthwise ? ic : r.int(1...(n < cases.count ? 70 : 12))
            let p = PortableKernelTests.params(&r, h: h, w: w, ic: ic, oc: oc, k: k, stride: s, padding: pad, depthwise: depthwise)
            let same = try PortableKernelTests.compare(&r, p, reference: { out -> any Kernel in
                depthwise ? DepthwiseConv2DInt8Reference(p: p, depthMultiplier: 1, inputOffsetInArena: 0, outputOffsetInArena: out)
                          : Conv2DInt8Reference(p: p, inputOffsetInArena: 0, outputOffsetInArena: out)
            }, portable: { out -> (any Kernel)? in
                depthwise ? DepthwiseConv2DInt8AVX2.make(p, input: 0, output: out) : Conv2DInt8AVX2.make(p, input: 0, output: out)
            })
            #expect(same, "\(depthwise ? "depthwise" : "conv") \(h)x\(w)x\(ic) -> \(oc), \(k.0)x\(k.1) stride \(s) \(pad)")
        }
    }

    @Test func convInt8MatchesReference() throws {
        guard Self.hasAVX2() else { return }
        try Self.sweepConv(seed: 43, depthwise: false, [
            (32, 32, 3, (5, 5), 2, .same), (16, 16, 24, (1, 1), 1, .valid), (8, 8, 42, (1, 1), 1, .valid), (1, 1, 1, (1, 1), 1, .valid),
            (7, 9, 65, (1, 1), 1, .same), (5, 5, 7, (3, 3), 1, .same), (9, 6, 4, (5, 3), 3, .same), (13, 11, 70, (5, 5), 1, .same),
        ], large: [(40, 40, 40, (3, 3), 1, .same), (41, 37, 45, (3, 3), 2, .same), (30, 33, 63, (2, 5), 3, .valid), (129, 131, 3, (5, 5), 2, .same)])
    }

    @Test func depthwiseInt8MatchesReference() throws {
        guard Self.hasAVX2() else { return }
        try Self.sweepConv(seed: 44, depthwise: true, [
            (16, 16, 24, (3, 3), 1, .same), (16, 16, 28, (3, 3), 2, .same), (4, 4, 96, (3, 3), 1, .same), (1, 1, 1, (1, 1), 1, .valid),
            (9, 7, 15, (3, 3), 2, .same), (6, 5, 17, (3, 3), 1, .valid), (5, 9, 70, (5, 5), 3, .same), (8, 8, 42, (3, 3), 2, .same),
        ])
    }

    /// Every (a, b) pair of bytes, then a random tail (1...40 elements past the 16-element loop).
    @Test func addInt8MatchesReferenceOnAllPairs() throws {
        guard Self.hasAVX2() else { return }
        var r = Rng(45)
        var built = 0
        for trial in 0..<24 {
            let count = 65_536 + r.int(1...40)
            let s1 = r.float(0.005, 0.3), s2 = trial % 7 == 0 ? s1 : r.float(0.005, 0.3), so = r.float(0.01, 0.2)
            let p = AddInt8Params(count: count, scale1: s1, zp1: Int32(r.int(-128...127)), scale2: s2, zp2: Int32(r.int(-128...127)),
                                  scaleOut: so, zpOut: Int32(r.int(-128...127)), activation: trial % 2 == 0 ? .relu : .none)
            guard let tables = AddInt8LutFast.tables(p) else { continue }
            built += 1
            let kernel = try #require(AddInt8AVX2.make(p, tables: AddInt8Portable.decode(tables), input1: 0, input2: count, output: 2 * count))
            var rr = r
            let (a, b) = FastKernelTests.run(AddInt8Reference(p: p, input1: 0, input2: count, output: 2 * count), kernel, arenaSize: 3 * count, fill: { base in
                for i in 0..<count {
                    let (x, y) = i < 65_536 ? (UInt8(i & 255), UInt8(i >> 8)) : (UInt8(truncatingIfNeeded: rr.g.next()), UInt8(truncatingIfNeeded: rr.g.next()))
                    base.storeBytes(of: x, toByteOffset: i, as: UInt8.self)
                    base.storeBytes(of: y, toByteOffset: count + i, as: UInt8.self)
                }
            }, output: 2 * count, outBytes: count)
            r = rr
            #expect(a == b, "add count \(count) scales \(s1) \(s2) -> \(so): \(zip(a, b).filter { $0 != $1 }.count) bytes differ")
        }
        #expect(built >= 12, "tables built for \(built) of 24 parameter sets")
    }

    /// The int8 model with the kernels chosen as on an AVX2-only CPU: every int8 intermediate
    /// equals the golden files, in both memory plans.
    @Test(.requires(.int8Model), arguments: EngineOptions.Memory.allCases)
    func int8ModelMatchesGolden(memory: EngineOptions.Memory) throws {
        guard Self.hasAVX2() else { return }
        var options = EngineOptions(kernels: .fast, memory: memory)
        options.cpuOverride = .avx2
        let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: SharedData.int8Model), options: options)
        let names = compiled.ops.compactMap { $0.kernel.map { String(describing: type(of: $0)) } }
        #expect(names.contains { $0.hasSuffix("AVX2") }, "no AVX2 kernel chosen: \(Set(names))")
        #expect(!names.contains { $0.hasSuffix("Fast") }, "AVX-512 kernels chosen: \(Set(names))")
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
}
