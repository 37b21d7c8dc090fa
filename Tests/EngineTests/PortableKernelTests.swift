import Testing
import TestSupport
@testable import Engine

/// The portable Swift kernels against the reference kernels, byte for byte, on swept shapes,
/// channel counts (1...70), kernel sizes (1...5), strides (1...3), SAME and VALID padding, fused
/// RELU or none (clamp ranges for MAX_POOL_2D), and per-channel multipliers that include left
/// shifts. They run on every CPU.
@Suite struct PortableKernelTests {
    typealias Rng = FastKernelTests.Rng

    /// Random conv parameters whose multipliers range from 2^-20 to 2 (left shifts included) on
    /// about a third of the channels, the usual 2^-12...2^-4 elsewhere.
    static func params(_ r: inout Rng, h: Int, w: Int, ic: Int, oc: Int, k: (Int, Int), stride: Int, padding: PaddingKind,
                       depthwise: Bool) -> ConvInt8Params {
        var p = FastKernelTests.convParams(&r, inH: h, inW: w, ic: ic, oc: oc, kh: k.0, kw: k.1, stride: stride, padding: padding,
                                           depthwise: depthwise, act: r.int(0...1) == 0 ? .relu : .none)
        for c in 0..<oc where r.int(0...2) == 0 {
            let m = FastKernelTests.randomMultiplier(&r)
            (p.multipliers[c], p.shifts[c]) = (m.significand, m.shift)
        }
        return p
    }

    /// Runs the reference and the portable kernel on one random input; the output sits right after
    /// the input, so a read past the input's end or a write past the output's would show.
    static func compare(_ r: inout Rng, _ p: ConvInt8Params, reference: (Int) -> any Kernel, portable: (Int) -> (any Kernel)?) throws -> Bool {
        let inBytes = p.input.count, outBytes = p.output.count
        let outOff = (inBytes + 63) / 64 * 64
        let k = try #require(portable(outOff))
        var rr = r
        let (a, b) = FastKernelTests.run(reference(outOff), k, arenaSize: outOff + outBytes, fill: { base in
            for i in 0..<inBytes { base.storeBytes(of: rr.int8(), toByteOffset: i, as: Int8.self) }
        }, output: outOff, outBytes: outBytes)
        r = rr
        return a == b
    }

    static func randomCase(_ r: inout Rng) -> (h: Int, w: Int, c: Int, k: (Int, Int), stride: Int, padding: PaddingKind) {
        (r.int(1...13), r.int(1...13), r.int(1...70), (r.int(1...5), r.int(1...5)), r.int(1...3), r.int(0...1) == 0 ? .same : .valid)
    }

    static func fits(_ h: Int, _ w: Int, _ k: (Int, Int), _ s: Int, _ pad: PaddingKind) -> Bool {
        Window.outputSize(pad, input: h, filter: k.0, stride: s, dilation: 1) > 0 && Window.outputSize(pad, input: w, filter: k.1, stride: s, dilation: 1) > 0
    }

    @Test func convInt8MatchesReference() throws {
        var r = Rng(21)
        var cases: [(h: Int, w: Int, c: Int, k: (Int, Int), stride: Int, padding: PaddingKind)] = [
            (32, 32, 3, (5, 5), 2, .same), (16, 16, 24, (1, 1), 1, .valid), (8, 8, 42, (1, 1), 1, .valid), (1, 1, 1, (1, 1), 1, .valid),
            (7, 9, 65, (1, 1), 1, .same), (5, 5, 7, (3, 3), 1, .same), (9, 6, 4, (5, 3), 3, .same),
        ]
        for _ in 0..<50 { cases.append(Self.randomCase(&r)) }
        for (h, w, ic, k, s, pad) in cases where Self.fits(h, w, k, s, pad) {
            let oc = r.int(1...70)
            let p = Self.params(&r, h: h, w: w, ic: ic, oc: oc, k: k, stride: s, padding: pad, depthwise: false)
            let same = try Self.compare(&r, p, reference: { Conv2DInt8Reference(p: p, inputOffsetInArena: 0, outputOffsetInArena: $0) },
                                        portable: { Conv2DInt8Portable.make(p, pack: ConvInt8Pack(p), input: 0, output: $0) })
            #expect(same, "conv \(h)x\(w)x\(ic) -> \(oc), \(k.0)x\(k.1) stride \(s) \(pad)")
        }
    }

