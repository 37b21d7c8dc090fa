/// Parameters of an int8 per-channel convolution (TFLite `ConvPerChannel`).
///
/// acc[c] = bias[c] + sum over taps inside the input of (q_in - zp_in) * w[c, ky, kx, ci];
/// out = clamp(rescale(acc, m[c], shift[c]) + zp_out, act_min, act_max).
/// The int32 accumulator cannot overflow here: |q_in - zp_in| <= 255, |w| <= 127, and even a
/// 5x5x1024 window sums to under 2^30.
struct ConvQS8Params: Sendable {
    var input: NHWC, output: NHWC
    var window: Window
    var inputOffset: Int32      // -zp_in
    var outputOffset: Int32     // zp_out
    var actMin: Int32, actMax: Int32
    var weights: [Int8]         // [outC, kh, kw, inC]
    var bias: [Int32]           // [outC]
    var multipliers: [Int32]    // [outC]
    var shifts: [Int32]         // [outC]

    /// The output value of accumulator `acc` (bias included): rescaled, offset and clamped.
    @inline(__always)
    func requantize(_ acc: Int32, multiplier: Int32, shift: Int32) -> Int8 {
        Int8(truncatingIfNeeded: min(max(multiplyByQuantizedMultiplier(acc, multiplier, shift) &+ outputOffset, actMin), actMax))
    }

    /// Calls `body` with pointers to the weights, bias, multipliers and shifts (for packing).
    func withConstants<R>(_ body: (UnsafePointer<Int8>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
        weights.withUnsafeBufferPointer { w in
        bias.withUnsafeBufferPointer { b in
        multipliers.withUnsafeBufferPointer { m in
        shifts.withUnsafeBufferPointer { s in
            body(w.baseAddress, b.baseAddress, m.baseAddress, s.baseAddress)
        }}}}
    }
}

/// Parameters of a float32 convolution.
struct ConvF32Params: Sendable {
    var input: NHWC, output: NHWC
    var window: Window
    var actMin: Float, actMax: Float
    var weights: [Float]        // [outC, kh, kw, inC]
    var bias: [Float]           // [outC], zeros when the model has none
}
