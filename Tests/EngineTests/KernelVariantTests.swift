import Testing
import KernelTesting

/// Every registered kernel variant of every op against its reference kernel, with the testers of
/// KernelTesting over one sweep per op: int8 byte for byte, float32 convolutions within float32
/// rounding, other float32 kernels byte for byte. The arguments come from the registry, so a new
/// variant is tested here without new code; a variant whose ISA this CPU lacks is skipped with
/// the reason.
@Suite struct KernelVariantTests {
    typealias Shape = (h: Int, w: Int, c: Int, k: (Int, Int), stride: Int, padding: ConvTester.PaddingMode)

    /// Fixed shapes of the BlazeFace models and of past kernel bugs: pixel-pair tiles, odd pixel
    /// counts, channel tails, inputs too large for the padded copy or the border scratch.
    static let convShapes: [(Shape, Int)] = [
        ((128, 128, 3, (5, 5), 2, .same), 24), ((64, 64, 24, (1, 1), 1, .valid), 28), ((16, 16, 42, (1, 1), 1, .valid), 48),
        ((8, 8, 96, (1, 1), 1, .same), 6), ((8, 8, 96, (1, 1), 1, .valid), 96), ((1, 1, 1, (1, 1), 1, .valid), 1),
        ((19, 13, 24, (1, 1), 1, .valid), 24), ((9, 9, 20, (3, 3), 2, .same), 88), ((7, 5, 5, (5, 5), 2, .same), 20),
        ((11, 11, 3, (5, 5), 2, .same), 17), ((6, 10, 40, (1, 1), 1, .valid), 81), ((33, 31, 3, (5, 5), 2, .same), 24),
        ((40, 40, 40, (3, 3), 1, .same), 20), ((45, 41, 36, (3, 3), 2, .valid), 50), ((131, 129, 4, (5, 5), 2, .same), 24),
        ((32, 32, 3, (5, 5), 2, .same), 16), ((7, 9, 65, (1, 1), 1, .same), 30), ((5, 5, 7, (3, 3), 1, .same), 9),
        ((9, 6, 4, (5, 3), 3, .same), 12), ((13, 11, 70, (5, 5), 1, .same), 40), ((41, 37, 45, (3, 3), 2, .same), 12),
        ((30, 33, 63, (2, 5), 3, .valid), 10), ((129, 131, 3, (5, 5), 2, .same), 12), ((11, 13, 88, (1, 1), 1, .valid), 70),
        ((6, 6, 96, (1, 1), 1, .valid), 33), ((17, 5, 28, (1, 1), 1, .valid), 64), ((9, 9, 20, (3, 3), 1, .same), 17),
        ((8, 8, 30, (1, 1), 1, .valid), 88), ((7, 9, 5, (5, 5), 2, .same), 20), ((16, 16, 24, (1, 1), 1, .valid), 28),
    ]

    static let depthwiseShapes: [Shape] = [
        (64, 64, 24, (3, 3), 1, .same), (64, 64, 28, (3, 3), 2, .same), (32, 32, 36, (3, 3), 1, .same), (16, 16, 88, (3, 3), 2, .same),
        (8, 8, 96, (3, 3), 1, .same), (16, 16, 42, (3, 3), 1, .same), (5, 7, 130, (3, 3), 1, .valid), (1, 1, 1, (1, 1), 1, .valid),
        (16, 16, 24, (3, 3), 1, .same), (4, 4, 96, (3, 3), 1, .same), (9, 7, 15, (3, 3), 2, .same), (6, 5, 17, (3, 3), 1, .valid),
        (5, 9, 70, (5, 5), 3, .same), (8, 8, 42, (3, 3), 2, .same), (7, 7, 5, (3, 3), 1, .same), (9, 9, 8, (3, 3), 1, .same),
    ]