    @Test func depthwiseInt8MatchesReference() throws {
        var r = Rng(22)
        var cases: [(h: Int, w: Int, c: Int, k: (Int, Int), stride: Int, padding: PaddingKind)] = [
            (16, 16, 24, (3, 3), 1, .same), (16, 16, 28, (3, 3), 2, .same), (4, 4, 96, (3, 3), 1, .same), (1, 1, 1, (1, 1), 1, .valid),
        ]
        for _ in 0..<60 { cases.append(Self.randomCase(&r)) }
        for (h, w, c, k, s, pad) in cases where Self.fits(h, w, k, s, pad) {
            let p = Self.params(&r, h: h, w: w, ic: c, oc: c, k: k, stride: s, padding: pad, depthwise: true)
            let same = try Self.compare(&r, p, reference: { DepthwiseConv2DInt8Reference(p: p, depthMultiplier: 1, inputOffsetInArena: 0, outputOffsetInArena: $0) },
                                        portable: { DepthwiseConv2DInt8Portable.make(p, depthMultiplier: 1, input: 0, output: $0) })
            #expect(same, "depthwise \(h)x\(w)x\(c) \(k.0)x\(k.1) stride \(s) \(pad)")
        }
        // Depth multiplier 2 stays on the reference kernel.
        let p = Self.params(&r, h: 3, w: 3, ic: 2, oc: 4, k: (3, 3), stride: 1, padding: .same, depthwise: true)
        #expect(DepthwiseConv2DInt8Portable.make(p, depthMultiplier: 2, input: 0, output: 64) == nil)
    }

