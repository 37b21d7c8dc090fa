import CKernels

/// ADD float32 with the fused activation's clamp, `bf_f32_add_avx512` (equal to the reference).
struct AddF32AVX512: BinaryF32CKernel {
    var count: Int, actMin: Float, actMax: Float, input1: Int, input2: Int, output: Int
    static var run: (UnsafePointer<Float>?, UnsafePointer<Float>?, Int64, Float, Float, UnsafeMutablePointer<Float>?) -> Void { bf_f32_add_avx512 }
}

/// ADD int8, `bf_qs8_add_avx512`: the reference's three rescales, 16 lanes at a time.
struct AddQS8AVX512: Kernel {
    let packed: PackedParams<bf_qs8_add_params>
    let input1: Int, input2: Int, output: Int

    static func make(_ p: AddQS8Params, input1: Int, input2: Int, output: Int) -> AddQS8AVX512? {
        guard p.leftShift == 20,
              p.input1Multiplier.shift <= 0, p.input2Multiplier.shift <= 0, p.outputMultiplier.shift <= 0 else { return nil }
        var a = bf_qs8_add_params()
        bf_qs8_add_init(&a, Int64(p.count), -p.input1Offset, p.input1Multiplier.significand, p.input1Multiplier.shift,
                        -p.input2Offset, p.input2Multiplier.significand, p.input2Multiplier.shift,
                        p.outputOffset, p.outputMultiplier.significand, p.outputMultiplier.shift, p.actMin, p.actMax)
        return AddQS8AVX512(packed: PackedParams(a, bytes: 0), input1: input1, input2: input2, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_add_avx512(packed.params, (arena + input1).assumingMemoryBound(to: Int8.self),
                          (arena + input2).assumingMemoryBound(to: Int8.self), (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
