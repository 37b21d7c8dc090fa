import CKernels

/// DEPTHWISE_CONV_2D int8 (depth multiplier 1), `bf_qs8_dwconv_avx512vnni`: bit-exact with
/// ``DepthwiseConv2DQS8Reference``. Stride 1 walks each output row as one flat byte vector
/// (weights repeat every lcm(c, 64) bytes); other strides go pixel by pixel, 64 channels at a time.
struct DepthwiseConv2DQS8AVX512VNNI: Kernel {
    let packed: PackedParams<bf_qs8_dwconv_params>
    let input: Int, output: Int

    static func make(_ p: ConvQS8Params, input: Int, output: Int) -> DepthwiseConv2DQS8AVX512VNNI? {
        let win = p.window
        let taps = win.filterH * win.filterW
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              p.input.c == p.output.c, taps <= 16 else { return nil }
        let c = p.input.c
        var d = bf_qs8_dwconv_params()
        d.in_h = Int32(p.input.h); d.in_w = Int32(p.input.w); d.c = Int32(c)
        d.out_h = Int32(p.output.h); d.out_w = Int32(p.output.w)
        d.kh = Int32(win.filterH); d.kw = Int32(win.filterW)
        d.stride_h = Int32(win.strideH); d.stride_w = Int32(win.strideW)
        d.pad_top = Int32(win.padTop); d.pad_left = Int32(win.padLeft)
        let period = c / gcd(c, 64)     // lcm(c, 64) / 64
        let flat = win.strideH == 1 && win.strideW == 1 && period <= 16
        d.flat = flat ? 1 : 0
        d.n_slots = Int32(flat ? period : (c + 63) / 64)
        d.n_groups = Int32((taps + 3) / 4)
        d.zp_in = -p.inputOffset; d.zp_out = p.outputOffset
        d.act_min = p.actMin; d.act_max = p.actMax
        let bytes = withUnsafePointer(to: d) { bf_qs8_dwconv_packed_size($0) }
        let packed = PackedParams(d, bytes: bytes) { params, buffer in
            p.withConstants { w, b, m, s in bf_qs8_dwconv_pack(params, w, b, m, s, buffer) }
        }
        return DepthwiseConv2DQS8AVX512VNNI(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_dwconv_avx512vnni(packed.params, (arena + input).assumingMemoryBound(to: Int8.self),
                                 (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
