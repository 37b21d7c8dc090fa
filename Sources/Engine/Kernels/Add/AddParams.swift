/// Parameters of an int8 ADD (TFLite's reference `AddElementwise` for int8).
///
/// Both inputs are shifted left by 20 bits, scaled by multipliers < 1 that bring them to a common
/// scale of twice the larger input scale, summed, and rescaled to the output:
/// out = clamp(rescale(rescale((a - zp_a) << 20, m_a) + rescale((b - zp_b) << 20, m_b), m_out) + zp_out).
/// (a - zp_a) fits in 9 bits, so the shifted value stays below 2^29.
struct AddQS8Params: Sendable {
    var count: Int
    var input1Offset: Int32, input2Offset: Int32, outputOffset: Int32
    var leftShift: Int32
    var input1Multiplier: QuantizedMultiplier
    var input2Multiplier: QuantizedMultiplier
    var outputMultiplier: QuantizedMultiplier
    var actMin: Int32, actMax: Int32

    /// Prepares the multipliers from the three tensors' scales, in double as TFLite does.
    init(count: Int, scale1: Float, zp1: Int32, scale2: Float, zp2: Int32, scaleOut: Float, zpOut: Int32,
         activation: ActivationKind) {
        self.count = count
        input1Offset = -zp1
        input2Offset = -zp2
        outputOffset = zpOut
        leftShift = 20
        // TFLite: `2 * std::max(s1, s2)` in float, then widened to double.
        let twiceMax = Double(2 * max(scale1, scale2))
        input1Multiplier = QuantizedMultiplier(Double(scale1) / twiceMax)
        input2Multiplier = QuantizedMultiplier(Double(scale2) / twiceMax)
        outputMultiplier = QuantizedMultiplier(twiceMax / Double(Float(1 << 20) * scaleOut))
        (actMin, actMax) = quantizedActivationRange(activation, scale: scaleOut, zeroPoint: zpOut)
    }

    /// Computes one element.
    @inline(__always)
    func apply(_ a: Int8, _ b: Int8) -> Int8 {
        let sa = (Int32(a) &+ input1Offset) &* (1 << leftShift)
        let sb = (Int32(b) &+ input2Offset) &* (1 << leftShift)
        let ra = multiplyByQuantizedMultiplier(sa, input1Multiplier.significand, input1Multiplier.shift)
        let rb = multiplyByQuantizedMultiplier(sb, input2Multiplier.significand, input2Multiplier.shift)
        let raw = multiplyByQuantizedMultiplier(ra &+ rb, outputMultiplier.significand, outputMultiplier.shift) &+ outputOffset
        return Int8(truncatingIfNeeded: min(max(raw, actMin), actMax))
    }
}

extension AddQS8Params {
    /// The 8 x 256 byte tables, or nil when the decomposition does not reproduce the reference
    /// on every input pair.
    func exactTables() -> [UInt8]? {
        let p = self
        let mo = Int64(p.outputMultiplier.significand), so = p.outputMultiplier.shift
        guard so <= 0, -so <= 31, mo > 0 else { return nil }
        let r = Int64(-so), S = 31 + r
        let k: Int64 = (1 << 30) + (r > 0 ? (1 << (30 + r)) : 0)
        let one: Int64 = 1 << S
        func rescale(_ v: Int, _ offset: Int32, _ m: QuantizedMultiplier) -> Int64 {
            let x = (Int32(Int8(truncatingIfNeeded: v)) &+ offset) &* (1 << p.leftShift)
            return Int64(multiplyByQuantizedMultiplier(x, m.significand, m.shift))
        }
        var pi = [Int64](repeating: 0, count: 256), fa = pi, qi = pi, gb = pi
        for v in 0..<256 {
            let na = rescale(v, p.input1Offset, p.input1Multiplier) * mo
            let nb = rescale(v, p.input2Offset, p.input2Multiplier) * mo + k
            pi[v] = na >> S; fa[v] = na - (pi[v] << S)
            qi[v] = nb >> S; gb[v] = one - (nb - (qi[v] << S))
            qi[v] += Int64(p.outputOffset)
        }
        // Dense ranks of the union: fa >= gb exactly when rank(fa) >= rank(gb).
        let sorted = Array(Set(fa + gb)).sorted()
        var rank: [Int64: Int] = [:]
        for (i, v) in sorted.enumerated() { rank[v] = i }
        func clamp16(_ v: Int64) -> Int16 { Int16(max(-16000, min(16000, v))) }
        let P = pi.map(clamp16), Q = qi.map(clamp16)
        let Ra = fa.map { Int16(rank[$0] ?? 0) }, Rb = gb.map { Int16(rank[$0] ?? 0) }
        // Check every pair against the reference.
        for av in 0..<256 {
            for bv in 0..<256 {
                var y = Int32(P[av]) + Int32(Q[bv]) + (Ra[av] >= Rb[bv] ? 1 : 0)
                y = min(max(y, -128), 127)
                y = min(max(y, p.actMin), p.actMax)
                if Int8(y) != p.apply(Int8(truncatingIfNeeded: av), Int8(truncatingIfNeeded: bv)) { return nil }
            }
        }
        var t = [UInt8](repeating: 0, count: 2048)
        for v in 0..<256 {
            for (j, table) in [P, Ra, Q, Rb].enumerated() {
                let u = UInt16(bitPattern: table[v])
                t[(2 * j) * 256 + v] = UInt8(u & 0xFF)
                t[(2 * j + 1) * 256 + v] = UInt8(u >> 8)
            }
        }
        return t
    }
}
