/// Parameters of an int8 MUL (TFLite's reference `MulElementwise` for int8):
/// out = clamp(zp_out + MultiplyByQuantizedMultiplier((a - zp_a) * (b - zp_b), m, shift)), with
/// m * 2^shift = s_a * s_b / s_out computed in double as TFLite's `Prepare` does.
struct MulQS8Params: Sendable {
    var count: Int
    var input1Offset: Int32, input2Offset: Int32, outputOffset: Int32
    var multiplier: QuantizedMultiplier
    var actMin: Int32, actMax: Int32

    init(count: Int, scale1: Float, zp1: Int32, scale2: Float, zp2: Int32, scaleOut: Float, zpOut: Int32, activation: ActivationKind) {
        self.count = count
        input1Offset = -zp1
        input2Offset = -zp2
        outputOffset = zpOut
        multiplier = QuantizedMultiplier(Double(scale1) * Double(scale2) / Double(scaleOut))
        (actMin, actMax) = quantizedActivationRange(activation, scale: scaleOut, zeroPoint: zpOut)
    }

    /// One element.
    @inline(__always)
    func apply(_ a: Int8, _ b: Int8) -> Int8 {
        let product = (Int32(a) &+ input1Offset) &* (Int32(b) &+ input2Offset)
        let raw = outputOffset &+ multiplyByQuantizedMultiplier(product, multiplier.significand, multiplier.shift)
        return Int8(truncatingIfNeeded: min(max(raw, actMin), actMax))
    }
}

/// MUL int8 reference kernel (same-shape inputs).
struct MulQS8Reference: BinaryElementwiseKernel {
    var p: MulQS8Params
    var input1: Int, input2: Int, output: Int
    var count: Int { p.count }
    func apply(_ a: Int8, _ b: Int8) -> Int8 { p.apply(a, b) }
}

/// MUL float32 reference kernel (same-shape inputs), with the fused activation's clamp.
struct MulF32Reference: BinaryElementwiseKernel {
    var count: Int, actMin: Float, actMax: Float, input1: Int, input2: Int, output: Int

    func apply(_ a: Float, _ b: Float) -> Float { min(max(a * b, actMin), actMax) }
}
