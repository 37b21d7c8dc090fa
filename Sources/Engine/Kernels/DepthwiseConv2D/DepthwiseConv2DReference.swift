/// DEPTHWISE_CONV_2D int8 per-channel reference kernel (TFLite `DepthwiseConvPerChannel`).
/// Output channel oc = ic * depthMultiplier + m reads input channel ic; weights are
/// [1, kh, kw, outC]. Same accumulator and rescale as ``Conv2DQS8Reference``.
struct DepthwiseConv2DQS8Reference: Kernel {
    var p: ConvQS8Params
    var depthMultiplier: Int
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
                            let ci = c / depthMultiplier
                            var acc: Int32 = 0
                            for ky in 0..<win.filterH {
                                let yy = y0 + ky * win.dilationH
                                if yy < 0 || yy >= ih { continue }
                                for kx in 0..<win.filterW {
                                    let xx = x0 + kx * win.dilationW
                                    if xx < 0 || xx >= iw { continue }
                                    let xv = Int32(x[((b * ih + yy) * iw + xx) * ic + ci]) &+ p.inputOffset
                                    acc &+= xv &* Int32(w[(ky * win.filterW + kx) * oc + c])
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

/// DEPTHWISE_CONV_2D float32 reference kernel.
struct DepthwiseConv2DF32Reference: Kernel {
    var p: ConvF32Params
    var depthMultiplier: Int
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
                            let ci = c / depthMultiplier
                            var acc: Float = 0
                            for ky in 0..<win.filterH {
                                let yy = y0 + ky * win.dilationH
                                if yy < 0 || yy >= ih { continue }
                                for kx in 0..<win.filterW {
                                    let xx = x0 + kx * win.dilationW
                                    if xx < 0 || xx >= iw { continue }
                                    acc += x[((b * ih + yy) * iw + xx) * ic + ci] * w[(ky * win.filterW + kx) * oc + c]
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
