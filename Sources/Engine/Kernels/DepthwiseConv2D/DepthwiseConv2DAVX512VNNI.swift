import CKernels

/// DEPTHWISE_CONV_2D int8 (depth multiplier 1), `bf_qs8_dwconv_avx512vnni`: bit-exact with
/// ``DepthwiseConv2DQS8Reference``. Stride 1 walks each output row as one flat byte vector
/// (weights repeat every lcm(c, 64) bytes); other strides go pixel by pixel, 64 channels at a time.
struct DepthwiseConv2DQS8AVX512VNNI: PackedCKernel {
    let packed: PackedParams<bf_qs8_dwconv_params>
    let input: Int, output: Int
    static var run: (UnsafePointer<bf_qs8_dwconv_params>?, UnsafePointer<Int8>?, UnsafeMutablePointer<Int8>?) -> Void { bf_qs8_dwconv_avx512vnni }

    /// nil for more than 16 taps or another geometry than the kernel's.
    static func make(_ p: ConvQS8Params, input: Int, output: Int) -> DepthwiseConv2DQS8AVX512VNNI? {
        let win = p.window, taps = win.filterH * win.filterW, c = p.input.c
        guard plainGeometry(p.input, p.output, win), p.input.c == p.output.c, taps <= 16 else { return nil }
        var d = bf_qs8_dwconv_params(p.input, p.output, win)
        let period = c / gcd(c, 64)     // lcm(c, 64) / 64
        let flat = win.strideH == 1 && win.strideW == 1 && period <= 16
        d.flat = flat ? 1 : 0
        d.n_slots = Int32(flat ? period : (c + 63) / 64)
        d.n_groups = Int32((taps + 3) / 4)
        d.setQuantization(p)
        return DepthwiseConv2DQS8AVX512VNNI(packed: packQS8(d, p, size: bf_qs8_dwconv_packed_size, pack: bf_qs8_dwconv_pack), input: input, output: output)
    }
}
