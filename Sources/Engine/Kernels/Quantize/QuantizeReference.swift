/// A QUANTIZE float32 -> int8 kernel, which can also quantize a caller's buffer into the arena
/// (the compact plan's input stage).
protocol QuantizeQS8Kernel: Kernel {
    var input: Int { get }
    var output: Int { get }
    /// Quantizes the kernel's element count from `x` to `y`.
    func quantize(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Int8>)
}

extension QuantizeQS8Kernel {
    func eval(arena: UnsafeMutableRawPointer) {
        quantize((arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Int8.self))
    }
}

/// QUANTIZE float32 -> int8: q = clamp(round_half_away(x / scale) + zp, -128, 127), with the
/// division in float32 as TFLite's `AffineQuantize` does it.
struct QuantizeQS8Reference: QuantizeQS8Kernel {
    var input: Int, output: Int, count: Int
    var scale: Float, zeroPoint: Int32

    func quantize(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Int8>) {
        Self.run(x, y, count: count, scale: scale, zeroPoint: zeroPoint)
    }

    /// One value.
    @inline(__always)
    static func quantize(_ x: Float, scale: Float, zeroPoint: Int32) -> Int8 {
        let r = roundHalfAway(x / scale)
        // Clamp in float first so that huge or NaN inputs cannot trap on conversion.
        let v: Int32 = r.isNaN ? 0 : Int32(max(-1e9, min(1e9, r)))
        return Int8(clamping: v &+ zeroPoint)
    }

    /// `count` values from `x` to `y` (used to quantize a caller's buffer while it is copied in).
    static func run(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Int8>, count: Int, scale: Float, zeroPoint: Int32) {
        for i in 0..<count { y[i] = quantize(x[i], scale: scale, zeroPoint: zeroPoint) }
    }

    /// True when 8-bit pixels p, read as p / 255 (divided, or multiplied by Float(1 / 255)),
    /// quantize to p - 128 for all 256 values: then pixels can be fed as `p ^ 0x80` directly.
    static func quantizesPixelsAsXor80(scale: Float, zeroPoint: Int32) -> Bool {
        (0...255).allSatisfy { p in
            [Float(p) / 255, Float(p) * (1 / 255 as Float)].allSatisfy {
                quantize($0, scale: scale, zeroPoint: zeroPoint) == Int8(p - 128)
            }
        }
    }
}
