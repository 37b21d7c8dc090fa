// Integer requantization exactly as TensorFlow Lite's reference kernels do it, in the Embedded
// Swift subset (no Foundation, 32-bit `Int` on the microcontroller: every value here is Int32
// or Int64 explicitly).

// The one implementation: the host engine's `saturatingRoundingDoublingHighMul`,
// `roundingDivideByPOT` and `multiplyByQuantizedMultiplier` call these (`@inlinable`, so they
// inline across the module boundary into the engine's kernels).

/// gemmlowp's `SaturatingRoundingDoublingHighMul`: (a * b * 2 + 2^31 rounding nudge) >> 32,
/// with the single overflow case (min * min) saturated.
@inlinable @inline(__always)
public func bfDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
    if a == b && a == Int32.min { return Int32.max }
    let ab = Int64(a) &* Int64(b)
    let nudge: Int64 = ab >= 0 ? (1 << 30) : (1 - (1 << 30))
    // Truncating division toward zero, as C++'s.
    return Int32(truncatingIfNeeded: (ab &+ nudge) / (1 << 31))
}

/// gemmlowp's `RoundingDivideByPOT`: x / 2^exponent rounded half away from zero.
@inlinable @inline(__always)
public func bfRoundingDivideByPOT(_ x: Int32, _ exponent: Int32) -> Int32 {
    let mask: Int32 = (1 << exponent) &- 1
    let remainder = x & mask
    let threshold = (mask >> 1) &+ (x < 0 ? 1 : 0)
    return (x >> exponent) &+ (remainder > threshold ? 1 : 0)
}

/// TensorFlow Lite's `MultiplyByQuantizedMultiplier`: x * m * 2^(shift - 31), two roundings.
@inlinable @inline(__always)
public func bfMultiplyByQuantizedMultiplier(_ x: Int32, _ m: Int32, _ shift: Int32) -> Int32 {
    let left: Int32 = shift > 0 ? shift : 0
    let right: Int32 = shift > 0 ? 0 : -shift
    return bfRoundingDivideByPOT(bfDoublingHighMul(x &* (1 << left), m), right)
}

/// An accumulator rescaled, offset and clamped to an int8 output.
@inline(__always)
func bfRequantize(_ acc: Int32, _ m: Int32, _ shift: Int32, _ offset: Int32, _ lo: Int32, _ hi: Int32) -> Int8 {
    let v = bfMultiplyByQuantizedMultiplier(acc, m, shift) &+ offset
    return Int8(truncatingIfNeeded: v < lo ? lo : (v > hi ? hi : v))
}
