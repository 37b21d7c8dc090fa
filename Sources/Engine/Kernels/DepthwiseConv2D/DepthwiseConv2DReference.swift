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
        let ic = p.input.c, oc = p.output.c, dm = depthMultiplier
        p.withConstants { w, bias, mult, shift in
            guard let w, let bias, let mult, let shift else { return }
            p.window.forEachReferenceOutput(input: p.input, output: p.output) { index, c, forEachTap in
                var acc: Int32 = 0
                forEachTap { pixel, tap in acc &+= (Int32(x[pixel * ic + c / dm]) &+ p.inputOffset) &* Int32(w[tap * oc + c]) }
                y[index] = p.requantize(acc &+ bias[c], multiplier: mult[c], shift: shift[c])
            }
        }
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
        let ic = p.input.c, oc = p.output.c, dm = depthMultiplier
        p.weights.withUnsafeBufferPointer { w in
        p.bias.withUnsafeBufferPointer { bias in
            p.window.forEachReferenceOutput(input: p.input, output: p.output) { index, c, forEachTap in
                var acc: Float = 0
                forEachTap { pixel, tap in acc += x[pixel * ic + c / dm] * w[tap * oc + c] }
                y[index] = min(max(acc + bias[c], p.actMin), p.actMax)
            }
        }}
    }
}
