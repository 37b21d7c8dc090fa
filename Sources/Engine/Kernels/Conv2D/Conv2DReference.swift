/// CONV_2D int8 reference kernel: one plain loop, the exact oracle.
struct Conv2DQS8Reference: Kernel {
    var p: ConvQS8Params
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

/// CONV_2D float32 reference kernel (sum over ky, kx, ci in that order, then bias, then clamp).
struct Conv2DF32Reference: Kernel {
    var p: ConvF32Params
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
