import Testing
import TestSupport
import KernelTesting
@testable import Engine
import CKernels

/// The vectorized requantizations (C `bf_rq16`/`bf_rq16f` for AVX-512, `bf_rq8`/`bf_rq8f` for
/// AVX2, and the portable ``ChannelRequant``) against TFLite's `MultiplyByQuantizedMultiplier`
/// on edge accumulators and multipliers. A CPU without the ISA skips the C tests, saying why.
@Suite struct RequantizationTests {
    static let avx512 = CPUFeatures.detected.contains(.avx512)
    static let avx2 = CPUFeatures.detected.contains(.avx2)

    /// Edge accumulators: powers of two and their neighbours, extremes, random values.
    static func edges(_ r: inout Rng, limit: Int32 = .max, random: Int) -> [Int32] {
        var e: [Int32] = [0, 1, -1, 2, -2, limit, -limit, limit - 1, -limit + 1]
        if limit == .max { e += [Int32.min, Int32.min + 1, 1 << 30, -(1 << 30), (1 << 30) - 1, -(1 << 30) + 1] }
        for k in 0..<(limit == .max ? 31 : 29) { e += [1 << k, -(1 << k), (1 << k) + 1, -(1 << k) - 1, (1 << k) - 1, -(1 << k) + 1] }
        for _ in 0..<random {
            e.append(limit == .max ? Int32(truncatingIfNeeded: r.int(Int(Int32.min)...Int(Int32.max))) : Int32(r.int(-Int(limit)...Int(limit))))
            e.append(Int32(r.int(-100_000...100_000)))
        }
        return e
    }

