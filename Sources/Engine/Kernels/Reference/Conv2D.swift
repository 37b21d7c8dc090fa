/// Parameters of an int8 per-channel convolution (TFLite `ConvPerChannel`).
///
/// acc[c] = bias[c] + sum over taps inside the input of (q_in - zp_in) * w[c, ky, kx, ci];
/// out = clamp(rescale(acc, m[c], shift[c]) + zp_out, act_min, act_max).
/// The int32 accumulator cannot overflow here: |q_in - zp_in| <= 255, |w| <= 127, and even a
/// 5x5x1024 window sums to under 2^30.
struct ConvInt8Params: Sendable {
    var input: NHWC, output: NHWC
    var window: Window
    var inputOffset: Int32      // -zp_in
    var outputOffset: Int32     // zp_out
    var actMin: Int32, actMax: Int32
    var weights: [Int8]         // [outC, kh, kw, inC]
    var bias: [Int32]           // [outC]
    var multipliers: [Int32]    // [outC]
    var shifts: [Int32]         // [outC]

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

/// CONV_2D int8 reference kernel: one plain loop, the exact oracle.
struct Conv2DInt8Reference: Kernel {
    var p: ConvInt8Params
    var inputOffsetInArena: Int, outputOffsetInArena: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Int8.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Int8.self)
        let ih = p.input.h, iw = p.input.w, ic = p.input.c
        let oh = p.output.h, ow = p.output.w, oc = p.output.c
        let win = p.window
        p.weights.withUnsafeBufferPointer { w in
        p.bias.withUnsafeBufferPointer { bias in
        p.multipliers.withUnsafeBufferPointer { mult in
        p.shifts.withUnsafeBufferPointer { shift in
            for b in 0..<p.output.n {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let y0 = oy * win.strideH - win.padTop
                        let x0 = ox * win.strideW - win.padLeft
                        for c in 0..<oc {
                            var acc: Int32 = 0
                            for ky in 0..<win.filterH {
                                let yy = y0 + ky * win.dilationH
                                if yy < 0 || yy >= ih { continue }
                                for kx in 0..<win.filterW {
                                    let xx = x0 + kx * win.dilationW
                                    if xx < 0 || xx >= iw { continue }
                                    let xrow = ((b * ih + yy) * iw + xx) * ic
                                    let wrow = ((c * win.filterH + ky) * win.filterW + kx) * ic
                                    for ci in 0..<ic {
                                        acc &+= (Int32(x[xrow + ci]) &+ p.inputOffset) &* Int32(w[wrow + ci])
                                    }
                                }
                            }
                            acc &+= bias[c]
                            var v = multiplyByQuantizedMultiplier(acc, mult[c], shift[c]) &+ p.outputOffset
                            v = min(max(v, p.actMin), p.actMax)
                            y[((b * oh + oy) * ow + ox) * oc + c] = Int8(truncatingIfNeeded: v)
                        }
                    }
                }
            }
        }}}}
    }
}

/// Parameters of a float32 convolution.
struct ConvFloatParams: Sendable {
    var input: NHWC, output: NHWC
    var window: Window
    var actMin: Float, actMax: Float
    var weights: [Float]        // [outC, kh, kw, inC]
    var bias: [Float]           // [outC], zeros when the model has none
}

/// CONV_2D float32 reference kernel (sum over ky, kx, ci in that order, then bias, then clamp).
struct Conv2DFloatReference: Kernel {
    var p: ConvFloatParams
    var inputOffsetInArena: Int, outputOffsetInArena: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Float.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Float.self)
        let ih = p.input.h, iw = p.input.w, ic = p.input.c
        let oh = p.output.h, ow = p.output.w, oc = p.output.c
        let win = p.window
        p.weights.withUnsafeBufferPointer { w in
        p.bias.withUnsafeBufferPointer { bias in
            for b in 0..<p.output.n {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let y0 = oy * win.strideH - win.padTop
                        let x0 = ox * win.strideW - win.padLeft
                        for c in 0..<oc {
                            var acc: Float = 0
                            for ky in 0..<win.filterH {
                                let yy = y0 + ky * win.dilationH
                                if yy < 0 || yy >= ih { continue }
                                for kx in 0..<win.filterW {
                                    let xx = x0 + kx * win.dilationW
                                    if xx < 0 || xx >= iw { continue }
                                    let xrow = ((b * ih + yy) * iw + xx) * ic
                                    let wrow = ((c * win.filterH + ky) * win.filterW + kx) * ic
                                    for ci in 0..<ic { acc += x[xrow + ci] * w[wrow + ci] }
                                }
                            }
                            y[((b * oh + oy) * ow + ox) * oc + c] = min(max(acc + bias[c], p.actMin), p.actMax)
                        }
                    }
                }
            }
        }}
    }
}
