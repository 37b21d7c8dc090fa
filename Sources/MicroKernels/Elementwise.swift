import CMicroPlan

// ADD, channel PAD, MAX_POOL_2D, DEQUANTIZE and copies, int8, in the Embedded Swift subset
// (shared by the host's portable kernels and the microcontroller firmware).

/// ADD of `count` elements (TensorFlow Lite's reference AddElementwise for int8). Elementwise:
/// the output may be one of the inputs.
public func bfAdd(_ p: UnsafePointer<bf_add_t>, _ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>,
                  _ y: UnsafeMutablePointer<Int8>, count: Int) {
    let q = p.pointee
    let scale: Int32 = 1 << q.left_shift
    for i in 0..<count {
        let sa = (Int32(a[i]) &+ q.input1_offset) &* scale
        let sb = (Int32(b[i]) &+ q.input2_offset) &* scale
        let ra = bfMultiplyByQuantizedMultiplier(sa, q.input1_multiplier, q.input1_shift)
        let rb = bfMultiplyByQuantizedMultiplier(sb, q.input2_multiplier, q.input2_shift)
        y[i] = bfRequantize(ra &+ rb, q.output_multiplier, q.output_shift, q.output_offset, q.act_min, q.act_max)
    }
}

/// Channel PAD of `pixels` pixels: in_c values become before + in_c + after.
public func bfPadChannels(_ p: UnsafePointer<bf_pad_t>, _ x: UnsafePointer<Int8>, _ y: UnsafeMutablePointer<Int8>, pixels: Int) {
    let q = p.pointee
    let ic = Int(q.in_c), before = Int(q.before), after = Int(q.after)
    let fill = Int8(truncatingIfNeeded: q.fill)
    var xp = x, out = y
    for _ in 0..<pixels {
        for i in 0..<before { out[i] = fill }
        for i in 0..<ic { out[before + i] = xp[i] }
        for i in 0..<after { out[before + ic + i] = fill }
        xp += ic
        out += before + ic + after
    }
}

/// MAX_POOL_2D: the maximum over the window's taps inside the input, then the clamp.
public func bfMaxPool(_ p: UnsafePointer<bf_pool_t>, _ x: UnsafePointer<Int8>, _ y: UnsafeMutablePointer<Int8>) {
    let q = p.pointee
    let inW = Int(q.in_w), inH = Int(q.in_h), ch = Int(q.c), kh = Int(q.kh), kw = Int(q.kw)
    let lo = Int8(truncatingIfNeeded: q.act_min), hi = Int8(truncatingIfNeeded: q.act_max)
    var out = y
    for oy in 0..<Int(q.out_h) {
        let y0 = oy * Int(q.stride_h) - Int(q.pad_top)
        let ky0 = y0 < 0 ? -y0 : 0, ky1 = inH - y0 < kh ? inH - y0 : kh
        for ox in 0..<Int(q.out_w) {
            let x0 = ox * Int(q.stride_w) - Int(q.pad_left)
            let kx0 = x0 < 0 ? -x0 : 0, kx1 = inW - x0 < kw ? inW - x0 : kw
            for i in 0..<ch { out[i] = Int8.min }
            var ky = ky0
            while ky < ky1 {
                var kx = kx0
                while kx < kx1 {
                    let xp = x + ((y0 + ky) * inW + x0 + kx) * ch
                    for i in 0..<ch where xp[i] > out[i] { out[i] = xp[i] }
                    kx += 1
                }
                ky += 1
            }
            for i in 0..<ch { out[i] = out[i] < lo ? lo : (out[i] > hi ? hi : out[i]) }
            out += ch
        }
    }
}

/// DEQUANTIZE of `count` values: scale * (x - zero_point), computed in double and rounded to
/// float as TensorFlow Lite's reference kernel does.
public func bfDequantize(_ p: UnsafePointer<bf_dequantize_t>, _ x: UnsafePointer<Int8>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    let scale = Double(p.pointee.scale), zp = p.pointee.zero_point
    for i in 0..<count { y[i] = Float(scale * Double(Int32(x[i]) &- zp)) }
}

/// A byte copy that allows overlap (RESHAPE between two places).
public func bfCopy(_ x: UnsafeRawPointer, _ y: UnsafeMutableRawPointer, byteCount: Int) {
    if x == UnsafeRawPointer(y) || byteCount <= 0 { return }
    let src = x.assumingMemoryBound(to: UInt8.self), dst = y.assumingMemoryBound(to: UInt8.self)
    if UnsafeRawPointer(y) < x {
        for i in 0..<byteCount { dst[i] = src[i] }
    } else {
        var i = byteCount
        while i > 0 { i -= 1; dst[i] = src[i] }
    }
}

/// CONCATENATION: for each of `outer` slices, each input's run of bytes, in order.
public func bfConcat(_ p: UnsafePointer<bf_concat_t>, arena: UnsafeMutableRawPointer, output: Int) {
    let q = p.pointee
    guard let inputs = q.inputs, let inner = q.inner_bytes else { return }
    var total = 0
    for k in 0..<Int(q.count) { total += Int(inner[k]) }
    for o in 0..<Int(q.outer) {
        var dst = output + o * total
        for k in 0..<Int(q.count) {
            let n = Int(inner[k])
            bfCopy(UnsafeRawPointer(arena + Int(inputs[k]) + o * n), arena + dst, byteCount: n)
            dst += n
        }
    }
}
