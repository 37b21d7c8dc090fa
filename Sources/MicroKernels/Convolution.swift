import CMicroPlan

// CONV_2D and DEPTHWISE_CONV_2D, int8 with per-channel weights, in the Embedded Swift subset.
// The host engine runs these as its portable int8 kernels (`conv2d.qs8.portable`); the
// microcontroller firmware runs the same source. Pointers were validated when the plan was made
// (the host's prepare step): every index below stays inside the tensors the plan placed.

/// CONV_2D over the whole output (any kernel size, stride and padding; dilation 1).
public func bfConv(_ p: UnsafePointer<bf_conv_t>, _ x: UnsafePointer<Int8>, _ y: UnsafeMutablePointer<Int8>) {
    let c = p.pointee
    guard let w = c.weights, let bias = c.bias, let mult = c.multiplier, let shift = c.shift else { return }
    let inW = Int(c.in_w), inH = Int(c.in_h), ic = Int(c.in_c), oc = Int(c.out_c)
    let kh = Int(c.kh), kw = Int(c.kw), taps = kh * kw * ic
    var out = y
    for oy in 0..<Int(c.out_h) {
        let y0 = oy * Int(c.stride_h) - Int(c.pad_top)
        let ky0 = y0 < 0 ? -y0 : 0, ky1 = inH - y0 < kh ? inH - y0 : kh
        for ox in 0..<Int(c.out_w) {
            let x0 = ox * Int(c.stride_w) - Int(c.pad_left)
            let kx0 = x0 < 0 ? -x0 : 0, kx1 = inW - x0 < kw ? inW - x0 : kw
            for o in 0..<oc {
                var acc = bias[o]
                let filter = w + o * taps
                var ky = ky0
                while ky < ky1 {
                    var kx = kx0
                    while kx < kx1 {
                        let xp = x + ((y0 + ky) * inW + x0 + kx) * ic, wp = filter + (ky * kw + kx) * ic
                        for i in 0..<ic { acc &+= (Int32(xp[i]) &+ c.input_offset) &* Int32(wp[i]) }
                        kx += 1
                    }
                    ky += 1
                }
                out[o] = bfRequantize(acc, mult[o], Int32(shift[o]), c.output_offset, c.act_min, c.act_max)
            }
            out += oc
        }
    }
}

/// A 1x1, stride-1, unpadded CONV_2D over `pixels` consecutive pixels (a band of a fused group,
/// or the whole tensor).
public func bfConvPointwise(_ p: UnsafePointer<bf_conv_t>, _ x: UnsafePointer<Int8>, _ y: UnsafeMutablePointer<Int8>, pixels: Int) {
    let c = p.pointee
    guard let w = c.weights, let bias = c.bias, let mult = c.multiplier, let shift = c.shift else { return }
    let ic = Int(c.in_c), oc = Int(c.out_c), offset = c.input_offset
    var xp = x, out = y
    for _ in 0..<pixels {
        // sum((x + offset) * w) = sum(x * w) + offset * sum(x): one multiply per tap.
        var wp = w
        for o in 0..<oc {
            var acc = bias[o]
            for i in 0..<ic { acc &+= (Int32(xp[i]) &+ offset) &* Int32(wp[i]) }
            out[o] = bfRequantize(acc, mult[o], Int32(shift[o]), c.output_offset, c.act_min, c.act_max)
            wp += ic
        }
        xp += ic
        out += oc
    }
}

/// True when `p` is a 1x1, stride-1, unpadded convolution of the same height and width.
public func bfIsPointwise(_ p: UnsafePointer<bf_conv_t>) -> Bool {
    let c = p.pointee
    return c.kh == 1 && c.kw == 1 && c.stride_h == 1 && c.stride_w == 1 && c.pad_top == 0 && c.pad_left == 0
        && c.in_h == c.out_h && c.in_w == c.out_w
}

/// DEPTHWISE_CONV_2D with depth multiplier 1 (any kernel size, stride and padding; dilation 1).
/// `acc` is scratch for `out_c` accumulators.
public func bfDepthwise(_ p: UnsafePointer<bf_conv_t>, _ x: UnsafePointer<Int8>, _ y: UnsafeMutablePointer<Int8>,
                        acc: UnsafeMutablePointer<Int32>) {
    let c = p.pointee
    guard let w = c.weights, let bias = c.bias, let mult = c.multiplier, let shift = c.shift else { return }
    let inW = Int(c.in_w), inH = Int(c.in_h), ch = Int(c.out_c)
    let kh = Int(c.kh), kw = Int(c.kw), offset = c.input_offset
    var out = y
    for oy in 0..<Int(c.out_h) {
        let y0 = oy * Int(c.stride_h) - Int(c.pad_top)
        let ky0 = y0 < 0 ? -y0 : 0, ky1 = inH - y0 < kh ? inH - y0 : kh
        for ox in 0..<Int(c.out_w) {
            let x0 = ox * Int(c.stride_w) - Int(c.pad_left)
            let kx0 = x0 < 0 ? -x0 : 0, kx1 = inW - x0 < kw ? inW - x0 : kw
            for i in 0..<ch { acc[i] = bias[i] }
            var ky = ky0
            while ky < ky1 {
                var kx = kx0
                while kx < kx1 {
                    let xp = x + ((y0 + ky) * inW + x0 + kx) * ch, wp = w + (ky * kw + kx) * ch
                    for i in 0..<ch { acc[i] &+= (Int32(xp[i]) &+ offset) &* Int32(wp[i]) }
                    kx += 1
                }
                ky += 1
            }
            for i in 0..<ch { out[i] = bfRequantize(acc[i], mult[i], Int32(shift[i]), c.output_offset, c.act_min, c.act_max) }
            out += ch
        }
    }
}
