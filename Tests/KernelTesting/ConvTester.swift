import Testing
@testable import Engine

/// Tests a CONV_2D or DEPTHWISE_CONV_2D variant against the reference kernel on one shape, XNNPACK
/// style: `ConvTester().inputSize(9, 9).channels(20, 88).kernel(3, 3).stride(2).padding(.same)`.
/// int8 outputs must be byte-identical; float32 outputs must lie within float32 rounding of the
/// reference (each within 2 * gamma(n) * sum|terms|; Higham 3.1), as the variants sum in another
/// order and with fused multiply-add. The output sits right after the input in the arena, so a
/// read past the input or a write past the output shows.
public struct ConvTester: Sendable {
    public enum PaddingMode: Sendable { case same, valid }
    var h = 1, w = 1, ic = 1, oc = 1, kh = 1, kw = 1, stride = 1, depthMultiplier = 1
    var pad = PaddingMode.same

    public init() {}

    public func inputSize(_ h: Int, _ w: Int) -> Self { var t = self; (t.h, t.w) = (h, w); return t }
    /// Input and output channels (depthwise: output = input * depth multiplier, `output` ignored).
    public func channels(_ input: Int, _ output: Int) -> Self { var t = self; (t.ic, t.oc) = (input, output); return t }
    public func kernel(_ kh: Int, _ kw: Int) -> Self { var t = self; (t.kh, t.kw) = (kh, kw); return t }
    public func stride(_ s: Int) -> Self { var t = self; t.stride = s; return t }
    public func padding(_ p: PaddingMode) -> Self { var t = self; t.pad = p; return t }
    public func depthMultiplier(_ m: Int) -> Self { var t = self; t.depthMultiplier = m; return t }

    var window: Window {
        Window(padding: pad == .same ? .same : .valid, inH: h, inW: w, filterH: kh, filterW: kw, strideH: stride, strideW: stride)
    }

    /// True when the shape has an output.
    public var fits: Bool { window.outH > 0 && window.outW > 0 }

    var label: String { "\(h)x\(w)x\(ic) -> \(oc), \(kh)x\(kw) stride \(stride) \(pad) dm \(depthMultiplier)" }

    /// Runs `variant` (a conv2d or depthwise family) and the reference on random data from `r`.
    public func test(_ variant: KernelVariantID, _ r: inout Rng) throws -> TesterOutcome {
        guard fits else { return TesterOutcome() }
        switch variant.op {
        case .conv2dQS8:
            let p = qs8Params(&r, depthwise: false)
            return try compareQS8(p, &r, variant.maker(Conv2D.qs8)(Conv2D.QS8Setup(p), operands(p.input.count)),
                                  Conv2D.qs8.reference(Conv2D.QS8Setup(p), operands(p.input.count)))
        case .depthwiseConv2dQS8:
            let p = qs8Params(&r, depthwise: true)
            let s = DepthwiseConv2D.Setup(params: p, depthMultiplier: depthMultiplier)
            return try compareQS8(p, &r, variant.maker(DepthwiseConv2D.qs8)(s, operands(p.input.count)),
                                  DepthwiseConv2D.qs8.reference(s, operands(p.input.count)))
        case .conv2dF32:
            let p = f32Params(&r, depthwise: false)
            return try compareF32(p, &r, terms: kh * kw * ic, variant.maker(Conv2D.f32)(Conv2D.F32Setup(p), operands(4 * p.input.count))) {
                Conv2D.f32.reference(Conv2D.F32Setup($0), operands(4 * $0.input.count))
            }
        case .depthwiseConv2dF32:
            let p = f32Params(&r, depthwise: true)
            let make = try variant.maker(DepthwiseConv2D.f32)
            return try compareF32(p, &r, terms: kh * kw, make(DepthwiseConv2D.Setup(params: p, depthMultiplier: depthMultiplier), operands(4 * p.input.count))) {
                DepthwiseConv2D.f32.reference(DepthwiseConv2D.Setup(params: $0, depthMultiplier: depthMultiplier), operands(4 * $0.input.count))
            }
        default:
            Issue.record("ConvTester cannot test \(variant.testDescription)")
            return TesterOutcome()
        }
    }

    func operands(_ inBytes: Int) -> KernelOperands { KernelOperands(inputs: [0], output: align64(inBytes)) }

    var outputChannels: Int { oc }

