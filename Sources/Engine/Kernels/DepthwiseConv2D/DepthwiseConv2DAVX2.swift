import CKernels

/// DEPTHWISE_CONV_2D float32 (depth multiplier 1, dilation 1, batch 1), `bf_f32_dwconv_avx2`:
/// per output pixel, blocks of 8 channels, taps in order; weights packed as for
/// ``DepthwiseConv2DF32AVX512`` per pixel (not flat).
struct DepthwiseConv2DF32AVX2: Kernel {
    let packed: PackedParams<bf_f32_dwconv_params>
    let input: Int, output: Int

    static func make(_ p: ConvF32Params, input: Int, output: Int) -> DepthwiseConv2DF32AVX2? {
        let win = p.window, c = p.input.c
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1, p.output.c == c,
              p.weights.count == win.filterH * win.filterW * c, p.bias.count == c else { return nil }
        let d = bf_f32_dwconv_params(in_h: Int32(p.input.h), in_w: Int32(p.input.w), c: Int32(c), out_h: Int32(p.output.h), out_w: Int32(p.output.w),
                                     kh: Int32(win.filterH), kw: Int32(win.filterW), stride_h: Int32(win.strideH), stride_w: Int32(win.strideW),
                                     pad_top: Int32(win.padTop), pad_left: Int32(win.padLeft), flat: 0, n_slots: Int32((c + 15) / 16),
                                     act_min: p.actMin, act_max: p.actMax, w: nil, bias: nil)
        return DepthwiseConv2DF32AVX2(packed: packFloat(d, p, size: bf_f32_dwconv_packed_size, pack: bf_f32_dwconv_pack), input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_dwconv_avx2(packed.params, (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// DEPTHWISE_CONV_2D int8 (depth multiplier 1, dilation 1, batch 1, kernels up to 5x5, rows of
/// at most `BF_AVX2_DW_MAX_ROW` words), `bf_qs8_dwconv_avx2`: input rows interleaved in pairs as
/// int16 words, one `vpmaddwd` per 8 channels, row pair and column tap.
struct DepthwiseConv2DQS8AVX2: Kernel {
    let packed: PackedParams<bf_qs8_dwconv_avx2_params>
    let input: Int, output: Int

    static func make(_ p: ConvQS8Params, input: Int, output: Int) -> DepthwiseConv2DQS8AVX2? {
        let win = p.window
        let c = p.input.c, paddedWidth = (p.output.w - 1) * win.strideW + win.filterW
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1, p.output.c == c,
              win.filterH <= 5, win.filterW <= 5, paddedWidth * c <= Int(BF_AVX2_DW_MAX_ROW),
              p.weights.count == win.filterH * win.filterW * c else { return nil }
        var d = bf_qs8_dwconv_avx2_params()
        d.in_h = Int32(p.input.h); d.in_w = Int32(p.input.w); d.c = Int32(c)
        d.out_h = Int32(p.output.h); d.out_w = Int32(p.output.w)
        d.kh = Int32(win.filterH); d.kw = Int32(win.filterW)
        d.stride_h = Int32(win.strideH); d.stride_w = Int32(win.strideW)
        d.pad_top = Int32(win.padTop); d.pad_left = Int32(win.padLeft)
        d.n_blocks = Int32((c + 7) / 8); d.row_pairs = Int32((win.filterH + 1) / 2)
        d.zp_in = -p.inputOffset; d.zp_out = p.outputOffset
        d.act_min = p.actMin; d.act_max = p.actMax
        let bytes = withUnsafePointer(to: d) { bf_qs8_dwconv_avx2_packed_size($0) }
        let packed = PackedParams(d, bytes: bytes) { params, buffer in
            p.withConstants { w, b, m, s in bf_qs8_dwconv_avx2_pack(params, w, b, m, s, buffer) }
        }
        return DepthwiseConv2DQS8AVX2(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_dwconv_avx2(packed.params, (arena + input).assumingMemoryBound(to: Int8.self),
                           (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
