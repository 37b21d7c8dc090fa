import CKernels

/// DEQUANTIZE int8 -> float32 in double, as the reference.
struct DequantizeQS8AVX512: Kernel {
    var input: Int, output: Int, count: Int
    var scale: Double, zeroPoint: Int32

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_dequantize_avx512((arena + input).assumingMemoryBound(to: Int8.self), Int64(count), scale, zeroPoint,
                                 (arena + output).assumingMemoryBound(to: Float.self))
    }
}
