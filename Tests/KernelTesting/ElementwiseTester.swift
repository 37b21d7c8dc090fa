import Testing
@testable import Engine

/// Tests an elementwise variant (ADD, MUL, RELU) against the reference on `count` elements:
/// `ElementwiseTester().count(70).allPairs()`. int8 variants get random scales and zero points
/// (RELU or none) and, with `allPairs`, every (a, b) byte pair followed by a random tail; float32
/// variants get values in [-8, 8] and RELU, RELU6 or none. Outputs must be byte-identical.
public struct ElementwiseTester: Sendable {
    var count = 1
    var pairs = false
    /// Both input scales equal (ADD's common-scale path).
    var equalScales = false

    public init() {}

    public func count(_ n: Int) -> Self { var t = self; t.count = n; return t }
    /// Every (a, b) pair of bytes, then `count` random elements.
    public func allPairs() -> Self { var t = self; t.pairs = true; return t }
    public func equalScales(_ on: Bool) -> Self { var t = self; t.equalScales = on; return t }

    var total: Int { pairs ? 65_536 + count : count }

    public func test(_ variant: KernelVariantID, _ r: inout Rng) throws -> TesterOutcome {
        let n = total
        let s1 = r.float(0.005, 0.3), s2 = equalScales ? s1 : r.float(0.005, 0.3), so = r.float(0.01, 0.2)
        let z1 = Int32(r.int(-128...127)), z2 = Int32(r.int(-128...127)), zo = Int32(r.int(-128...127))
        let act: ActivationKind = r.int(0...1) == 0 ? .relu : .none
        let two = KernelOperands(inputs: [0, n], output: 2 * n), label = "\(variant.testDescription) count \(n) scales \(s1) \(s2) -> \(so)"
        switch variant.op {
        case .addQS8:
            let s = Add.QS8Setup(AddQS8Params(count: n, scale1: s1, zp1: z1, scale2: s2, zp2: z2, scaleOut: so, zpOut: zo, activation: act))
            return compareBytes(try variant.maker(Add.qs8)(s, two), Add.qs8.reference(s, two), &r, label: label)
        case .mulQS8:
            let p = MulQS8Params(count: n, scale1: s1, zp1: z1, scale2: s2, zp2: z2, scaleOut: so, zpOut: zo, activation: act)
            return compareBytes(try variant.maker(Mul.qs8)(p, two), Mul.qs8.reference(p, two), &r, label: label)
        case .addF32, .mulF32, .reluF32:
            let a = r.int(0...2)
            let lo: Float = a == 0 ? -.greatestFiniteMagnitude : 0, hi: Float = a == 2 ? 6 : .greatestFiniteMagnitude
            let four = KernelOperands(inputs: [0, 4 * n], output: 8 * n)
            let made: (any Kernel)?, reference: any Kernel
            switch variant.op {
            case .addF32:
                let s = Add.F32Setup(count: n, actMin: lo, actMax: hi)
                (made, reference) = (try variant.maker(Add.f32)(s, four), Add.f32.reference(s, four))
            case .mulF32:
                let s = Mul.F32Setup(count: n, actMin: lo, actMax: hi)
                (made, reference) = (try variant.maker(Mul.f32)(s, four), Mul.f32.reference(s, four))
            default:
                let s = Relu.Setup(count: n, lo: 0, hi: hi), one = KernelOperands(inputs: [4 * n], output: 8 * n)
                (made, reference) = (try variant.maker(Relu.f32)(s, one), Relu.f32.reference(s, one))
            }
            return compareFloats(made, reference, &r, label: "\(variant.testDescription) count \(n) clamp [\(lo), \(hi)]")
        default:
            Issue.record("ElementwiseTester cannot test \(variant.testDescription)")
            return TesterOutcome()
        }
    }

    func compareBytes(_ made: (any Kernel)?, _ reference: any Kernel, _ r: inout Rng, label: String) -> TesterOutcome {
        guard let made else { return .declined(label) }
        let n = total, pairs = self.pairs
        var rr = r
        let (a, b) = runBoth(reference, made, arenaSize: 3 * n, fill: { base in
            for i in 0..<n {
                let (x, y) = pairs && i < 65_536 ? (UInt8(i & 255), UInt8(i >> 8)) : (rr.byte(), rr.byte())
                base.storeBytes(of: x, toByteOffset: i, as: UInt8.self)
                base.storeBytes(of: y, toByteOffset: n + i, as: UInt8.self)
            }
        }, output: 2 * n, outBytes: n)
        r = rr
        return .result(a == b, "\(label): \(zip(a, b).filter { $0 != $1 }.count) bytes differ")
    }

    func compareFloats(_ made: (any Kernel)?, _ reference: any Kernel, _ r: inout Rng, label: String) -> TesterOutcome {
        guard let made else { return .declined(label) }
        let n = total
        let values = (0..<(2 * n)).map { _ in r.float(-8, 8) }
        let (a, b) = runBoth(reference, made, arenaSize: 12 * n, fill: { base in
            for (i, v) in values.enumerated() { base.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self) }
        }, output: 8 * n, outBytes: 4 * n)
        return .result(a == b, "\(label): outputs differ")
    }
}
