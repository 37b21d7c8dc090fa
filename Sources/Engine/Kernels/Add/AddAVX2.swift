import CKernels

/// ADD float32 with the fused activation's clamp, `bf_f32_add_avx2` (equal to the reference).
struct AddF32AVX2: BinaryF32CKernel {
    var count: Int, actMin: Float, actMax: Float, input1: Int, input2: Int, output: Int
    static var run: (UnsafePointer<Float>?, UnsafePointer<Float>?, Int64, Float, Float, UnsafeMutablePointer<Float>?) -> Void { bf_f32_add_avx2 }
}

/// ADD int8, `bf_qs8_add_lut_avx2`: the exact tables of ``AddQS8Portable`` (T1, T2, made and
/// checked against the reference on all 65,536 input pairs at prepare), read with AVX2 gathers,
/// 16 elements at a time.
struct AddQS8AVX2: Kernel {
    let tables: ConstantBuffer<Int32>
    let packed: PackedParams<bf_qs8_add_lut_avx2_params>
    let input1: Int, input2: Int, output: Int

    /// `tables`: T1 then T2, from ``AddQS8Portable/decode(_:)``.
    static func make(_ p: AddQS8Params, tables: ConstantBuffer<Int32>, input1: Int, input2: Int, output: Int) -> AddQS8AVX2? {
        guard tables.count == 512 else { return nil }
        var a = bf_qs8_add_lut_avx2_params()
        a.count = Int64(p.count)
        a.act_min = max(-128, p.actMin); a.act_max = min(127, p.actMax)
        a.t1 = UnsafePointer(tables.pointer); a.t2 = UnsafePointer(tables.pointer + 256)
        return AddQS8AVX2(tables: tables, packed: PackedParams(a, bytes: 0), input1: input1, input2: input2, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_add_lut_avx2(packed.params, (arena + input1).assumingMemoryBound(to: Int8.self),
                            (arena + input2).assumingMemoryBound(to: Int8.self), (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