    /// 130 random shapes: channels 1...70 (depthwise up to 150), kernels 1...5, strides 1...3.
    static func randomShapes(_ r: inout Rng, depthwise: Bool) -> [(Shape, Int)] {
        (0..<130).map { i in
            let big = i >= 70
            let shape: Shape = (r.int(1...(big ? 19 : 13)), r.int(1...(big ? 19 : 13)), r.int(1...(depthwise && big ? 150 : 70)),
                                (r.int(1...5), r.int(1...5)), r.int(1...3), r.int(0...1) == 0 ? .same : .valid)
            return (shape, r.int(1...(big ? 100 : 70)))
        }
    }

    static func tester(_ s: Shape, oc: Int) -> ConvTester {
        ConvTester().inputSize(s.h, s.w).channels(s.c, oc).kernel(s.k.0, s.k.1).stride(s.stride).padding(s.padding)
    }

    static func report(_ o: TesterOutcome, _ variant: KernelVariantID, maxDeclined: Double) {
        #expect(o.failures.isEmpty, "\(variant.testDescription): \(o.failures.count) cases differ: \(o.failures.prefix(5))")
        let tried = o.matched + o.failures.count + o.declined.count
        #expect(Double(o.declined.count) <= maxDeclined * Double(tried),
                "\(variant.testDescription) declined \(o.declined.count) of \(tried) shapes: \(o.declined.prefix(5))")
        #expect(o.matched > 0, "\(variant.testDescription) ran on no shape")
    }

    @Test(arguments: KernelVariantID.all(.conv2dQS8) + KernelVariantID.all(.conv2dF32))
    func conv2d(variant: KernelVariantID) throws {
        var r = Rng(2)
        var o = TesterOutcome()
        for (s, oc) in Self.convShapes + Self.randomShapes(&r, depthwise: false) {
            o.add(try Self.tester(s, oc: oc).test(variant, &r))
        }
        // The AVX-512 kernels leave filters whose rows overflow their border scratch to the next variant.
        Self.report(o, variant, maxDeclined: 0.25)
    }

    @Test(arguments: KernelVariantID.all(.depthwiseConv2dQS8) + KernelVariantID.all(.depthwiseConv2dF32))
    func depthwiseConv2d(variant: KernelVariantID) throws {
        var r = Rng(3)
        var o = TesterOutcome()
        for (s, _) in Self.depthwiseShapes.map({ ($0, 0) }) + Self.randomShapes(&r, depthwise: true) {
            o.add(try Self.tester(s, oc: s.c).test(variant, &r))
        }
        // The AVX-512 VNNI kernel takes at most 16 taps (4x5 and 5x5 go to the next variant).
        Self.report(o, variant, maxDeclined: 0.15)
        // Depth multiplier 2: the reference kernel only (every variant declines).
        let dm2 = try ConvTester().inputSize(3, 3).channels(2, 4).kernel(3, 3).depthMultiplier(2).test(variant, &r)
        #expect(dm2.declined.count == 1, "\(variant.testDescription) took depth multiplier 2")
    }

    @Test(arguments: KernelVariantID.all(.addQS8) + KernelVariantID.all(.mulQS8))
    func elementwiseQS8(variant: KernelVariantID) throws {
        var r = Rng(4)
        var o = TesterOutcome()
        for trial in 0..<150 {
            let count = trial < 70 ? trial + 1 : r.int(1...5000)
            o.add(try ElementwiseTester().count(count).equalScales(trial % 7 == 0).test(variant, &r))
        }
        // Every (a, b) pair, then a tail of 1...40 past the vector loop.
        for trial in 0..<12 {
            o.add(try ElementwiseTester().count(r.int(1...40)).allPairs().equalScales(trial % 7 == 0).test(variant, &r))
        }
        // The table ADDs decline the rare scales where the output rounding's sign nudge matters.
        Self.report(o, variant, maxDeclined: 0.25)
    }

    @Test(arguments: KernelVariantID.all(.addF32) + KernelVariantID.all(.mulF32) + KernelVariantID.all(.reluF32))
    func elementwiseF32(variant: KernelVariantID) throws {
        var r = Rng(64)
        var o = TesterOutcome()
        for count in Array(1...70) + [1000, 4099] { o.add(try ElementwiseTester().count(count).test(variant, &r)) }
        Self.report(o, variant, maxDeclined: 0)
    }

    @Test(arguments: KernelVariantID.all(.maxPool2dQS8) + KernelVariantID.all(.maxPool2dF32))
    func maxPool2d(variant: KernelVariantID) throws {
        var r = Rng(5)
        var o = TesterOutcome()
        for _ in 0..<120 {
            let t = PoolTester().inputSize(r.int(1...17), r.int(1...17)).channels(r.int(1...140)).kernel(r.int(1...3), r.int(1...3))
                .stride(r.int(1...3)).padding(r.int(0...1) == 0 ? .same : .valid)
            o.add(try t.test(variant, &r))
        }
        Self.report(o, variant, maxDeclined: 0)
    }

    @Test(arguments: KernelVariantID.all(.padQS8) + KernelVariantID.all(.padF32))
    func pad(variant: KernelVariantID) throws {
        var r = Rng(42)
        var channels = TesterOutcome(), spatial = TesterOutcome()
        // Channel-only padding (the BlazeFace shortcut), then every dimension.
        for _ in 0..<60 {
            let t = PadTester().input(1, r.int(1...9), r.int(1...9), r.int(1...100)).before(0, 0, 0, r.int(0...12)).after(0, 0, 0, r.int(0...40))
            channels.add(try t.test(variant, &r))
        }
        for _ in 0..<60 {
            let t = PadTester().input(1, r.int(1...17), r.int(1...17), r.int(1...140))
                .before(0, r.int(0...2), r.int(0...2), r.int(0...20)).after(0, r.int(0...2), r.int(0...2), r.int(0...20))
            spatial.add(try t.test(variant, &r))
        }
        Self.report(channels, variant, maxDeclined: 0)
        // The AVX2 float kernel pads channels only; others take every padding.
        #expect(spatial.failures.isEmpty, "\(variant.testDescription): \(spatial.failures.prefix(5))")
    }

    @Test(arguments: KernelVariantID.all(.quantizeQS8) + KernelVariantID.all(.dequantizeQS8))
    func quantize(variant: KernelVariantID) throws {
        var r = Rng(6)
        // Ties, huge values, infinities, NaN, the pixel grid and its midpoints.
        var xs: [Float] = [0, 0.5, -0.5, 1.5, -1.5, 2.5, 1e20, -1e20, .infinity, -.infinity, .nan, 1.0 / 255, 127.5 / 255, -0.0]
        for _ in 0..<3000 { xs.append(r.float(-2, 2)) }
        for k in 0..<256 { xs.append(Float(k) / 255); xs.append((Float(k) + 0.5) / 255) }
        var o = TesterOutcome()
        for (scale, zp) in [(Float(1) / 255, Int32(-128)), (0.5, 3), (0.0078125, 0), (0.1, -7)] {
            o.add(try QuantizeTester().scale(scale).zeroPoint(zp).values(xs).test(variant))
        }
        Self.report(o, variant, maxDeclined: 0)
    }

    @Test(arguments: KernelVariantID.all(.resizeBilinearQS8))
    func resizeBilinear(variant: KernelVariantID) throws {
        var r = Rng(14)
        var o = TesterOutcome()
        // Up- and downscales, every coordinate flavour; channels across the 8-lane boundary.
        for trial in 0..<120 {
            let h = r.int(1...12), w = r.int(1...12)
            let t = ResizeTester().input(r.int(1...2), h, w, r.int(1...40)).output(r.int(1...3 * h), r.int(1...3 * w))
                .alignCorners(trial % 3 == 1).halfPixelCenters(trial % 3 == 2)
            o.add(try t.test(variant, &r))
        }
        o.add(try ResizeTester().input(1, 8, 8, 128).output(16, 16).test(variant, &r))
        o.add(try ResizeTester().input(1, 8, 8, 128).output(16, 16).halfPixelCenters(true).test(variant, &r))
        Self.report(o, variant, maxDeclined: 0)
    }
}
