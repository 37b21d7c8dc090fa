import CKernels

/// CONV_2D int8, `bf_qs8_conv_avx512vnni`: indirect GEMM over filter rows with VNNI, weights
/// packed at prepare, bit-exact with ``Conv2DQS8Reference`` (tested by ConvTester in KernelVariantTests).
struct Conv2DQS8AVX512VNNI: PackedCKernel {
    let packed: PackedParams<bf_qs8_conv_params>
    let input: Int, output: Int
    static var run: (UnsafePointer<bf_qs8_conv_params>?, UnsafePointer<Int8>?, UnsafeMutablePointer<Int8>?) -> Void { bf_qs8_conv_avx512vnni }

    /// nil when the geometry does not fit the kernel.
    static func make(_ p: ConvQS8Params, input: Int, output: Int) -> Conv2DQS8AVX512VNNI? {
        let win = p.window, seg = win.filterW * p.input.c
        // The border scratch holds kh rows of seg + 4 bytes (see the C driver), at most 16 rows.
        guard plainGeometry(p.input, p.output, win), win.filterH <= 16,
              win.filterH * (seg + 4) <= 1024 || isPointwise(p.input, p.output, win) else { return nil }
        var c = bf_qs8_conv_params(p.input, p.output, win)
        c.seg_len = Int32(seg); c.seg_groups = Int32((seg + 3) / 4)
        c.n_blocks = Int32((p.output.c + 15) / 16)
        c.setQuantization(p)
        return Conv2DQS8AVX512VNNI(packed: packQS8(c, p, size: bf_qs8_conv_packed_size, pack: bf_qs8_conv_pack), input: input, output: output)
    }
}
