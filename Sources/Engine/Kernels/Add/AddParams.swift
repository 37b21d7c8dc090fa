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
