import CKernels

// float32 kernels for x86-64 CPUs with AVX2 + FMA but without AVX-512: the AVX-512 kernels'
// schemes in 8-lane vectors (f32_conv_avx2.c), within float32 rounding of the reference kernels
// (tested in AVX2FloatKernelTests). Each make() returns nil unless `cpu` (the engine passes its
// ``EngineOptions`` features, ``CPUFeatures/current`` by default) and the CPU itself have AVX2
// and the op's shape fits the kernel.

/// True when the AVX2 float kernels may run for features `cpu`.
private func avx2FloatUsable(_ cpu: CPUFeatures) -> Bool {
    cpu.contains(.avx2) && CPUFeatures.detected.contains(.avx2)
}

/// `params` with `p`'s weights and bias packed by `pack` into `bytes` (the C size function).
private func packFloat<P>(_ params: P, _ p: ConvFloatParams, size: (UnsafePointer<P>) -> Int,
                          pack: (UnsafeMutablePointer<P>, UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutableRawPointer) -> Void) -> PackedParams<P> {
    PackedParams(params, bytes: withUnsafePointer(to: params) { size($0) }) { params, buffer in
        p.weights.withUnsafeBufferPointer { w in p.bias.withUnsafeBufferPointer { b in pack(params, w.baseAddress, b.baseAddress, buffer) } }
    }
}

/// CONV_2D float32, `bf_f32_conv_avx2`: indirect GEMM (any kernel size, stride and padding;
/// dilation 1, batch 1, filter height <= 16, at most `BF_AVX2_F32_CONV_MAX_K` taps per output
/// pixel unless 1x1 stride 1 unpadded), tiles of up to 8 pixels x 8 channels, 6 x 16 or 4 x 24;
/// weights packed as for ``Conv2DFloatFast``.
struct Conv2DFloatAVX2: Kernel {
    let packed: PackedParams<bf_f32_conv_params>
    let input: Int, output: Int