    /// Random int8 parameters: weights mostly small, multipliers 2^-12...2^-4, and on about a
    /// third of the channels 2^-20...2 (left shifts included); RELU or none.
    func qs8Params(_ r: inout Rng, depthwise: Bool) -> ConvQS8Params {
        let oc = depthwise ? ic * depthMultiplier : self.oc
        let win = window
        let zIn = Int32(r.int(-128...127)), zOut = Int32(r.int(-128...127))
        let wCount = depthwise ? kh * kw * oc : oc * kh * kw * ic
        let weights = (0..<wCount).map { _ in r.int(0...9) == 0 ? Int8(r.int(-127...127)) : Int8(r.int(-20...20)) }
        let bias = (0..<oc).map { _ in Int32(r.int(-20000...20000)) }
        var mults: [Int32] = [], shifts: [Int32] = []
        for _ in 0..<oc {
            var m = QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: r.int(-12...(-4)), significand: 1))
            if r.int(0...2) == 0 { m = randomMultiplier(&r) }
            mults.append(m.significand); shifts.append(m.shift)
        }
        let relu = r.int(0...1) == 0
        return ConvQS8Params(input: NHWC([1, h, w, ic]), output: NHWC([1, win.outH, win.outW, oc]), window: win,
                             inputOffset: -zIn, outputOffset: zOut, actMin: relu ? max(-128, zOut) : -128, actMax: 127,
                             weights: weights, bias: bias, multipliers: mults, shifts: shifts)
    }

    /// Random float32 parameters in [-1, 1] and RELU, RELU6 or none.
    func f32Params(_ r: inout Rng, depthwise: Bool) -> ConvF32Params {
        let oc = depthwise ? ic * depthMultiplier : self.oc
        let win = window, act = r.int(0...2)
        let wCount = depthwise ? kh * kw * oc : oc * kh * kw * ic
        return ConvF32Params(input: NHWC([1, h, w, ic]), output: NHWC([1, win.outH, win.outW, oc]), window: win,
                             actMin: act == 0 ? -.greatestFiniteMagnitude : 0, actMax: act == 2 ? 6 : .greatestFiniteMagnitude,
                             weights: (0..<wCount).map { _ in r.float(-1, 1) }, bias: (0..<oc).map { _ in r.float(-1, 1) })
    }

    func compareQS8(_ p: ConvQS8Params, _ r: inout Rng, _ made: (any Kernel)?, _ reference: any Kernel) -> TesterOutcome {
        guard let made else { return .declined(label) }
        let inBytes = p.input.count, out = align64(inBytes)
        var rr = r
        let (a, b) = runBoth(reference, made, arenaSize: out + p.output.count, fill: { base in
            for i in 0..<inBytes { base.storeBytes(of: rr.int8(), toByteOffset: i, as: Int8.self) }
        }, output: out, outBytes: p.output.count)
        r = rr
        return .result(a == b, "\(label): \(zip(a, b).filter { $0 != $1 }.count) bytes differ")
    }

    /// Counts outputs farther from the reference than rounding allows: Σ|term| comes from the
    /// reference run on |input|, |weights|, |bias| without the clamp.
    func compareF32(_ p: ConvF32Params, _ r: inout Rng, terms: Int, _ made: (any Kernel)?,
                    reference: (ConvF32Params) -> any Kernel) -> TesterOutcome {
        guard let made else { return .declined(label) }
        let input = (0..<p.input.count).map { _ in r.float(-2, 2) }
        let out = align64(4 * p.input.count), outBytes = 4 * p.output.count
        func fill(_ values: [Float]) -> (UnsafeMutableRawPointer) -> Void {
            { base in for (i, v) in values.enumerated() { base.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self) } }
        }
        let (a, b) = runBoth(reference(p), made, arenaSize: out + outBytes, fill: fill(input), output: out, outBytes: outBytes)
        var absP = p
        absP.weights = p.weights.map { abs($0) }
        absP.bias = p.bias.map { abs($0) }
        (absP.actMin, absP.actMax) = (-.greatestFiniteMagnitude, .greatestFiniteMagnitude)
        let absKernel = reference(absP)
        let (m, _) = runBoth(absKernel, absKernel, arenaSize: out + outBytes, fill: fill(input.map { abs($0) }), output: out, outBytes: outBytes)
        let n = Double(terms + 1), u = 0x1p-24
        let gamma = n * u / (1 - n * u)
        let bad = zip(zip(floats(a), floats(b)), floats(m)).filter { pair, magnitude in
            !(abs(Double(pair.0) - Double(pair.1)) <= 2 * gamma * Double(magnitude) * 1.0001)
        }.count
        return .result(bad == 0, "\(label): \(bad) outputs outside the rounding bound")
    }
}

/// Real multipliers from 2^-20 to 2 (left shifts included), plus exact powers of two.
func randomMultiplier(_ r: inout Rng) -> QuantizedMultiplier {
    if r.int(0...7) == 0 { return QuantizedMultiplier(Double(1 << r.int(0...3)) / 8) }
    return QuantizedMultiplier(Double(r.float(0.5, 1)) * Double(sign: .plus, exponent: r.int(-20...1), significand: 1))
}
