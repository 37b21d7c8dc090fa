import Testing
@testable import Engine

/// Tests a MAX_POOL_2D variant against the reference: `PoolTester().inputSize(9, 9).channels(20)
/// .kernel(3, 3).stride(2).padding(.same)`, random clamp ranges; byte-identical outputs.
public struct PoolTester: Sendable {
    var conv = ConvTester()

    public init() {}

    public func inputSize(_ h: Int, _ w: Int) -> Self { var t = self; t.conv = conv.inputSize(h, w); return t }
    public func channels(_ c: Int) -> Self { var t = self; t.conv = conv.channels(c, c); return t }
    public func kernel(_ kh: Int, _ kw: Int) -> Self { var t = self; t.conv = conv.kernel(kh, kw); return t }
    public func stride(_ s: Int) -> Self { var t = self; t.conv = conv.stride(s); return t }
    public func padding(_ p: ConvTester.PaddingMode) -> Self { var t = self; t.conv = conv.padding(p); return t }

    public func test(_ variant: KernelVariantID, _ r: inout Rng) throws -> TesterOutcome {
        guard conv.fits else { return TesterOutcome() }
        let win = conv.window, xs = NHWC([1, conv.h, conv.w, conv.ic]), ys = NHWC([1, win.outH, win.outW, conv.ic])
        let label = "\(variant.testDescription) \(conv.label)"
        switch variant.op {
        case .maxPool2dQS8:
            let s = MaxPool2D.Setup(input: xs, output: ys, window: win, actMin: Int8(r.int(-128...0)), actMax: Int8(r.int(0...127)))
            let o = KernelOperands(inputs: [0], output: align64(xs.count))
            return compare(try variant.maker(MaxPool2D.qs8)(s, o), MaxPool2D.qs8.reference(s, o), xs.count, ys.count, &r, label: label)
        case .maxPool2dF32:
            let lo: Float = r.int(0...1) == 0 ? 0 : -.greatestFiniteMagnitude, hi: Float = r.int(0...1) == 0 ? 6 : .greatestFiniteMagnitude
            let s = MaxPool2D.Setup(input: xs, output: ys, window: win, actMin: lo, actMax: hi)
            let o = KernelOperands(inputs: [0], output: align64(4 * xs.count))
            return compare(try variant.maker(MaxPool2D.f32)(s, o), MaxPool2D.f32.reference(s, o), 4 * xs.count, 4 * ys.count, &r, label: label,
                           floats: true)
        default:
            Issue.record("PoolTester cannot test \(variant.testDescription)")
            return TesterOutcome()
        }
    }
}

/// Tests a PAD variant against the reference: `PadTester().input(1, 5, 5, 24).before(0, 1, 1, 0)
/// .after(0, 1, 1, 8)`, random fill (int8: a random zero point); byte-identical outputs.
public struct PadTester: Sendable {
    var input = [1, 1, 1, 1], before = [0, 0, 0, 0], after = [0, 0, 0, 0]

    public init() {}

    public func input(_ n: Int, _ h: Int, _ w: Int, _ c: Int) -> Self { var t = self; t.input = [n, h, w, c]; return t }
    public func before(_ n: Int, _ h: Int, _ w: Int, _ c: Int) -> Self { var t = self; t.before = [n, h, w, c]; return t }
    public func after(_ n: Int, _ h: Int, _ w: Int, _ c: Int) -> Self { var t = self; t.after = [n, h, w, c]; return t }

    public func test(_ variant: KernelVariantID, _ r: inout Rng) throws -> TesterOutcome {
        let xs = NHWC(input), ys = NHWC((0..<4).map { input[$0] + before[$0] + after[$0] })
        let label = "\(variant.testDescription) \(input) before \(before) after \(after)"
        let es = variant.op == .padF32 ? 4 : 1
        let fill: [UInt8] = es == 4 ? [0, 0, 0, 0] : [r.byte()]
        let s = Pad.Setup(input: xs, output: ys, before: NHWC(before), elementSize: es, fill: fill)
        let o = KernelOperands(inputs: [0], output: align64(es * xs.count))
        let family = variant.op == .padF32 ? Pad.f32 : Pad.qs8
        guard variant.op == .padF32 || variant.op == .padQS8 else {
            Issue.record("PadTester cannot test \(variant.testDescription)")
            return TesterOutcome()
        }
        return compare(try variant.maker(family)(s, o), family.reference(s, o), es * xs.count, es * ys.count, &r, label: label, floats: es == 4)
    }
}

/// Runs `made` and `reference` on random input bytes (floats in [-8, 8]); byte comparison.
func compare(_ made: (any Kernel)?, _ reference: any Kernel, _ inBytes: Int, _ outBytes: Int, _ r: inout Rng,
             label: String, floats: Bool = false) -> TesterOutcome {
    guard let made else { return .declined(label) }
    let out = align64(inBytes)
    var rr = r
    let (a, b) = runBoth(reference, made, arenaSize: out + outBytes, fill: { base in
        if floats {
            for i in 0..<(inBytes / 4) { base.storeBytes(of: rr.float(-8, 8), toByteOffset: 4 * i, as: Float.self) }
        } else {
            for i in 0..<inBytes { base.storeBytes(of: rr.byte(), toByteOffset: i, as: UInt8.self) }
        }
    }, output: out, outBytes: outBytes)
    r = rr
    return .result(a == b, "\(label): \(zip(a, b).filter { $0 != $1 }.count) bytes differ")
}

/// Tests a QUANTIZE or DEQUANTIZE variant against the reference: QUANTIZE on the given floats
/// (ties, huge values, infinities, NaN included by the caller), DEQUANTIZE on all 256 bytes.
public struct QuantizeTester: Sendable {
    var scale: Float = 1, zeroPoint: Int32 = 0
    var values: [Float] = []

    public init() {}

    public func scale(_ s: Float) -> Self { var t = self; t.scale = s; return t }
    public func zeroPoint(_ z: Int32) -> Self { var t = self; t.zeroPoint = z; return t }
    public func values(_ v: [Float]) -> Self { var t = self; t.values = v; return t }

    public func test(_ variant: KernelVariantID) throws -> TesterOutcome {
        let label = "\(variant.testDescription) scale \(scale) zero point \(zeroPoint)"
        switch variant.op {
        case .quantizeQS8:
            let n = values.count, s = QuantizeSetup(count: n, scale: scale, zeroPoint: zeroPoint)
            let o = KernelOperands(inputs: [0], output: 4 * n)
            guard let made = try variant.maker(Quantize.qs8)(s, o) else { return .declined(label) }
            let (a, b) = runBoth(Quantize.qs8.reference(s, o), made, arenaSize: 5 * n, fill: { base in
                for (i, v) in values.enumerated() { base.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self) }
            }, output: 4 * n, outBytes: n)
            return .result(a == b, label)
        case .dequantizeQS8:
            let s = QuantizeSetup(count: 256, scale: scale, zeroPoint: zeroPoint), o = KernelOperands(inputs: [0], output: 256)
            guard let made = try variant.maker(Dequantize.qs8)(s, o) else { return .declined(label) }
            let (a, b) = runBoth(Dequantize.qs8.reference(s, o), made, arenaSize: 256 + 1024, fill: { base in
                for i in 0..<256 { base.storeBytes(of: UInt8(i), toByteOffset: i, as: UInt8.self) }
            }, output: 256, outBytes: 1024)
            return .result(a == b, label)
        default:
            Issue.record("QuantizeTester cannot test \(variant.testDescription)")
            return TesterOutcome()
        }
    }
}
