import Foundation
import MicroKernels

// Integer requantization exactly as TensorFlow Lite's reference kernels do it (gemmlowp's
// fixed-point primitives). A real multiplier M = s_in * s_w / s_out is stored as a 31-bit
// significand `m` and a power-of-two exponent `shift` so that M ~= m * 2^(shift - 31).
// Rescaling an accumulator uses TWO roundings: the doubling high multiply rounds once, the
// power-of-two division rounds again (half away from zero). A single-rounding `round(acc * M)`
// differs by one step on many values, so it must not be used where exactness is promised.

/// A quantized multiplier: significand in [2^30, 2^31) (or 0) and power-of-two exponent.
public struct QuantizedMultiplier: Sendable, Hashable {
    public var significand: Int32
    public var shift: Int32

    /// TFLite's `QuantizeMultiplier`: frexp, round the significand to 31 bits (half away from
    /// zero), renormalise if it rounded up to 2^31, flush tiny values to zero, saturate huge ones.
    public init(_ real: Double) {
        guard real != 0, real.isFinite else {
            significand = 0
            shift = 0
            return
        }
        let fr = frexp(real)
        var q = Int64((fr.0 * 2147483648.0).rounded(.toNearestOrAwayFromZero))
        var e = fr.1
        if q == 1 << 31 {
            q /= 2
            e += 1
        }
        if e < -31 {
            e = 0
            q = 0
        }
        if e > 30 {
            e = 30
            q = (1 << 31) - 1
        }
        significand = Int32(q)
        shift = Int32(e)
    }
}

/// gemmlowp's `SaturatingRoundingDoublingHighMul`: (a * b * 2 + 2^31 rounding nudge) >> 32,
/// with the single overflow case (min * min) saturated. (The implementation is MicroKernels',
/// shared with the firmware.)
@inline(__always)
public func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 { bfDoublingHighMul(a, b) }

/// gemmlowp's `RoundingDivideByPOT`: x / 2^exponent rounded half away from zero.
@inline(__always)
public func roundingDivideByPOT(_ x: Int32, _ exponent: Int32) -> Int32 { bfRoundingDivideByPOT(x, exponent) }

/// TFLite's `MultiplyByQuantizedMultiplier`: x * m * 2^(shift - 31) with the two roundings.
@inline(__always)
public func multiplyByQuantizedMultiplier(_ x: Int32, _ m: Int32, _ shift: Int32) -> Int32 {
    bfMultiplyByQuantizedMultiplier(x, m, shift)
}

/// Round half away from zero, as `TfLiteRound` / `std::round`.
@inline(__always)
func roundHalfAway(_ x: Float) -> Float { x.rounded(.toNearestOrAwayFromZero) }

/// The clamp range of a fused activation on an int8 output (TFLite's
/// `CalculateActivationRangeQuantized`): thresholds quantized with the output's scale and zero point.
func quantizedActivationRange(_ activation: ActivationKind, scale: Float, zeroPoint: Int32) -> (min: Int32, max: Int32) {
    let qmin: Int32 = -128, qmax: Int32 = 127
    // zero point + round(f / scale), as TFLite, computed wide and saturated: a valid but tiny
    // scale from the file (1e-30) makes f / scale huge or infinite, and the clamp to the int8
    // range below gives the same result as the exact value would.
    func q(_ f: Float) -> Int32 {
        let r = Double(roundHalfAway(f / scale))
        let v = Double(zeroPoint) + (r.isNaN ? 0 : r)
        return Int32(max(-1e9, min(1e9, v)))
    }
    switch activation {
    case .none: return (qmin, qmax)
    case .relu: return (max(qmin, q(0)), qmax)
    case .relu6: return (max(qmin, q(0)), min(qmax, q(6)))
    case .reluN1To1: return (max(qmin, q(-1)), min(qmax, q(1)))
    }
}

/// Fused activations the engine supports.
enum ActivationKind: Sendable {
    case none, relu, relu6, reluN1To1

    var floatRange: (min: Float, max: Float) {
        switch self {
        case .none: return (-Float.greatestFiniteMagnitude, Float.greatestFiniteMagnitude)
        case .relu: return (0, Float.greatestFiniteMagnitude)
        case .relu6: return (0, 6)
        case .reluN1To1: return (-1, 1)
        }
    }
}
