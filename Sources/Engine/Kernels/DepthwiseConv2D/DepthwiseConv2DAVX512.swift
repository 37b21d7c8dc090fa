import CKernels

/// DEPTHWISE_CONV_2D float32 (depth multiplier 1), `bf_f32_dwconv_avx512`.
struct DepthwiseConv2DF32AVX512: Kernel {
    let packed: PackedParams<bf_f32_dwconv_params>
    let input: Int, output: Int

    static func make(_ p: ConvF32Params, input: Int, output: Int) -> DepthwiseConv2DF32AVX512? {
        let win = p.window
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1, p.input.c == p.output.c else { return nil }
        let c = p.input.c
        let period = c / gcd(c, 16)
        let flat = win.strideH == 1 && win.strideW == 1 && period <= 16
        var d = bf_f32_dwconv_params()
        d.in_h = Int32(p.input.h); d.in_w = Int32(p.input.w); d.c = Int32(c)
        d.out_h = Int32(p.output.h); d.out_w = Int32(p.output.w)
        d.kh = Int32(win.filterH); d.kw = Int32(win.filterW)
        d.stride_h = Int32(win.strideH); d.stride_w = Int32(win.strideW)
        d.pad_top = Int32(win.padTop); d.pad_left = Int32(win.padLeft)
        d.flat = flat ? 1 : 0
        d.n_slots = Int32(flat ? period : (c + 15) / 16)
        d.act_min = p.actMin; d.act_max = p.actMax
        let bytes = withUnsafePointer(to: d) { bf_f32_dwconv_packed_size($0) }
        let packed = PackedParams(d, bytes: bytes) { params, buffer in
            p.weights.withUnsafeBufferPointer { w in
            p.bias.withUnsafeBufferPointer { b in
                bf_f32_dwconv_pack(params, w.baseAddress, b.baseAddress, buffer)
            }}
        }
        return DepthwiseConv2DF32AVX512(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_dwconv_avx512(packed.params, (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}
