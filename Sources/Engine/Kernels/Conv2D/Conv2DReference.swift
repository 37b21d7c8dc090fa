extension Window {
    /// The reference convolutions' loop nest (TFLite's `ConvPerChannel` order): for each output
    /// element in NHWC order, `element(index, channel, taps)`, where `taps(body)` calls `body` with
    /// the input pixel index and the filter tap index (ky * kw + kx) of each tap inside the input.
    @inline(__always)
    func forEachReferenceOutput(input: NHWC, output: NHWC,
                                _ element: (_ index: Int, _ channel: Int, _ taps: ((_ pixel: Int, _ tap: Int) -> Void) -> Void) -> Void) {
        for b in 0..<output.n {
            for oy in 0..<output.h {
                for ox in 0..<output.w {
                    let y0 = oy * strideH - padTop, x0 = ox * strideW - padLeft
                    let taps = { (body: (Int, Int) -> Void) in
                        for ky in 0..<filterH {
                            let yy = y0 + ky * dilationH
                            if yy < 0 || yy >= input.h { continue }
                            for kx in 0..<filterW {
                                let xx = x0 + kx * dilationW
                                if xx < 0 || xx >= input.w { continue }
                                body((b * input.h + yy) * input.w + xx, ky * filterW + kx)
                            }
                        }
                    }
                    let base = ((b * output.h + oy) * output.w + ox) * output.c
                    for c in 0..<output.c { element(base + c, c, taps) }
                }
            }
        }
    }
}

/// CONV_2D int8 reference kernel: one plain loop, the exact oracle.
struct Conv2DQS8Reference: Kernel {
    var p: ConvQS8Params
    var inputOffsetInArena: Int, outputOffsetInArena: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Int8.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Int8.self)
        let ic = p.input.c, taps = p.window.filterH * p.window.filterW
        p.withConstants { w, bias, mult, shift in
            guard let w, let bias, let mult, let shift else { return }
            p.window.forEachReferenceOutput(input: p.input, output: p.output) { index, c, forEachTap in
                var acc: Int32 = 0
                forEachTap { pixel, tap in
                    let xrow = pixel * ic, wrow = (c * taps + tap) * ic
                    for ci in 0..<ic { acc &+= (Int32(x[xrow + ci]) &+ p.inputOffset) &* Int32(w[wrow + ci]) }
                }
                y[index] = p.requantize(acc &+ bias[c], multiplier: mult[c], shift: shift[c])
            }
        }
    }
}

/// CONV_2D float32 reference kernel (sum over ky, kx, ci in that order, then bias, then clamp).
struct Conv2DF32Reference: Kernel {
    var p: ConvF32Params
    var inputOffsetInArena: Int, outputOffsetInArena: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Float.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Float.self)
        let ic = p.input.c, taps = p.window.filterH * p.window.filterW
        p.weights.withUnsafeBufferPointer { w in
        p.bias.withUnsafeBufferPointer { bias in
            p.window.forEachReferenceOutput(input: p.input, output: p.output) { index, c, forEachTap in
                var acc: Float = 0
                forEachTap { pixel, tap in
                    let xrow = pixel * ic, wrow = (c * taps + tap) * ic
                    for ci in 0..<ic { acc += x[xrow + ci] * w[wrow + ci] }
                }
                y[index] = min(max(acc + bias[c], p.actMin), p.actMax)
            }
        }}
    }
}
