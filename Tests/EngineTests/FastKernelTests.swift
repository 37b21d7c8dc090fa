import Testing
import TestSupport
import TFLite
@testable import Engine
import CKernels

/// Fast kernels against the reference kernels (the oracle), byte for byte for int8, on swept
/// shapes, channel counts, strides, paddings and quantization parameters (XNNPACK-style testers).
/// Skipped on CPUs without the kernels' ISA (the engine then uses the reference).
@Suite struct FastKernelTests {
    struct Rng {
        var g: SplitMix64
        init(_ seed: UInt64) { g = SplitMix64(seed: seed) }
        mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(g.next() % UInt64(r.count)) }
        mutating func int8() -> Int8 { Int8(truncatingIfNeeded: g.next()) }
        mutating func float(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(g.next() >> 40) / Float(1 << 24) }
    }

    /// Runs `a` and `b` on the same arena input and returns both outputs.
    static func run(_ a: any Kernel, _ b: any Kernel, arenaSize: Int, fill: (UnsafeMutableRawPointer) -> Void,
                    output: Int, outBytes: Int) -> ([UInt8], [UInt8]) {
        let arena = UnsafeMutableRawPointer.allocate(byteCount: arenaSize, alignment: 64)
        defer { arena.deallocate() }
        arena.initializeMemory(as: UInt8.self, repeating: 0x5A, count: arenaSize)
        fill(arena)
        a.eval(arena: arena)
        let ra = Array(UnsafeRawBufferPointer(start: arena + output, count: outBytes))
        (arena + output).initializeMemory(as: UInt8.self, repeating: 0xA5, count: outBytes)
        b.eval(arena: arena)
        let rb = Array(UnsafeRawBufferPointer(start: arena + output, count: outBytes))
        return (ra, rb)
    }

    static func randomMultiplier(_ r: inout Rng) -> QuantizedMultiplier {
        // Real multipliers from 2^-20 to 2 (left shifts included), plus exact powers of two.
        if r.int(0...7) == 0 { return QuantizedMultiplier(Double(1 << r.int(0...3)) / 8) }
        return QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: r.int(-20...1), significand: 1))
    }

    @Test func requantizationMatchesReferenceOnEdgeValues() throws {
        guard CPUFeatures.current.contains(.avx512) else { return }
        var r = Rng(1)
        var edges: [Int32] = [0, 1, -1, 2, -2, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1, 1 << 30, -(1 << 30), (1 << 30) - 1, -(1 << 30) + 1]
        for k in 0..<31 { edges += [1 << k, -(1 << k), (1 << k) + 1, -(1 << k) - 1, (1 << k) - 1, -(1 << k) + 1] }
        for _ in 0..<2000 { edges.append(Int32(truncatingIfNeeded: r.g.next())); edges.append(Int32(r.int(-100_000...100_000))) }
        for trial in 0..<300 {
            var mults: [Int32] = [], shifts: [Int32] = []
            for c in 0..<16 {
                let m: QuantizedMultiplier
                switch (trial + c) % 5 {
                case 0: m = QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: r.int(-31...30), significand: 1))
                case 1: m = QuantizedMultiplier(0.5)
                case 2: m = QuantizedMultiplier(Double(sign: .plus, exponent: -r.int(0...31), significand: 1))
                default: m = Self.randomMultiplier(&r)
                }
                mults.append(m.significand); shifts.append(m.shift)
            }
            var block = bf_rq16()
            bf_rq16_pack(mults, shifts, 16, &block)
            let xs = (0..<256).map { _ in edges[r.int(0...(edges.count - 1))] }
            var got = [Int32](repeating: 0, count: xs.count)
            withUnsafePointer(to: block) { bp in
                var blocks = [bf_rq16](repeating: bp.pointee, count: xs.count / 16)
                blocks.withUnsafeMutableBufferPointer { b in bf_rq16_apply_avx512(xs, Int32(xs.count), b.baseAddress, &got) }
            }
            for i in xs.indices {
                let want = multiplyByQuantizedMultiplier(xs[i], mults[i % 16], shifts[i % 16])
                #expect(got[i] == want, "x \(xs[i]) m \(mults[i % 16]) shift \(shifts[i % 16])")
                if got[i] != want { return }
            }
        }
    }

    @Test func cheapRequantizationMatchesReferenceWithinItsBound() throws {
        guard CPUFeatures.current.contains(.avx512) else { return }
        var r = Rng(11)
        let lim: Int32 = (1 << 29) - 1
        var edges: [Int32] = [0, 1, -1, 2, -2, lim, -lim, lim - 1, -lim + 1]
        for k in 0..<29 { edges += [1 << k, -(1 << k), (1 << k) + 1, -(1 << k) - 1, (1 << k) - 1, -(1 << k) + 1] }
        for _ in 0..<2000 { edges.append(Int32(r.int(-Int(lim)...Int(lim)))); edges.append(Int32(r.int(-100_000...100_000))) }
        let bounds = [Int64](repeating: Int64(lim), count: 16)
        for trial in 0..<400 {
            var mults: [Int32] = [], shifts: [Int32] = []
            for c in 0..<16 {
                let m: Int32 = (trial + c) % 4 == 0 ? (1 << 30) + Int32(r.int(1...3)) : ((trial + c) % 4 == 1 ? Int32.max - Int32(r.int(0...3)) : Int32(r.int((1 << 30) + 1...Int(Int32.max))))
                mults.append(m); shifts.append(-Int32(r.int(1...20)))
            }
            let zp = Int32(r.int(-128...127))
            var block = bf_rq16f()
            #expect(bf_rq16f_pack(mults, shifts, bounds, 16, zp, &block) == 1)
            let xs = (0..<256).map { _ in edges[r.int(0...(edges.count - 1))] }
            var got = [Int32](repeating: 0, count: xs.count)
            withUnsafePointer(to: block) { bp in
                var blocks = [bf_rq16f](repeating: bp.pointee, count: xs.count / 16)
                blocks.withUnsafeMutableBufferPointer { b in bf_rq16f_apply_avx512(xs, Int32(xs.count), b.baseAddress, &got) }
            }
            for i in xs.indices {
                let want = multiplyByQuantizedMultiplier(xs[i], mults[i % 16], shifts[i % 16]) + zp
                #expect(got[i] == want, "x \(xs[i]) m \(mults[i % 16]) shift \(shifts[i % 16]) zp \(zp)")
                if got[i] != want { return }
            }
        }
        // Not applicable: m = 2^30 exactly, r = 0, a too large bound.
        var block = bf_rq16f()
        let ok = [Int32](repeating: (1 << 30) + 5, count: 16), sh = [Int32](repeating: -3, count: 16)
        #expect(bf_rq16f_pack(ok, sh, bounds, 16, 0, &block) == 1)
        #expect(bf_rq16f_pack([Int32](repeating: 1 << 30, count: 16), sh, bounds, 16, 0, &block) == 0)
        #expect(bf_rq16f_pack(ok, [Int32](repeating: 0, count: 16), bounds, 16, 0, &block) == 0)
        #expect(bf_rq16f_pack(ok, sh, [Int64](repeating: 1 << 29, count: 16), 16, 0, &block) == 0)
    }

    static func convParams(_ r: inout Rng, inH: Int, inW: Int, ic: Int, oc: Int, kh: Int, kw: Int, stride: Int,
                           padding: PaddingKind, depthwise: Bool, act: ActivationKind) -> ConvInt8Params {
        let win = Window(padding: padding, inH: inH, inW: inW, filterH: kh, filterW: kw, strideH: stride, strideW: stride)
        let zIn = Int32(r.int(-128...127)), zOut = Int32(r.int(-128...127))
        let wCount = depthwise ? kh * kw * oc : oc * kh * kw * ic
        let weights = (0..<wCount).map { _ in r.int(0...9) == 0 ? Int8(r.int(-127...127)) : Int8(r.int(-20...20)) }
        let bias = (0..<oc).map { _ in Int32(r.int(-20000...20000)) }
        var mults: [Int32] = [], shifts: [Int32] = []
        for _ in 0..<oc {
            let m = QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: r.int(-12...(-4)), significand: 1))
            mults.append(m.significand); shifts.append(m.shift)
        }
        let (lo, hi) = act == .relu ? (max(-128, zOut), Int32(127)) : (Int32(-128), Int32(127))
        return ConvInt8Params(input: NHWC([1, inH, inW, ic]), output: NHWC([1, win.outH, win.outW, oc]), window: win,
                              inputOffset: -zIn, outputOffset: zOut, actMin: lo, actMax: hi, weights: weights, bias: bias,
                              multipliers: mults, shifts: shifts)
    }

    @Test func convInt8MatchesReference() throws {
        guard CPUFeatures.current.contains(.avx512vnni) else { return }
        var r = Rng(2)
        var cases: [(Int, Int, Int, Int, Int, Int, Int, PaddingKind)] = [   // h, w, ic, oc, kh, kw, stride, padding
            (128, 128, 3, 24, 5, 5, 2, .same), (64, 64, 24, 28, 1, 1, 1, .valid), (16, 16, 42, 48, 1, 1, 1, .valid),
            (8, 8, 96, 6, 1, 1, 1, .same), (8, 8, 96, 96, 1, 1, 1, .valid), (1, 1, 1, 1, 1, 1, 1, .valid),
            // pixel-pair tiles (last group of two blocks with at most 24 channels), odd pixel counts
            (19, 13, 24, 24, 1, 1, 1, .valid), (9, 9, 20, 88, 3, 3, 2, .same), (7, 5, 5, 20, 5, 5, 2, .same),
            (11, 11, 3, 17, 5, 5, 2, .same), (6, 10, 40, 81, 1, 1, 1, .valid), (33, 31, 3, 24, 5, 5, 2, .same),
            // inputs too large for the padded unsigned copy (border scratch rows instead)
            (40, 40, 40, 20, 3, 3, 1, .same), (45, 41, 36, 50, 3, 3, 2, .valid), (131, 129, 4, 24, 5, 5, 2, .same),
        ]
        for _ in 0..<60 {
            let k = r.int(1...5)
            cases.append((r.int(1...19), r.int(1...19), r.int(1...70), r.int(1...100), k, r.int(1...5), r.int(1...3), r.int(0...1) == 0 ? .same : .valid))
        }
        for (h, w, ic, oc, kh, kw, s, pad) in cases where Window.outputSize(pad, input: h, filter: kh, stride: s, dilation: 1) > 0 && Window.outputSize(pad, input: w, filter: kw, stride: s, dilation: 1) > 0 {
            let p = Self.convParams(&r, inH: h, inW: w, ic: ic, oc: oc, kh: kh, kw: kw, stride: s, padding: pad, depthwise: false, act: r.int(0...1) == 0 ? .relu : .none)
            // Output right after the input: a kernel writing past its tensor or reading past its
            // input's end (the input ends where the arena ends when placed last) would show.
            let inBytes = p.input.count, outBytes = p.output.count
            let outOff = (inBytes + 63) / 64 * 64
            let ref = Conv2DInt8Reference(p: p, inputOffsetInArena: 0, outputOffsetInArena: outOff)
            // Filters whose rows exceed the border scratch fall back to the reference (nil).
            guard let fast = Conv2DInt8Fast.make(p, input: 0, output: outOff) else { #expect(kh * (kw * ic + 4) > 1024); continue }
            var rr = r
            let (a, b) = Self.run(ref, fast, arenaSize: outOff + outBytes, fill: { base in
                for i in 0..<inBytes { base.storeBytes(of: rr.int8(), toByteOffset: i, as: Int8.self) }
            }, output: outOff, outBytes: outBytes)
            r = rr
            #expect(a == b, "conv \(h)x\(w)x\(ic) -> \(oc), \(kh)x\(kw) stride \(s) \(pad): \(zip(a, b).filter { $0 != $1 }.count) bytes differ")
        }
    }

    @Test func depthwiseInt8MatchesReference() throws {
        guard CPUFeatures.current.contains(.avx512vnni) else { return }
        var r = Rng(3)
        var cases: [(Int, Int, Int, Int, Int, Int, PaddingKind)] = [   // h, w, c, kh, kw, stride, padding
            (64, 64, 24, 3, 3, 1, .same), (64, 64, 28, 3, 3, 2, .same), (32, 32, 36, 3, 3, 1, .same), (16, 16, 88, 3, 3, 2, .same),
            (8, 8, 96, 3, 3, 1, .same), (16, 16, 42, 3, 3, 1, .same), (5, 7, 130, 3, 3, 1, .valid), (1, 1, 1, 1, 1, 1, .valid),
        ]
        for _ in 0..<60 {
            cases.append((r.int(1...20), r.int(1...20), r.int(1...150), r.int(1...4), r.int(1...4), r.int(1...3), r.int(0...1) == 0 ? .same : .valid))
        }
        for (h, w, c, kh, kw, s, pad) in cases where Window.outputSize(pad, input: h, filter: kh, stride: s, dilation: 1) > 0 && Window.outputSize(pad, input: w, filter: kw, stride: s, dilation: 1) > 0 {
            let p = Self.convParams(&r, inH: h, inW: w, ic: c, oc: c, kh: kh, kw: kw, stride: s, padding: pad, depthwise: true, act: r.int(0...1) == 0 ? .relu : .none)
            let inBytes = p.input.count, outBytes = p.output.count
            let outOff = (inBytes + 63) / 64 * 64
            let ref = DepthwiseConv2DInt8Reference(p: p, depthMultiplier: 1, inputOffsetInArena: 0, outputOffsetInArena: outOff)
            let fast = try #require(DepthwiseConv2DInt8Fast.make(p, input: 0, output: outOff))
            var rr = r
            let (a, b) = Self.run(ref, fast, arenaSize: outOff + outBytes, fill: { base in
                for i in 0..<inBytes { base.storeBytes(of: rr.int8(), toByteOffset: i, as: Int8.self) }
            }, output: outOff, outBytes: outBytes)
            r = rr
            #expect(a == b, "depthwise \(h)x\(w)x\(c) \(kh)x\(kw) stride \(s) \(pad): \(zip(a, b).filter { $0 != $1 }.count) bytes differ")
        }
    }

    @Test func addInt8MatchesReference() throws {
        guard CPUFeatures.current.contains(.avx512) else { return }
        var r = Rng(4)
        for trial in 0..<200 {
            let count = trial < 20 ? trial + 1 : r.int(1...5000)
            let s1 = r.float(0.005, 0.3), s2 = trial % 7 == 0 ? s1 : r.float(0.005, 0.3), so = r.float(0.01, 0.2)
            let p = AddInt8Params(count: count, scale1: s1, zp1: Int32(r.int(-128...127)), scale2: s2, zp2: Int32(r.int(-128...127)),
                                  scaleOut: so, zpOut: Int32(r.int(-128...127)), activation: r.int(0...1) == 0 ? .relu : .none)
            guard let fast = AddInt8Fast.make(p, input1: 0, input2: count, output: 2 * count) else { continue }
            let ref = AddInt8Reference(p: p, input1: 0, input2: count, output: 2 * count)
            var rr = r
            let (a, b) = Self.run(ref, fast, arenaSize: 3 * count, fill: { base in
                for i in 0..<(2 * count) { base.storeBytes(of: rr.int8(), toByteOffset: i, as: Int8.self) }
            }, output: 2 * count, outBytes: count)
            r = rr
            #expect(a == b, "add count \(count) scales \(s1) \(s2) -> \(so)")
        }
    }

    /// The table ADD: built only when its tables reproduce the reference on all 65,536 pairs
    /// (checked at prepare); here also run over random data, counts around the 64-lane tail and
    /// every (a, b) pair, against the reference kernel.
    @Test func addInt8LutMatchesReference() throws {
        guard CPUFeatures.current.contains(.avx512vbmi) else { return }
        var r = Rng(41)
        var built = 0, trials = 0
        for trial in 0..<120 {
            let count = trial < 70 ? trial + 1 : (trial < 80 ? 65536 : r.int(1...5000))
            let s1 = r.float(0.005, 0.3), s2 = trial % 7 == 0 ? s1 : r.float(0.005, 0.3), so = r.float(0.01, 0.2)
            let p = AddInt8Params(count: count, scale1: s1, zp1: Int32(r.int(-128...127)), scale2: s2, zp2: Int32(r.int(-128...127)),
                                  scaleOut: so, zpOut: Int32(r.int(-128...127)), activation: r.int(0...1) == 0 ? .relu : .none)
            trials += 1
            guard let fast = AddInt8LutFast.make(p, input1: 0, input2: count, output: 2 * count) else { continue }
            built += 1
            let ref = AddInt8Reference(p: p, input1: 0, input2: count, output: 2 * count)
            var rr = r
            let allPairs = count == 65536
            let (a, b) = Self.run(ref, fast, arenaSize: 3 * count, fill: { base in
                for i in 0..<count {
                    base.storeBytes(of: allPairs ? UInt8(i & 255) : UInt8(truncatingIfNeeded: rr.g.next()), toByteOffset: i, as: UInt8.self)
                    base.storeBytes(of: allPairs ? UInt8(i >> 8) : UInt8(truncatingIfNeeded: rr.g.next()), toByteOffset: count + i, as: UInt8.self)
                }
            }, output: 2 * count, outBytes: count)
            r = rr
            #expect(a == b, "lut add count \(count) scales \(s1) \(s2) -> \(so)")
        }
        // The decomposition misses only the rare pairs where the output rounding's sign nudge matters.
        #expect(built * 4 >= trials * 3, "tables built for \(built) of \(trials) parameter sets")
    }

    /// Channel-only PAD (the BlazeFace shortcut), with padding before and after the channels.
    @Test func channelPadMatchesReference() throws {
        var r = Rng(42)
        for _ in 0..<40 {
            let h = r.int(1...9), w = r.int(1...9), c = r.int(1...100), cb = r.int(0...3), ca = r.int(0...40)
            let xs = NHWC([1, h, w, c]), ps = NHWC([1, h, w, c + cb + ca]), before = NHWC([0, 0, 0, cb])
            for es in [1, 4] {
                let fill: [UInt8] = (0..<es).map { _ in UInt8(r.int(0...255)) }
                let o2 = (xs.count * es + 63) / 64 * 64
                let pref = PadReference(input: xs, output: ps, before: before, elementSize: es, fill: fill, inputOffset: 0, outputOffset: o2)
                let pfast = PadFast(input: xs, output: ps, before: before, elementSize: es, fill: fill, inputOffset: 0, outputOffset: o2)
                var r2 = r
                let (pa, pb) = Self.run(pref, pfast, arenaSize: o2 + ps.count * es, fill: { base in
                    for i in 0..<(xs.count * es) { base.storeBytes(of: UInt8(truncatingIfNeeded: r2.g.next()), toByteOffset: i, as: UInt8.self) }
                }, output: o2, outBytes: ps.count * es)
                r = r2
                #expect(pa == pb, "channel pad \(h)x\(w)x\(c) +\(cb)/+\(ca) element size \(es)")
            }
        }
    }

    @Test func quantizePoolPadMatchReference() throws {
        guard CPUFeatures.current.contains(.avx512) else { return }
        var r = Rng(5)
        // QUANTIZE: ties, huge values, infinities, NaN.
        var xs: [Float] = [0, 0.5, -0.5, 1.5, -1.5, 2.5, 1e20, -1e20, .infinity, -.infinity, .nan, 1.0 / 255, 127.5 / 255, -0.0]
        for _ in 0..<3000 { xs.append(r.float(-2, 2)) }
        for k in 0..<256 { xs.append(Float(k) / 255); xs.append((Float(k) + 0.5) / 255) }
        for (scale, zp) in [(Float(1) / 255, Int32(-128)), (0.5, 3), (0.0078125, 0), (0.1, -7)] {
            let n = xs.count
            let ref = QuantizeFloatToInt8Reference(input: 0, output: 4 * n, count: n, scale: scale, zeroPoint: zp)
            let fast = QuantizeFloatToInt8Fast(input: 0, output: 4 * n, count: n, scale: scale, zeroPoint: zp)
            let (a, b) = Self.run(ref, fast, arenaSize: 5 * n, fill: { base in
                for i in 0..<n { base.storeBytes(of: xs[i], toByteOffset: 4 * i, as: Float.self) }
            }, output: 4 * n, outBytes: n)
            #expect(a == b, "quantize scale \(scale) zp \(zp)")
        }
        // MAX_POOL_2D and PAD on random shapes.
        for _ in 0..<60 {
            let h = r.int(1...17), w = r.int(1...17), c = r.int(1...140), k = r.int(1...3), s = r.int(1...3)
            let pad: PaddingKind = r.int(0...1) == 0 ? .same : .valid
            let win = Window(padding: pad, inH: h, inW: w, filterH: k, filterW: k, strideH: s, strideW: s)
            guard win.outH > 0, win.outW > 0 else { continue }
            let xs = NHWC([1, h, w, c]), ys = NHWC([1, win.outH, win.outW, c])
            let lo = Int8(r.int(-128...0)), hi = Int8(r.int(0...127))
            let off = (xs.count + 63) / 64 * 64
            let ref = MaxPool2DInt8Reference(input: xs, output: ys, window: win, actMin: lo, actMax: hi, inputOffset: 0, outputOffset: off)
            let fast = MaxPool2DFast(input: xs, output: ys, window: win, isFloat: false, minInt8: Int32(lo), maxInt8: Int32(hi), inputOffset: 0, outputOffset: off)
            var rr = r
            let (a, b) = Self.run(ref, fast, arenaSize: off + ys.count, fill: { base in
                for i in 0..<xs.count { base.storeBytes(of: rr.int8(), toByteOffset: i, as: Int8.self) }
            }, output: off, outBytes: ys.count)
            r = rr
            #expect(a == b, "max pool \(h)x\(w)x\(c) \(k)/\(s) \(pad)")

            let before = NHWC([0, r.int(0...2), r.int(0...2), r.int(0...20)])
            let ps = NHWC([1, h + before.h + r.int(0...2), w + before.w + r.int(0...2), c + before.c + r.int(0...20)])
            for es in [1, 4] {
                let fill: [UInt8] = (0..<es).map { _ in UInt8(r.int(0...255)) }
                let o2 = (xs.count * es + 63) / 64 * 64
                let pref = PadReference(input: xs, output: ps, before: before, elementSize: es, fill: fill, inputOffset: 0, outputOffset: o2)
                let pfast = PadFast(input: xs, output: ps, before: before, elementSize: es, fill: fill, inputOffset: 0, outputOffset: o2)
                var r2 = r
                let (pa, pb) = Self.run(pref, pfast, arenaSize: o2 + ps.count * es, fill: { base in
                    for i in 0..<(xs.count * es) { base.storeBytes(of: UInt8(truncatingIfNeeded: r2.g.next()), toByteOffset: i, as: UInt8.self) }
                }, output: o2, outBytes: ps.count * es)
                r = r2
                #expect(pa == pb, "pad \(h)x\(w)x\(c) before \(before) to \(ps) element size \(es)")
            }
        }
    }

    /// Counts the outputs of a fast float convolution that are farther from the reference than
    /// rounding allows. The fast kernels use fused multiply-add and their own order of sums; each
    /// result is a sum of `terms` products plus the bias, and any order of float32 rounding lands
    /// within γ(n)·Σ|term| of the exact sum (n = terms + 1, γ(n) = n·u / (1 - n·u), u = 2^-24;
    /// Higham, Accuracy and Stability of Numerical Algorithms, 3.1). Two such results differ by at
    /// most twice that. Σ|term| comes from the reference kernel run on |input|, |weights|, |bias|.
    static func floatConvErrors(_ p: ConvFloatParams, depthwise: Bool, fast: any Kernel, input: [Float], terms: Int) -> Int {
        let inBytes = p.input.count * 4, outBytes = p.output.count * 4
        let off = (inBytes + 63) / 64 * 64
        func kernel(_ q: ConvFloatParams) -> any Kernel {
            depthwise ? DepthwiseConv2DFloatReference(p: q, depthMultiplier: 1, inputOffsetInArena: 0, outputOffsetInArena: off)
                      : Conv2DFloatReference(p: q, inputOffsetInArena: 0, outputOffsetInArena: off)
        }
        func floats(_ b: [UInt8]) -> [Float] { b.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
        let (a, b) = run(kernel(p), fast, arenaSize: off + outBytes, fill: { base in
            for (i, v) in input.enumerated() { base.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self) }
        }, output: off, outBytes: outBytes)
        var absP = p
        absP.weights = p.weights.map { abs($0) }
        absP.bias = p.bias.map { abs($0) }
        absP.actMin = -.greatestFiniteMagnitude
        absP.actMax = .greatestFiniteMagnitude
        let absKernel = kernel(absP)
        let (m, _) = run(absKernel, absKernel, arenaSize: off + outBytes, fill: { base in
            for (i, v) in input.enumerated() { base.storeBytes(of: abs(v), toByteOffset: 4 * i, as: Float.self) }
        }, output: off, outBytes: outBytes)
        let n = Double(terms + 1), u = 0x1p-24
        let gamma = n * u / (1 - n * u)
        return zip(zip(floats(a), floats(b)), floats(m)).filter { pair, magnitude in
            !(abs(Double(pair.0) - Double(pair.1)) <= 2 * gamma * Double(magnitude) * 1.0001)
        }.count
    }

    @Test func floatConvAndDepthwiseWithinRoundingOfReference() throws {
        guard CPUFeatures.current.contains(.avx512) else { return }
        var r = Rng(6)
        for trial in 0..<80 {
            let depthwise = trial % 2 == 1
            let h = r.int(1...18), w = r.int(1...18), ic = r.int(1...60), kh = r.int(1...5), kw = r.int(1...5), s = r.int(1...3)
            let oc = depthwise ? ic : r.int(1...70)
            let pad: PaddingKind = r.int(0...1) == 0 ? .same : .valid
            let win = Window(padding: pad, inH: h, inW: w, filterH: kh, filterW: kw, strideH: s, strideW: s)
            guard win.outH > 0, win.outW > 0 else { continue }
            let wCount = depthwise ? kh * kw * oc : oc * kh * kw * ic
            let p = ConvFloatParams(input: NHWC([1, h, w, ic]), output: NHWC([1, win.outH, win.outW, oc]), window: win,
                                    actMin: r.int(0...1) == 0 ? 0 : -.greatestFiniteMagnitude, actMax: .greatestFiniteMagnitude,
                                    weights: (0..<wCount).map { _ in r.float(-1, 1) }, bias: (0..<oc).map { _ in r.float(-1, 1) })
            let off = (p.input.count * 4 + 63) / 64 * 64
            let fast: (any Kernel)? = depthwise ? DepthwiseConv2DFloatFast.make(p, input: 0, output: off) : Conv2DFloatFast.make(p, input: 0, output: off)
            guard let f = fast else { #expect(!depthwise && kh * kw * ic > 512); continue }
            let input = (0..<p.input.count).map { _ in r.float(-2, 2) }
            let bad = Self.floatConvErrors(p, depthwise: depthwise, fast: f, input: input, terms: depthwise ? kh * kw : kh * kw * ic)
            #expect(bad == 0, "\(depthwise ? "depthwise" : "conv") float \(h)x\(w)x\(ic) -> \(oc) \(kh)x\(kw)/\(s) \(pad): \(bad) outputs outside the rounding bound")
        }
    }

    @Test func floatConvPixelPairsWithinRoundingOfReference() throws {
        guard CPUFeatures.current.contains(.avx512) else { return }
        var r = Rng(12)
        // last group of two channel blocks with at most 24 channels, odd and even pixel counts
        let cases: [(Int, Int, Int, Int, Int, Int, Int, PaddingKind)] = [
            (19, 13, 24, 24, 1, 1, 1, .valid), (33, 31, 3, 24, 5, 5, 2, .same), (9, 9, 20, 17, 3, 3, 1, .same),
            (8, 8, 30, 88, 1, 1, 1, .valid), (7, 9, 5, 20, 5, 5, 2, .same), (16, 16, 24, 28, 1, 1, 1, .valid),
        ]
        for (h, w, ic, oc, kh, kw, s, pad) in cases {
            let win = Window(padding: pad, inH: h, inW: w, filterH: kh, filterW: kw, strideH: s, strideW: s)
            let p = ConvFloatParams(input: NHWC([1, h, w, ic]), output: NHWC([1, win.outH, win.outW, oc]), window: win,
                                    actMin: r.int(0...1) == 0 ? 0 : -.greatestFiniteMagnitude, actMax: .greatestFiniteMagnitude,
                                    weights: (0..<(oc * kh * kw * ic)).map { _ in r.float(-1, 1) }, bias: (0..<oc).map { _ in r.float(-1, 1) })
            let off = (p.input.count * 4 + 63) / 64 * 64
            let f = try #require(Conv2DFloatFast.make(p, input: 0, output: off))
            let input = (0..<p.input.count).map { _ in r.float(-2, 2) }
            let bad = Self.floatConvErrors(p, depthwise: false, fast: f, input: input, terms: kh * kw * ic)
            #expect(bad == 0, "conv float \(h)x\(w)x\(ic) -> \(oc) \(kh)x\(kw)/\(s) \(pad): \(bad) outputs outside the rounding bound")
        }
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
}