    /// The requantization on edge accumulators and multipliers, against the scalar reference.
    @Test func requantizationMatchesReference() {
        var r = Rng(23)
        var edges: [Int32] = [0, 1, -1, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1]
        for k in 0..<31 { edges += [1 << k, -(1 << k), (1 << k) + 1, -(1 << k) - 1, (1 << k) - 1, -(1 << k) + 1] }
        for _ in 0..<200 { edges.append(Int32(truncatingIfNeeded: r.g.next())) }
        var multipliers = [QuantizedMultiplier(0), QuantizedMultiplier(0.5), QuantizedMultiplier(1), QuantizedMultiplier(0x1p-31)]
        for e in -31...30 { multipliers.append(QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: e, significand: 1))) }
        for m in multipliers {
            let q = ChannelRequant(multiplier: m.significand, shift: m.shift)
            let bad = edges.filter { q.apply($0) != multiplyByQuantizedMultiplier($0, m.significand, m.shift) }
            #expect(bad.isEmpty, "multiplier \(m.significand) shift \(m.shift): accumulators \(bad.prefix(5)) differ")
        }
    }

    @Test func addInt8MatchesReference() throws {
        var r = Rng(24)
        var built = 0, trials = 0
        for trial in 0..<40 {
            let count = trial < 10 ? trial + 1 : r.int(1...3000)
            let s1 = r.float(0.005, 0.3), s2 = trial % 7 == 0 ? s1 : r.float(0.005, 0.3), so = r.float(0.01, 0.2)
            let p = AddInt8Params(count: count, scale1: s1, zp1: Int32(r.int(-128...127)), scale2: s2, zp2: Int32(r.int(-128...127)),
                                  scaleOut: so, zpOut: Int32(r.int(-128...127)), activation: r.int(0...1) == 0 ? .relu : .none)
            trials += 1
            guard let tables = AddInt8LutFast.tables(p) else { continue }
            built += 1
            let portable = AddInt8Portable(p, tables: AddInt8Portable.decode(tables), input1: 0, input2: count, output: 2 * count)
            var rr = r
            let (a, b) = FastKernelTests.run(AddInt8Reference(p: p, input1: 0, input2: count, output: 2 * count), portable,
                                             arenaSize: 3 * count, fill: { base in
                for i in 0..<(2 * count) { base.storeBytes(of: rr.int8(), toByteOffset: i, as: Int8.self) }
            }, output: 2 * count, outBytes: count)
            r = rr
            #expect(a == b, "add count \(count) scales \(s1) \(s2) -> \(so)")
        }
        #expect(built * 4 >= trials * 3, "tables built for \(built) of \(trials) parameter sets")
    }

    @Test func floatConvAndDepthwiseWithinRoundingOfReference() throws {
        var r = Rng(31)
        for trial in 0..<60 {
            let depthwise = trial % 2 == 1
            let h = r.int(1...14), w = r.int(1...14), ic = r.int(1...40), kh = r.int(1...5), kw = r.int(1...5), s = r.int(1...3)
            let oc = depthwise ? ic : r.int(1...50)
            let pad: PaddingKind = r.int(0...1) == 0 ? .same : .valid
            let win = Window(padding: pad, inH: h, inW: w, filterH: kh, filterW: kw, strideH: s, strideW: s)
            guard win.outH > 0, win.outW > 0 else { continue }
            let p = ConvFloatParams(input: NHWC([1, h, w, ic]), output: NHWC([1, win.outH, win.outW, oc]), window: win,
                                    actMin: r.int(0...1) == 0 ? 0 : -.greatestFiniteMagnitude, actMax: r.int(0...3) == 0 ? 6 : .greatestFiniteMagnitude,
                                    weights: (0..<(depthwise ? kh * kw * oc : oc * kh * kw * ic)).map { _ in r.float(-1, 1) },
                                    bias: (0..<oc).map { _ in r.float(-1, 1) })
            let off = (p.input.count * 4 + 63) / 64 * 64
            let made: (any Kernel)? = depthwise ? DepthwiseConv2DFloatPortable.make(p, depthMultiplier: 1, input: 0, output: off)
                                                : Conv2DFloatPortable.make(p, pack: Conv2DFloatPortable.pack(p), input: 0, output: off)
            let kernel = try #require(made)
            let input = (0..<p.input.count).map { _ in r.float(-2, 2) }
            let bad = FastKernelTests.floatConvErrors(p, depthwise: depthwise, fast: kernel, input: input, terms: depthwise ? kh * kw : kh * kw * ic)
            #expect(bad == 0, "\(depthwise ? "depthwise" : "conv") float \(h)x\(w)x\(ic) -> \(oc) \(kh)x\(kw)/\(s) \(pad): \(bad) outputs outside the rounding bound")
        }
    }

    @Test func maxPoolMatchesReference() throws {
        var r = Rng(25)
        for trial in 0..<100 {
            let isFloat = trial % 2 == 1
            let (h, w, c, k, s, pad) = Self.randomCase(&r)
            guard Self.fits(h, w, k, s, pad) else { continue }
            let win = Window(padding: pad, inH: h, inW: w, filterH: k.0, filterW: k.1, strideH: s, strideW: s)
            let xs = NHWC([1, h, w, c]), ys = NHWC([1, win.outH, win.outW, c])
            let es = isFloat ? 4 : 1, off = (xs.count * es + 63) / 64 * 64
            let reference: any Kernel, made: (any Kernel)?
            if isFloat {
                let lo: Float = r.int(0...1) == 0 ? 0 : -.greatestFiniteMagnitude, hi: Float = r.int(0...1) == 0 ? 6 : .greatestFiniteMagnitude
                reference = MaxPool2DFloatReference(input: xs, output: ys, window: win, actMin: lo, actMax: hi, inputOffset: 0, outputOffset: off)
                made = MaxPool2DPortable<Float>.make(input: xs, output: ys, window: win, actMin: lo, actMax: hi, inputOffset: 0, outputOffset: off)
            } else {
                let lo = Int8(r.int(-128...0)), hi = Int8(r.int(0...127))
                reference = MaxPool2DInt8Reference(input: xs, output: ys, window: win, actMin: lo, actMax: hi, inputOffset: 0, outputOffset: off)
                made = MaxPool2DPortable<Int8>.make(input: xs, output: ys, window: win, actMin: lo, actMax: hi, inputOffset: 0, outputOffset: off)
            }
            let portable = try #require(made)
            var rr = r
            let (a, b) = FastKernelTests.run(reference, portable, arenaSize: off + ys.count * es, fill: { base in
                for i in 0..<xs.count {
                    if isFloat { base.storeBytes(of: rr.float(-8, 8), toByteOffset: 4 * i, as: Float.self) }
                    else { base.storeBytes(of: rr.int8(), toByteOffset: i, as: Int8.self) }
                }
            }, output: off, outBytes: ys.count * es)
            r = rr
            #expect(a == b, "\(isFloat ? "float" : "int8") max pool \(h)x\(w)x\(c) \(k.0)x\(k.1)/\(s) \(pad)")
        }
    }

    @Test func kernelsFromTheEnvironment() {
        #expect(EngineOptions.Kernels(rawValue: "portable") == .portable)
        #expect(EngineOptions.Kernels.allCases == [.fast, .portable, .reference])
    }
}
