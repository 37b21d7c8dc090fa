import CKernels

/// CONV_2D float32, `bf_f32_conv_avx512`: indirect GEMM, broadcast input x 16-channel weight rows
/// with fused multiply-add; within float32 rounding of ``Conv2DF32Reference``.
struct Conv2DF32AVX512: PackedCKernel {
    let packed: PackedParams<bf_f32_conv_params>
    let input: Int, output: Int
    static var run: (UnsafePointer<bf_f32_conv_params>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void { bf_f32_conv_avx512 }

    static func make(_ p: ConvF32Params, input: Int, output: Int) -> Conv2DF32AVX512? {
        let win = p.window, seg = win.filterW * p.input.c
        guard plainGeometry(p.input, p.output, win), win.filterH <= 16,
              isPointwise(p.input, p.output, win) || win.filterH * seg <= 512 else { return nil }
        var c = bf_f32_conv_params(p.input, p.output, win)
        c.seg_len = Int32(seg); c.n_blocks = Int32((p.output.c + 15) / 16)
        c.act_min = p.actMin; c.act_max = p.actMax
        return Conv2DF32AVX512(packed: packF32(c, p, size: bf_f32_conv_packed_size, pack: bf_f32_conv_pack), input: input, output: output)
    }
}
