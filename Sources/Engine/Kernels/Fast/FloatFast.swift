import CKernels

// float32 fast kernels (AVX-512, fused multiply-add): within float32 rounding of the reference
// kernels, not equal to them (see f32_conv_avx512.c).

/// CONV_2D float32, `bf_f32_conv_avx512`: indirect GEMM, broadcast input x 16-channel weight rows.
struct Conv2DFloatFast: Kernel {
    let packed: PackedParams<bf_f32_conv_params>
    let input: Int, output: Int

    static func make(_ p: ConvFloatParams, input: Int, output: Int) -> Conv2DFloatFast? {
        guard CPUFeatures.current.contains(.avx512) else { return nil }
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
        return Conv2DFloatFast(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_conv_avx512(packed.params, (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// DEPTHWISE_CONV_2D float32 (depth multiplier 1), `bf_f32_dwconv_avx512`.
struct DepthwiseConv2DFloatFast: Kernel {
    let packed: PackedParams<bf_f32_dwconv_params>
    let input: Int, output: Int

    static func make(_ p: ConvFloatParams, input: Int, output: Int) -> DepthwiseConv2DFloatFast? {
        guard CPUFeatures.current.contains(.avx512) else { return nil }
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
        return DepthwiseConv2DFloatFast(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_dwconv_avx512(packed.params, (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// ADD float32 with the fused activation's clamp.
struct AddFloatFast: Kernel {
    var count: Int
    var actMin: Float, actMax: Float
    var input1: Int, input2: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_add_avx512((arena + input1).assumingMemoryBound(to: Float.self), (arena + input2).assumingMemoryBound(to: Float.self),
                          Int64(count), actMin, actMax, (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// RELU / RELU6 float32.
struct ClampFloatFast: Kernel {
    var count: Int
    var lo: Float, hi: Float
    var input: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_clamp_avx512((arena + input).assumingMemoryBound(to: Float.self), Int64(count), lo, hi, (arena + output).assumingMemoryBound(to: Float.self))
    }
}
