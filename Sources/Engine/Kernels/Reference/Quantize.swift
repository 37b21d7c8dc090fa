/// QUANTIZE float32 -> int8: q = clamp(round_half_away(x / scale) + zp, -128, 127), with the
/// division in float32 as TFLite's `AffineQuantize` does it.
struct QuantizeFloatToInt8Reference: Kernel {
    var input: Int, output: Int, count: Int
    var scale: Float, zeroPoint: Int32

    func eval(arena: UnsafeMutableRawPointer) {
        let x = (arena + input).assumingMemoryBound(to: Float.self)
        let y = (arena + output).assumingMemoryBound(to: Int8.self)
        for i in 0..<count {
            let r = roundHalfAway(x[i] / scale)
            // Clamp in float first so that huge or NaN inputs cannot trap on conversion.
            let v: Int32 = r.isNaN ? 0 : Int32(max(-1e9, min(1e9, r)))
            y[i] = Int8(clamping: v &+ zeroPoint)
        }
    }
}

/// QUANTIZE uint8 -> int8 for an input quantized over [0, 1] with scale 1/255 and zero point
/// -128: q = pixel - 128. Equal to quantizing pixel/255 in float (checked at prepare time for
/// all 256 values), so callers with 8-bit pixels skip the float buffer.
struct QuantizeUInt8PixelsReference: Kernel {
    var input: Int, output: Int, count: Int
    var table: [Int8]

    func eval(arena: UnsafeMutableRawPointer) {
        let x = (arena + input).assumingMemoryBound(to: UInt8.self)
        let y = (arena + output).assumingMemoryBound(to: Int8.self)
        table.withUnsafeBufferPointer { t in
            for i in 0..<count { y[i] = t[Int(x[i])] }
        }
    }
}

/// DEQUANTIZE int8 -> float32: float32(double(scale) * (q - zp)), as TFLite's reference does.
struct DequantizeInt8Reference: Kernel {
    var input: Int, output: Int, count: Int
    var scale: Double, zeroPoint: Int32

    func eval(arena: UnsafeMutableRawPointer) {
        let x = (arena + input).assumingMemoryBound(to: Int8.self)
        let y = (arena + output).assumingMemoryBound(to: Float.self)
        for i in 0..<count {
            y[i] = Float(scale * Double(Int32(x[i]) - zeroPoint))
        }
    }
}
