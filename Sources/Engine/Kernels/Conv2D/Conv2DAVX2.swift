import CKernels

/// CONV_2D float32, `bf_f32_conv_avx2`: indirect GEMM (any kernel size, stride and padding;
/// dilation 1, batch 1, filter height <= 16, at most `BF_AVX2_F32_CONV_MAX_K` taps per output
/// pixel unless 1x1 stride 1 unpadded), tiles of up to 8 pixels x 8 channels, 6 x 16 or 4 x 24;
/// weights packed as for ``Conv2DF32AVX512``.
struct Conv2DF32AVX2: Kernel {
    let packed: PackedParams<bf_f32_conv_params>
    let input: Int, output: Int

    static func make(_ p: ConvF32Params, input: Int, output: Int) -> Conv2DF32AVX2? {
        let win = p.window, seg = win.filterW * p.input.c
        let flat = win.filterH == 1 && win.filterW == 1 && win.strideH == 1 && win.strideW == 1 && win.padTop == 0 && win.padLeft == 0
            && p.input.h == p.output.h && p.input.w == p.output.w
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              win.filterH <= 16, flat || win.filterH * seg <= Int(BF_AVX2_F32_CONV_MAX_K),
              p.weights.count == p.output.c * win.filterH * seg, p.bias.count == p.output.c else { return nil }
        let c = bf_f32_conv_params(in_h: Int32(p.input.h), in_w: Int32(p.input.w), in_c: Int32(p.input.c),
                                   out_h: Int32(p.output.h), out_w: Int32(p.output.w), out_c: Int32(p.output.c),
                                   kh: Int32(win.filterH), kw: Int32(win.filterW), stride_h: Int32(win.strideH), stride_w: Int32(win.strideW),
                                   pad_top: Int32(win.padTop), pad_left: Int32(win.padLeft), seg_len: Int32(seg),
                                   n_blocks: Int32((p.output.c + 15) / 16), act_min: p.actMin, act_max: p.actMax, w: nil, bias: nil)
        return Conv2DF32AVX2(packed: packFloat(c, p, size: bf_f32_conv_packed_size, pack: bf_f32_conv_pack), input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_conv_avx2(packed.params, (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// CONV_2D int8, `bf_qs8_conv_avx2`: any kernel size, stride and padding (dilation 1, batch 1,
/// at most `BF_AVX2_CONV_MAX_K` taps per output pixel, filter rows rounded up to even lengths);
/// int16 taps in pairs, `vpmaddwd`.
struct Conv2DQS8AVX2: Kernel {
    let packed: PackedParams<bf_qs8_conv_avx2_params>
    let input: Int, output: Int

    static func make(_ p: ConvQS8Params, input: Int, output: Int) -> Conv2DQS8AVX2? {
        let win = p.window
        let segPairs = (win.filterW * p.input.c + 1) / 2
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              2 * win.filterH * segPairs <= Int(BF_AVX2_CONV_MAX_K),
              p.weights.count == win.filterH * win.filterW * p.input.c * p.output.c else { return nil }
        var c = bf_qs8_conv_avx2_params()
        c.in_h = Int32(p.input.h); c.in_w = Int32(p.input.w); c.in_c = Int32(p.input.c)
        c.out_h = Int32(p.output.h); c.out_w = Int32(p.output.w); c.out_c = Int32(p.output.c)
        c.kh = Int32(win.filterH); c.kw = Int32(win.filterW)
        c.stride_h = Int32(win.strideH); c.stride_w = Int32(win.strideW)
        c.pad_top = Int32(win.padTop); c.pad_left = Int32(win.padLeft)
        c.seg_pairs = Int32(segPairs); c.pairs = Int32(win.filterH * segPairs)
        c.n_blocks = Int32((p.output.c + 7) / 8)
        c.zp_in = -p.inputOffset; c.zp_out = p.outputOffset
        c.act_min = p.actMin; c.act_max = p.actMax
        let bytes = withUnsafePointer(to: c) { bf_qs8_conv_avx2_packed_size($0) }
        let packed = PackedParams(c, bytes: bytes) { params, buffer in
            p.withConstants { w, b, m, s in bf_qs8_conv_avx2_pack(params, w, b, m, s, buffer) }
        }
        return Conv2DQS8AVX2(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_conv_avx2(packed.params, (arena + input).assumingMemoryBound(to: Int8.self),
                         (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