    static func make(_ p: ConvFloatParams, input: Int, output: Int, cpu: CPUFeatures = .current) -> Conv2DFloatAVX2? {
        let win = p.window, seg = win.filterW * p.input.c
        let flat = win.filterH == 1 && win.filterW == 1 && win.strideH == 1 && win.strideW == 1 && win.padTop == 0 && win.padLeft == 0
            && p.input.h == p.output.h && p.input.w == p.output.w
        guard avx2FloatUsable(cpu), win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              win.filterH <= 16, flat || win.filterH * seg <= Int(BF_AVX2_F32_CONV_MAX_K),
              p.weights.count == p.output.c * win.filterH * seg, p.bias.count == p.output.c else { return nil }
        let c = bf_f32_conv_params(in_h: Int32(p.input.h), in_w: Int32(p.input.w), in_c: Int32(p.input.c),
                                   out_h: Int32(p.output.h), out_w: Int32(p.output.w), out_c: Int32(p.output.c),
                                   kh: Int32(win.filterH), kw: Int32(win.filterW), stride_h: Int32(win.strideH), stride_w: Int32(win.strideW),
                                   pad_top: Int32(win.padTop), pad_left: Int32(win.padLeft), seg_len: Int32(seg),
                                   n_blocks: Int32((p.output.c + 15) / 16), act_min: p.actMin, act_max: p.actMax, w: nil, bias: nil)
        return Conv2DFloatAVX2(packed: packFloat(c, p, size: bf_f32_conv_packed_size, pack: bf_f32_conv_pack), input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_conv_avx2(packed.params, (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// DEPTHWISE_CONV_2D float32 (depth multiplier 1, dilation 1, batch 1), `bf_f32_dwconv_avx2`:
/// per output pixel, blocks of 8 channels, taps in order; weights packed as for
/// ``DepthwiseConv2DFloatFast`` per pixel (not flat).
struct DepthwiseConv2DFloatAVX2: Kernel {
    let packed: PackedParams<bf_f32_dwconv_params>
    let input: Int, output: Int

    static func make(_ p: ConvFloatParams, input: Int, output: Int, cpu: CPUFeatures = .current) -> DepthwiseConv2DFloatAVX2? {
        let win = p.window, c = p.input.c
        guard avx2FloatUsable(cpu), win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1, p.output.c == c,
              p.weights.count == win.filterH * win.filterW * c, p.bias.count == c else { return nil }
        let d = bf_f32_dwconv_params(in_h: Int32(p.input.h), in_w: Int32(p.input.w), c: Int32(c), out_h: Int32(p.output.h), out_w: Int32(p.output.w),
                                     kh: Int32(win.filterH), kw: Int32(win.filterW), stride_h: Int32(win.strideH), stride_w: Int32(win.strideW),
                                     pad_top: Int32(win.padTop), pad_left: Int32(win.padLeft), flat: 0, n_slots: Int32((c + 15) / 16),
                                     act_min: p.actMin, act_max: p.actMax, w: nil, bias: nil)
        return DepthwiseConv2DFloatAVX2(packed: packFloat(d, p, size: bf_f32_dwconv_packed_size, pack: bf_f32_dwconv_pack), input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_dwconv_avx2(packed.params, (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// ADD float32 with the fused activation's clamp, `bf_f32_add_avx2` (equal to the reference).
struct AddFloatAVX2: Kernel {
    let count: Int
    let actMin: Float, actMax: Float
    let input1: Int, input2: Int, output: Int

    static func make(count: Int, actMin: Float, actMax: Float, input1: Int, input2: Int, output: Int, cpu: CPUFeatures = .current) -> AddFloatAVX2? {
        avx2FloatUsable(cpu) ? AddFloatAVX2(count: count, actMin: actMin, actMax: actMax, input1: input1, input2: input2, output: output) : nil
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_add_avx2((arena + input1).assumingMemoryBound(to: Float.self), (arena + input2).assumingMemoryBound(to: Float.self),
                        Int64(count), actMin, actMax, (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// RELU / RELU6 float32, `bf_f32_clamp_avx2` (equal to the reference).
struct ClampFloatAVX2: Kernel {
    let count: Int
    let lo: Float, hi: Float
    let input: Int, output: Int

    static func make(count: Int, lo: Float, hi: Float, input: Int, output: Int, cpu: CPUFeatures = .current) -> ClampFloatAVX2? {
        avx2FloatUsable(cpu) ? ClampFloatAVX2(count: count, lo: lo, hi: hi, input: input, output: output) : nil
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_clamp_avx2((arena + input).assumingMemoryBound(to: Float.self), Int64(count), lo, hi, (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// PAD float32 of the channels only (zero fill), `bf_f32_pad_channels_avx2`: per pixel, the input
/// channels copied after `before.c` zeros, then zeros.
struct PadFloatAVX2: Kernel {
    let pixels: Int
    let inputChannels: Int, outputChannels: Int, before: Int
    let input: Int, output: Int

    /// nil unless the elements are 4 bytes (float32), the fill is 0 and only the last dimension is padded.
    static func make(input xs: NHWC, output ys: NHWC, before: NHWC, elementSize: Int, fill: [UInt8], input: Int, output: Int,
                     cpu: CPUFeatures = .current) -> PadFloatAVX2? {
        guard avx2FloatUsable(cpu), elementSize == 4, fill.allSatisfy({ $0 == 0 }), xs.n == ys.n, xs.h == ys.h, xs.w == ys.w,
              before.n == 0, before.h == 0, before.w == 0, before.c >= 0, before.c + xs.c <= ys.c else { return nil }
        return PadFloatAVX2(pixels: xs.n * xs.h * xs.w, inputChannels: xs.c, outputChannels: ys.c, before: before.c, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_pad_channels_avx2(Int64(pixels), Int32(inputChannels), Int32(outputChannels), Int32(before),
                                 (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}
