import CKernels

/// CONV_2D int8, `bf_qs8_conv_avx2`: any kernel size, stride and padding (dilation 1, batch 1,
/// at most `BF_AVX2_CONV_MAX_K` taps per output pixel, filter rows rounded up to even lengths);
/// int16 taps in pairs, `vpmaddwd`. Bit-exact with ``Conv2DQS8Reference``.
struct Conv2DQS8AVX2: PackedCKernel {
    let packed: PackedParams<bf_qs8_conv_avx2_params>
    let input: Int, output: Int
    static var run: (UnsafePointer<bf_qs8_conv_avx2_params>?, UnsafePointer<Int8>?, UnsafeMutablePointer<Int8>?) -> Void { bf_qs8_conv_avx2 }

    static func make(_ p: ConvQS8Params, input: Int, output: Int) -> Conv2DQS8AVX2? {
        let win = p.window, segPairs = (win.filterW * p.input.c + 1) / 2
        guard plainGeometry(p.input, p.output, win), 2 * win.filterH * segPairs <= Int(BF_AVX2_CONV_MAX_K),
              p.weights.count == win.filterH * win.filterW * p.input.c * p.output.c else { return nil }
        var c = bf_qs8_conv_avx2_params(p.input, p.output, win)
        c.seg_pairs = Int32(segPairs); c.pairs = Int32(win.filterH * segPairs)
        c.n_blocks = Int32((p.output.c + 7) / 8)
        c.setQuantization(p)
        return Conv2DQS8AVX2(packed: packQS8(c, p, size: bf_qs8_conv_avx2_packed_size, pack: bf_qs8_conv_avx2_pack), input: input, output: output)
    }
}

/// CONV_2D float32, `bf_f32_conv_avx2`: indirect GEMM (any kernel size, stride and padding;
/// dilation 1, batch 1, filter height <= 16, at most `BF_AVX2_F32_CONV_MAX_K` taps per output
/// pixel unless 1x1 stride 1 unpadded), tiles of up to 8 pixels x 8 channels, 6 x 16 or 4 x 24;
/// weights packed as for ``Conv2DF32AVX512``.
struct Conv2DF32AVX2: PackedCKernel {
    let packed: PackedParams<bf_f32_conv_params>
    let input: Int, output: Int
    static var run: (UnsafePointer<bf_f32_conv_params>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void { bf_f32_conv_avx2 }

    static func make(_ p: ConvF32Params, input: Int, output: Int) -> Conv2DF32AVX2? {
        let win = p.window, seg = win.filterW * p.input.c
        guard plainGeometry(p.input, p.output, win), win.filterH <= 16,
              isPointwise(p.input, p.output, win) || win.filterH * seg <= Int(BF_AVX2_F32_CONV_MAX_K),
              p.weights.count == p.output.c * win.filterH * seg, p.bias.count == p.output.c else { return nil }
        var c = bf_f32_conv_params(p.input, p.output, win)
        c.seg_len = Int32(seg); c.n_blocks = Int32((p.output.c + 15) / 16)
        c.act_min = p.actMin; c.act_max = p.actMax
        return Conv2DF32AVX2(packed: packF32(c, p, size: bf_f32_conv_packed_size, pack: bf_f32_conv_pack), input: input, output: output)
    }
}
