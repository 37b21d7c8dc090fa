import CKernels

/// CONV_2D int8, `bf_qs8_conv_avx512vnni`: indirect GEMM over filter rows with VNNI, weights
/// packed at prepare, bit-exact with ``Conv2DQS8Reference`` (tested by ConvTester in KernelVariantTests).
struct Conv2DQS8AVX512VNNI: Kernel {
    let packed: PackedParams<bf_qs8_conv_params>
    let input: Int, output: Int

    /// nil when the CPU lacks AVX512-VNNI or the geometry does not fit the kernel.
    static func make(_ p: ConvQS8Params, input: Int, output: Int) -> Conv2DQS8AVX512VNNI? {
        let win = p.window
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1 else { return nil }
        let seg = win.filterW * p.input.c
        // The border scratch holds kh rows of seg + 4 bytes (see the C driver), at most 16 rows.
        guard win.filterH <= 16, win.filterH * (seg + 4) <= 1024 || (win.filterH == 1 && win.filterW == 1 && win.strideH == 1 && win.strideW == 1 && win.padTop == 0 && win.padLeft == 0 && p.input.h == p.output.h && p.input.w == p.output.w) else { return nil }
        var c = bf_qs8_conv_params()
        c.in_h = Int32(p.input.h); c.in_w = Int32(p.input.w); c.in_c = Int32(p.input.c)
        c.out_h = Int32(p.output.h); c.out_w = Int32(p.output.w); c.out_c = Int32(p.output.c)
        c.kh = Int32(win.filterH); c.kw = Int32(win.filterW)
        c.stride_h = Int32(win.strideH); c.stride_w = Int32(win.strideW)
        c.pad_top = Int32(win.padTop); c.pad_left = Int32(win.padLeft)
        c.seg_len = Int32(seg); c.seg_groups = Int32((seg + 3) / 4)
        c.n_blocks = Int32((p.output.c + 15) / 16)
        c.zp_in = -p.inputOffset; c.zp_out = p.outputOffset
        c.act_min = p.actMin; c.act_max = p.actMax
        let bytes = withUnsafePointer(to: c) { bf_qs8_conv_packed_size($0) }
        let packed = PackedParams(c, bytes: bytes) { params, buffer in
            p.withConstants { w, b, m, s in bf_qs8_conv_pack(params, w, b, m, s, buffer) }
        }
        return Conv2DQS8AVX512VNNI(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_conv_avx512vnni(packed.params, (arena + input).assumingMemoryBound(to: Int8.self),
                               (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
