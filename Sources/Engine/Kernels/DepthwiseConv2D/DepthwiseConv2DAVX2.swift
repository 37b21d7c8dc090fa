import CKernels

/// DEPTHWISE_CONV_2D int8 (depth multiplier 1, dilation 1, batch 1, kernels up to 5x5, rows of
/// at most `BF_AVX2_DW_MAX_ROW` words), `bf_qs8_dwconv_avx2`: input rows interleaved in pairs as
/// int16 words, one `vpmaddwd` per 8 channels, row pair and column tap. Bit-exact.
struct DepthwiseConv2DQS8AVX2: PackedCKernel {
    let packed: PackedParams<bf_qs8_dwconv_avx2_params>
    let input: Int, output: Int
    static var run: (UnsafePointer<bf_qs8_dwconv_avx2_params>?, UnsafePointer<Int8>?, UnsafeMutablePointer<Int8>?) -> Void { bf_qs8_dwconv_avx2 }

    static func make(_ p: ConvQS8Params, input: Int, output: Int) -> DepthwiseConv2DQS8AVX2? {
        let win = p.window, c = p.input.c, paddedWidth = (p.output.w - 1) * win.strideW + win.filterW
        guard plainGeometry(p.input, p.output, win), p.output.c == c, win.filterH <= 5, win.filterW <= 5,
              paddedWidth * c <= Int(BF_AVX2_DW_MAX_ROW), p.weights.count == win.filterH * win.filterW * c else { return nil }
        var d = bf_qs8_dwconv_avx2_params(p.input, p.output, win)
        d.n_blocks = Int32((c + 7) / 8); d.row_pairs = Int32((win.filterH + 1) / 2)
        d.setQuantization(p)
        return DepthwiseConv2DQS8AVX2(packed: packQS8(d, p, size: bf_qs8_dwconv_avx2_packed_size, pack: bf_qs8_dwconv_avx2_pack), input: input, output: output)
    }
}

/// DEPTHWISE_CONV_2D float32 (depth multiplier 1, dilation 1, batch 1), `bf_f32_dwconv_avx2`:
/// per output pixel, blocks of 8 channels, taps in order; weights packed as for
/// ``DepthwiseConv2DF32AVX512`` per pixel (not flat).
struct DepthwiseConv2DF32AVX2: PackedCKernel {
    let packed: PackedParams<bf_f32_dwconv_params>
    let input: Int, output: Int
    static var run: (UnsafePointer<bf_f32_dwconv_params>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void { bf_f32_dwconv_avx2 }

    static func make(_ p: ConvF32Params, input: Int, output: Int) -> DepthwiseConv2DF32AVX2? {
        let win = p.window, c = p.input.c
        guard plainGeometry(p.input, p.output, win), p.output.c == c,
              p.weights.count == win.filterH * win.filterW * c, p.bias.count == c else { return nil }
        var d = bf_f32_dwconv_params(p.input, p.output, win)
        d.n_slots = Int32((c + 15) / 16)
        d.act_min = p.actMin; d.act_max = p.actMax
        return DepthwiseConv2DF32AVX2(packed: packF32(d, p, size: bf_f32_dwconv_packed_size, pack: bf_f32_dwconv_pack), input: input, output: output)
    }
}