    /// Multipliers with shifts from -31 to 30, 0.5, exact powers of two and random ones.
    static func multiplier(_ r: inout Rng, _ k: Int) -> QuantizedMultiplier {
        switch k % 5 {
        case 0: return QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: r.int(-31...30), significand: 1))
        case 1: return QuantizedMultiplier(0.5)
        case 2: return QuantizedMultiplier(Double(sign: .plus, exponent: -r.int(0...31), significand: 1))
        default:
            if r.int(0...7) == 0 { return QuantizedMultiplier(Double(1 << r.int(0...3)) / 8) }
            return QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: r.int(-20...1), significand: 1))
        }
    }

    /// `lanes` channels of random multipliers applied by `apply` to `xs`; the lanes that differ.
    static func check(lanes: Int, trials: Int, seed: UInt64, _ apply: ([Int32], [Int32], [Int32]) -> [Int32]) -> [String] {
        var r = Rng(seed)
        let edges = Self.edges(&r, random: 2000)
        for trial in 0..<trials {
            let ms = (0..<lanes).map { Self.multiplier(&r, trial + $0) }
            let xs = (0..<(16 * lanes)).map { _ in edges[r.int(0...(edges.count - 1))] }
            let got = apply(ms.map(\.significand), ms.map(\.shift), xs)
            let bad = xs.indices.filter { got[$0] != multiplyByQuantizedMultiplier(xs[$0], ms[$0 % lanes].significand, ms[$0 % lanes].shift) }
            if let i = bad.first { return ["x \(xs[i]) m \(ms[i % lanes].significand) shift \(ms[i % lanes].shift): \(bad.count) lanes differ"] }
        }
        return []
    }

    @Test(.enabled(if: avx512, "needs AVX-512 (bf_rq16_apply_avx512)"))
    func rq16MatchesReference() {
        let bad = Self.check(lanes: 16, trials: 300, seed: 1) { m, s, xs in
            var block = bf_rq16()
            bf_rq16_pack(m, s, 16, &block)
            var got = [Int32](repeating: 0, count: xs.count)
            bf_rq16_apply_avx512(xs, Int32(xs.count), [bf_rq16](repeating: block, count: xs.count / 16), &got)
            return got
        }
        #expect(bad.isEmpty, "\(bad)")
    }

    @Test(.enabled(if: avx2, "needs AVX2 (bf_rq8_apply_avx2)"))
    func rq8MatchesReference() {
        let bad = Self.check(lanes: 8, trials: 300, seed: 41) { m, s, xs in
            var block = bf_rq8()
            bf_rq8_pack(m, s, 8, &block)
            var got = [Int32](repeating: 0, count: xs.count)
            bf_rq8_apply_avx2(xs, Int32(xs.count), [bf_rq8](repeating: block, count: xs.count / 8), &got)
            return got
        }
        #expect(bad.isEmpty, "\(bad)")
    }

    @Test func channelRequantMatchesReference() {
        let bad = Self.check(lanes: 8, trials: 400, seed: 23) { m, s, xs in
            xs.indices.map { ChannelRequant(multiplier: m[$0 % 8], shift: s[$0 % 8]).apply(xs[$0]) }
        }
        #expect(bad.isEmpty, "\(bad)")
    }

    /// The cheap forms (r >= 1, m > 2^30, |x| < 2^29, zero point folded in), in 16 and 8 lanes.
    @Test(arguments: [16, 8])
    func cheapFormsMatchReferenceWithinTheirBound(lanes: Int) throws {
        if lanes == 16 && !Self.avx512 { try Test.cancel("skipped bf_rq16f: this CPU lacks AVX-512") }
        if lanes == 8 && !Self.avx2 { try Test.cancel("skipped bf_rq8f: this CPU lacks AVX2") }
        var r = Rng(11)
        let lim: Int32 = (1 << 29) - 1
        let edges = Self.edges(&r, limit: lim, random: 2000)
        let bounds = [Int64](repeating: Int64(lim), count: lanes)
        for trial in 0..<300 {
            let mults = (0..<lanes).map { c -> Int32 in
                switch (trial + c) % 4 {
                case 0: return (1 << 30) + Int32(r.int(1...3))
                case 1: return Int32.max - Int32(r.int(0...3))
                default: return Int32(r.int((1 << 30) + 1...Int(Int32.max)))
                }
            }
            let shifts = (0..<lanes).map { _ in -Int32(r.int(1...20)) }
            let zp = Int32(r.int(-128...127))
            let xs = (0..<(16 * lanes)).map { _ in edges[r.int(0...(edges.count - 1))] }
            var got = [Int32](repeating: 0, count: xs.count)
            if lanes == 16 {
                var block = bf_rq16f()
                #expect(bf_rq16f_pack(mults, shifts, bounds, 16, zp, &block) == 1)
                bf_rq16f_apply_avx512(xs, Int32(xs.count), [bf_rq16f](repeating: block, count: xs.count / 16), &got)
            } else {
                var block = bf_rq8f()
                #expect(bf_rq8f_pack(mults, shifts, bounds, 8, zp, &block) == 1)
                bf_rq8f_apply_avx2(xs, Int32(xs.count), [bf_rq8f](repeating: block, count: xs.count / 8), &got)
            }
            let bad = xs.indices.filter { got[$0] != multiplyByQuantizedMultiplier(xs[$0], mults[$0 % lanes], shifts[$0 % lanes]) + zp }
            #expect(bad.isEmpty, "\(bad.count) lanes differ, first x \(bad.first.map { xs[$0] } ?? 0)")
            if !bad.isEmpty { return }
        }
        // Not applicable: m = 2^30 exactly, r = 0, a too large bound.
        var block = bf_rq16f()
        let ok = [Int32](repeating: (1 << 30) + 5, count: 16), sh = [Int32](repeating: -3, count: 16), b16 = [Int64](repeating: Int64(lim), count: 16)
        #expect(bf_rq16f_pack(ok, sh, b16, 16, 0, &block) == 1)
        #expect(bf_rq16f_pack([Int32](repeating: 1 << 30, count: 16), sh, b16, 16, 0, &block) == 0)
        #expect(bf_rq16f_pack(ok, [Int32](repeating: 0, count: 16), b16, 16, 0, &block) == 0)
        #expect(bf_rq16f_pack(ok, sh, [Int64](repeating: 1 << 29, count: 16), 16, 0, &block) == 0)
    }
}
