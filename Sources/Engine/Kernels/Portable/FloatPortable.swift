// float32 kernels in portable Swift (no CPU-specific code), for CPUs without the AVX-512 kernels.
// Their inner loops run over contiguous output channels, which the compiler vectorizes for the
// target's baseline SIMD (SSE2 on x86-64, NEON on ARM64). Sums run in another order than the
// reference's, so results are within float32 rounding of it, not equal (FastKernelTests bound
// each output by 2*gamma(n)*sum|terms|, as for the AVX-512 float kernels).

/// CONV_2D float32 (any kernel size, stride and padding; dilation 1, batch 1). Weights packed
/// at prepare as [kh][kw][ic][oc]; per output pixel, every input value inside the window is
/// multiplied into all output channels at once. (Explicit SIMD16<Float> accumulators were twice
/// as slow on baseline x86-64.)
struct Conv2DFloatPortable: Kernel {
    let weights: ConstantBuffer<Float>   // [kh * kw * ic][oc]
    let bias: ConstantBuffer<Float>
    let input: NHWC, output: NHWC, window: Window
    let actMin: Float, actMax: Float
    let inputOffsetInArena: Int, outputOffsetInArena: Int

    /// Packs `p.weights` ([oc][kh][kw][ic]) for ``make(_:pack:input:output:)``.
    static func pack(_ p: ConvFloatParams) -> ConstantBuffer<Float> {
        let oc = p.output.c, taps = p.window.filterH * p.window.filterW * p.input.c
        var packed = [Float](repeating: 0, count: taps * oc)
        for o in 0..<oc { for t in 0..<taps { packed[t * oc + o] = p.weights[o * taps + t] } }
        return ConstantBuffer(packed)
    }

    /// nil when the op is outside this kernel (dilation or batch > 1, or weights of another size).
    static func make(_ p: ConvFloatParams, pack: @autoclosure () -> ConstantBuffer<Float>, input: Int, output: Int) -> Conv2DFloatPortable? {
        let win = p.window
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              p.weights.count == p.output.c * win.filterH * win.filterW * p.input.c, p.bias.count == p.output.c else { return nil }
        return Conv2DFloatPortable(weights: pack(), bias: ConstantBuffer(p.bias), input: p.input, output: p.output, window: win,
                                   actMin: p.actMin, actMax: p.actMax, inputOffsetInArena: input, outputOffsetInArena: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Float.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Float.self)
        let ic = input.c, oc = output.c, win = window, w = weights.pointer
        window.forEachOutput(input, output) { pixel, origin, ky, kx in
            let acc = y + pixel * oc
            acc.update(repeating: 0, count: oc)
            for ty in ky {
                for tx in kx {
                    let xp = x + (origin + ty * input.w + tx) * ic, wp = w + (ty * win.filterW + tx) * ic * oc
                    for i in 0..<ic {
                        let v = xp[i], row = wp + i * oc
                        for o in 0..<oc { acc[o] += v * row[o] }
                    }
                }
            }
            for o in 0..<oc { acc[o] = min(max(acc[o] + bias.pointer[o], actMin), actMax) }
        }
    }
}

/// DEPTHWISE_CONV_2D float32 (depth multiplier 1, any kernel size, stride and padding; dilation
/// 1, batch 1): per output pixel, each tap inside the input adds over all channels in one loop.
struct DepthwiseConv2DFloatPortable: Kernel {
    let weights: ConstantBuffer<Float>   // [kh * kw][c], the model's layout
    let bias: ConstantBuffer<Float>
    let input: NHWC, output: NHWC, window: Window
    let actMin: Float, actMax: Float
    let inputOffsetInArena: Int, outputOffsetInArena: Int

    /// nil when the op is outside this kernel.
    static func make(_ p: ConvFloatParams, depthMultiplier: Int, input: Int, output: Int) -> DepthwiseConv2DFloatPortable? {
        let win = p.window
        guard depthMultiplier == 1, win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              p.input.c == p.output.c, p.weights.count == win.filterH * win.filterW * p.output.c, p.bias.count == p.output.c else { return nil }
        return DepthwiseConv2DFloatPortable(weights: ConstantBuffer(p.weights), bias: ConstantBuffer(p.bias), input: p.input, output: p.output,
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
