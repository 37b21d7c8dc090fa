import CKernels

/// DEPTHWISE_CONV_2D float32 (depth multiplier 1), `bf_f32_dwconv_avx512`: per pixel or, stride 1,
/// flat rows; within float32 rounding of ``DepthwiseConv2DF32Reference``.
struct DepthwiseConv2DF32AVX512: PackedCKernel {
    let packed: PackedParams<bf_f32_dwconv_params>
    let input: Int, output: Int
    static var run: (UnsafePointer<bf_f32_dwconv_params>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void { bf_f32_dwconv_avx512 }

    static func make(_ p: ConvF32Params, input: Int, output: Int) -> DepthwiseConv2DF32AVX512? {
        let win = p.window, c = p.input.c
        guard plainGeometry(p.input, p.output, win), p.input.c == p.output.c else { return nil }
        var d = bf_f32_dwconv_params(p.input, p.output, win)
        let period = c / gcd(c, 16)
        let flat = win.strideH == 1 && win.strideW == 1 && period <= 16
        d.flat = flat ? 1 : 0
        d.n_slots = Int32(flat ? period : (c + 15) / 16)
        d.act_min = p.actMin; d.act_max = p.actMax
        return DepthwiseConv2DF32AVX512(packed: packF32(d, p, size: bf_f32_dwconv_packed_size, pack: bf_f32_dwconv_pack), input: input, output: output)
    }
}
