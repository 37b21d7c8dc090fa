import CKernels

// The int8 kernels for x86-64 CPUs with AVX2 but without AVX-512 (AMD Zen 2/3, Intel client CPUs
// since Alder Lake), bit-exact with the reference kernels (tested in AVX2KernelTests). Each make()
// returns nil unless `cpu` (the engine passes its ``EngineOptions`` features, ``CPUFeatures/current``
// by default) and the CPU itself have AVX2 and the op's shape fits the kernel.

/// True when the AVX2 kernels may run for features `cpu`.
private func avx2Usable(_ cpu: CPUFeatures) -> Bool {
    cpu.contains(.avx2) && CPUFeatures.detected.contains(.avx2)
}

/// CONV_2D int8, `bf_qs8_conv_avx2`: any kernel size, stride and padding (dilation 1, batch 1,
/// at most `BF_AVX2_CONV_MAX_K` taps per output pixel, filter rows rounded up to even lengths);
/// int16 taps in pairs, `vpmaddwd`.
struct Conv2DInt8AVX2: Kernel {
    let packed: PackedParams<bf_qs8_conv_avx2_params>
    let input: Int, output: Int

    static func make(_ p: ConvInt8Params, input: Int, output: Int, cpu: CPUFeatures = .current) -> Conv2DInt8AVX2? {
        let win = p.window
        let segPairs = (win.filterW * p.input.c + 1) / 2
        guard avx2Usable(cpu), win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
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
        return Conv2DInt8AVX2(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_conv_avx2(packed.params, (arena + input).assumingMemoryBound(to: Int8.self),
                         (arena + output).assumingMemoryBound(to: Int8.self))
    }
}

/// DEPTHWISE_CONV_2D int8 (depth multiplier 1, dilation 1, batch 1, kernels up to 5x5, rows of
/// at most `BF_AVX2_DW_MAX_ROW` words), `bf_qs8_dwconv_avx2`: input rows interleaved in pairs as
/// int16 words, one `vpmaddwd` per 8 channels, row pair and column tap.
struct DepthwiseConv2DInt8AVX2: Kernel {
    let packed: PackedParams<bf_qs8_dwconv_avx2_params>
    let input: Int, output: Int

    static func make(_ p: ConvInt8Params, input: Int, output: Int, cpu: CPUFeatures = .current) -> DepthwiseConv2DInt8AVX2? {
        let win = p.window
        let c = p.input.c, paddedWidth = (p.output.w - 1) * win.strideW + win.filterW
        guard avx2Usable(cpu), win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1, p.output.c == c,
              win.filterH <= 5, win.filterW <= 5, paddedWidth * c <= Int(BF_AVX2_DW_MAX_ROW),
              p.weights.count == win.filterH * win.filterW * c else { return nil }
        var d = bf_qs8_dwconv_avx2_params()
        d.in_h = Int32(p.input.h); d.in_w = Int32(p.input.w); d.c = Int32(c)
        d.out_h = Int32(p.output.h); d.out_w = Int32(p.output.w)
        d.kh = Int32(win.filterH); d.kw = Int32(win.filterW)
        d.stride_h = Int32(win.strideH); d.stride_w = Int32(win.strideW)
        d.pad_top = Int32(win.padTop); d.pad_left = Int32(win.padLeft)
        d.n_blocks = Int32((c + 7) / 8); d.row_pairs = Int32((win.filterH + 1) / 2)
        d.zp_in = -p.inputOffset; d.zp_out = p.outputOffset
        d.act_min = p.actMin; d.act_max = p.actMax
        let bytes = withUnsafePointer(to: d) { bf_qs8_dwconv_avx2_packed_size($0) }
        let packed = PackedParams(d, bytes: bytes) { params, buffer in
            p.withConstants { w, b, m, s in bf_qs8_dwconv_avx2_pack(params, w, b, m, s, buffer) }
        }
        return DepthwiseConv2DInt8AVX2(packed: packed, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_dwconv_avx2(packed.params, (arena + input).assumingMemoryBound(to: Int8.self),
                           (arena + output).assumingMemoryBound(to: Int8.self))
    }
}

/// ADD int8, `bf_qs8_add_lut_avx2`: the exact tables of ``AddInt8Portable`` (T1, T2, made and
/// checked against the reference on all 65,536 input pairs at prepare), read with AVX2 gathers,
/// 16 elements at a time.
struct AddInt8AVX2: Kernel {
    let tables: ConstantBuffer<Int32>
    let packed: PackedParams<bf_qs8_add_lut_avx2_params>
    let input1: Int, input2: Int, output: Int

    /// `tables`: T1 then T2, from ``AddInt8Portable/decode(_:)``.
    static func make(_ p: AddInt8Params, tables: ConstantBuffer<Int32>, input1: Int, input2: Int, output: Int,
                     cpu: CPUFeatures = .current) -> AddInt8AVX2? {
        guard avx2Usable(cpu), tables.count == 512 else { return nil }
        var a = bf_qs8_add_lut_avx2_params()
        a.count = Int64(p.count)
        a.act_min = max(-128, p.actMin); a.act_max = min(127, p.actMax)
        a.t1 = UnsafePointer(tables.pointer); a.t2 = UnsafePointer(tables.pointer + 256)
        return AddInt8AVX2(tables: tables, packed: PackedParams(a, bytes: 0), input1: input1, input2: input2, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_add_lut_avx2(packed.params, (arena + input1).assumingMemoryBound(to: Int8.self),
                            (arena + input2).assumingMemoryBound(to: Int8.self), (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
