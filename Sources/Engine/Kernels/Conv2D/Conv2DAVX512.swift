import CKernels

/// CONV_2D float32, `bf_f32_conv_avx512`: indirect GEMM, broadcast input x 16-channel weight rows.
struct Conv2DF32AVX512: Kernel {
    let packed: PackedParams<bf_f32_conv_params>
    let input: Int, output: Int

    static func make(_ p: ConvF32Params, input: Int, output: Int) -> Conv2DF32AVX512? {
        let win = p.window
        let seg = win.filterW * p.input.c
        let flat = win.filterH == 1 && win.filterW == 1 && win.strideH == 1 && win.strideW == 1 && win.padTop == 0 && win.padLeft == 0 && p.input.h == p.output.h && p.input.w == p.output.w
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              win.filterH <= 16, flat || win.filterH * seg <= 512 else { return nil }
        var c = bf_f32_conv_params()
        c.in_h = Int32(p.input.h); c.in_w = Int32(p.input.w); c.in_c = Int32(p.input.c)
        c.out_h = Int32(p.output.h); c.out_w = Int32(p.output.w); c.out_c = Int32(p.output.c)
        c.kh = Int32(win.filterH); c.kw = Int32(win.filterW)
        c.stride_h = Int32(win.strideH); c.stride_w = Int32(win.strideW)
        c.pad_top = Int32(win.padTop); c.pad_left = Int32(win.padLeft)
        c.seg_len = Int32(seg); c.n_blocks = Int32((p.output.c + 15) / 16)
        c.act_min = p.actMin; c.act_max = p.actMax
        let bytes = withUnsafePointer(to: c) { bf_f32_conv_packed_size($0) }
        let packed = PackedParams(c, bytes: bytes) { params, buffer in
            p.weights.withUnsafeBufferPointer { w in
            p.bias.withUnsafeBufferPointer { b in
                bf_f32_conv_pack(params, w.baseAddress, b.baseAddress, buffer)
            }}
        }
        return Conv2DF32AVX512(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_conv_avx512(packed.params, (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}
