/// DEPTHWISE_CONV_2D int8 in portable Swift (depth multiplier 1, any kernel size, stride and
/// padding; dilation 1, batch 1), bit-exact with ``DepthwiseConv2DQS8Reference``. Per output
/// pixel, each tap inside the input adds (x - zp_in) * w over all channels in one contiguous
/// loop the compiler vectorizes: the product of a 9-bit and an 8-bit value is exact in int16
/// (|x - zp_in| <= 255, |w| <= 128), and it is widened into the int32 accumulators.
struct DepthwiseConv2DQS8Portable: Kernel {
    let weights: ConstantBuffer<Int16>  // [kh * kw][c]
    let bias: ConstantBuffer<Int32>     // [c]
    let requantization: Requantization
    let input: NHWC, output: NHWC, window: Window
    let inputOffset: Int16              // -zp_in
    let inputOffsetInArena: Int, outputOffsetInArena: Int

    /// nil when the op is outside this kernel (depth multiplier, dilation or batch > 1).
    static func make(_ p: ConvQS8Params, depthMultiplier: Int, input: Int, output: Int) -> DepthwiseConv2DQS8Portable? {
        let win = p.window
        guard depthMultiplier == 1, win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              p.input.c == p.output.c, p.weights.count == win.filterH * win.filterW * p.output.c else { return nil }
        return DepthwiseConv2DQS8Portable(weights: ConstantBuffer(p.weights.map(Int16.init)), bias: ConstantBuffer(p.bias),
                                           requantization: Requantization(p), input: p.input, output: p.output, window: win,
                                           inputOffset: Int16(p.inputOffset), inputOffsetInArena: input, outputOffsetInArena: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Int8.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Int8.self)
        let c = output.c, win = window, w = weights.pointer, off = inputOffset, rq = requantization
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: c) { accBuffer in
            guard let acc = accBuffer.baseAddress else { return }
            win.forEachOutput(input, output) { pixel, origin, ky, kx in
                acc.update(from: bias.pointer, count: c)
                for ty in ky {
                    for tx in kx {
                        let xp = x + (origin + ty * input.w + tx) * c, wp = w + (ty * win.filterW + tx) * c
                        for i in 0..<c { acc[i] &+= Int32((Int16(xp[i]) &+ off) &* wp[i]) }
                    }
                }
                let out = y + pixel * c
                for i in 0..<c { out[i] = rq(acc[i], channel: i) }
            }
        }
    }
}

/// DEPTHWISE_CONV_2D float32 (depth multiplier 1, any kernel size, stride and padding; dilation
/// 1, batch 1): per output pixel, each tap inside the input adds over all channels in one loop.
struct DepthwiseConv2DF32Portable: Kernel {
    let weights: ConstantBuffer<Float>   // [kh * kw][c], the model's layout
    let bias: ConstantBuffer<Float>
    let input: NHWC, output: NHWC, window: Window
    let actMin: Float, actMax: Float
    let inputOffsetInArena: Int, outputOffsetInArena: Int

    /// nil when the op is outside this kernel.
    static func make(_ p: ConvF32Params, depthMultiplier: Int, input: Int, output: Int) -> DepthwiseConv2DF32Portable? {
        let win = p.window
        guard depthMultiplier == 1, win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              p.input.c == p.output.c, p.weights.count == win.filterH * win.filterW * p.output.c, p.bias.count == p.output.c else { return nil }
        return DepthwiseConv2DF32Portable(weights: ConstantBuffer(p.weights), bias: ConstantBuffer(p.bias), input: p.input, output: p.output,
                                            window: win, actMin: p.actMin, actMax: p.actMax, inputOffsetInArena: input, outputOffsetInArena: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Float.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Float.self)
        let c = output.c, win = window, w = weights.pointer
        window.forEachOutput(input, output) { pixel, origin, ky, kx in
            let acc = y + pixel * c
            acc.update(repeating: 0, count: c)
            for ty in ky {
                for tx in kx {
                    let xp = x + (origin + ty * input.w + tx) * c, wp = w + (ty * win.filterW + tx) * c
                    for i in 0..<c { acc[i] += xp[i] * wp[i] }
                }
            }
            for i in 0..<c { acc[i] = min(max(acc[i] + bias.pointer[i], actMin), actMax) }
        }
    }
}
