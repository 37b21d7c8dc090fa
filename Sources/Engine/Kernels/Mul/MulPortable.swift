/// MUL int8 in portable Swift, bit-exact with ``MulQS8Reference``: the product of the two offset
/// inputs (|x| <= 255 * 255) requantized with the one-product form of ``ChannelRequant``, eight
/// elements at a time in SIMD lanes.
struct MulQS8Portable: Kernel {
    let requant: ChannelRequant
    let count: Int
    let input1Offset: Int32, input2Offset: Int32, outputOffset: Int32
    let actMin: Int32, actMax: Int32
    let input1: Int, input2: Int, output: Int

    init(_ p: MulQS8Params, input1: Int, input2: Int, output: Int) {
        requant = ChannelRequant(multiplier: p.multiplier.significand, shift: p.multiplier.shift)
        count = p.count
        (input1Offset, input2Offset, outputOffset) = (p.input1Offset, p.input2Offset, p.outputOffset)
        (actMin, actMax) = (max(-128, p.actMin), min(127, p.actMax))
        (self.input1, self.input2, self.output) = (input1, input2, output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let a = UnsafeRawPointer(arena + input1), b = UnsafeRawPointer(arena + input2)
        let y = (arena + output).assumingMemoryBound(to: Int8.self)
        let q = requant
        let lo = SIMD8<Int32>(repeating: actMin), hi = SIMD8<Int32>(repeating: actMax)
        var i = 0
        while i + 8 <= count {
            let x = SIMD8<Int32>(truncatingIfNeeded: a.loadUnaligned(fromByteOffset: i, as: SIMD8<Int8>.self)) &+ input1Offset
            let z = SIMD8<Int32>(truncatingIfNeeded: b.loadUnaligned(fromByteOffset: i, as: SIMD8<Int8>.self)) &+ input2Offset
            // As ChannelRequant.apply, per lane: the wrapping int32 left scale, the 64-bit product, one floor shift.
            let p = SIMD8<Int64>(truncatingIfNeeded: x &* z &* q.leftScale) &* q.multiplier
            let negative = SIMD8<Int64>(repeating: 0).replacing(with: q.negative, where: p .< 0)
            var v = SIMD8<Int32>(truncatingIfNeeded: (p &+ q.rounding &- negative) &>> q.rightShift) &+ outputOffset
            v.replace(with: lo, where: lo .>= v)    // max(v, lo), as Swift.max
            v.replace(with: hi, where: hi .< v)     // min(v, hi), as Swift.min
            (UnsafeMutableRawPointer(y) + i).storeBytes(of: SIMD8<Int8>(truncatingIfNeeded: v), as: SIMD8<Int8>.self)
            i += 8
        }
        let a8 = a.assumingMemoryBound(to: Int8.self), b8 = b.assumingMemoryBound(to: Int8.self)
        while i < count {
            let product = (Int32(a8[i]) &+ input1Offset) &* (Int32(b8[i]) &+ input2Offset)
            y[i] = Int8(truncatingIfNeeded: min(max(q.apply(product) &+ outputOffset, actMin), actMax))
            i += 1
        }
    }
}

/// MUL float32 in portable Swift: eight lanes at a time, equal to ``MulF32Reference`` (one
/// rounding per product, then the clamp).
struct MulF32Portable: Kernel {
    var count: Int
    var actMin: Float, actMax: Float
    var input1: Int, input2: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let a = UnsafeRawPointer(arena + input1), b = UnsafeRawPointer(arena + input2), y = arena + output
        let lo = SIMD8<Float>(repeating: actMin), hi = SIMD8<Float>(repeating: actMax)
        var i = 0
        while i + 8 <= count {
            let v = a.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) * b.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            var c = v
            c.replace(with: lo, where: lo .>= c)    // max(v, lo), as Swift.max (NaN stays NaN)
            c.replace(with: hi, where: hi .< c)     // min(c, hi), as Swift.min
            (y + 4 * i).storeBytes(of: c, as: SIMD8<Float>.self)
            i += 8
        }
        let a32 = a.assumingMemoryBound(to: Float.self), b32 = b.assumingMemoryBound(to: Float.self)
        let y32 = y.assumingMemoryBound(to: Float.self)
        while i < count {
            y32[i] = min(max(a32[i] * b32[i], actMin), actMax)
            i += 1
        }
    }
}
