import CKernels

/// QUANTIZE float32 -> int8, `bf_qs8_quantize_avx512` (float32 division, round half away).
struct QuantizeQS8AVX512: QuantizeQS8Kernel {
    var input: Int, output: Int, count: Int
    var scale: Float, zeroPoint: Int32

    func quantize(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Int8>) {
        bf_qs8_quantize_avx512(x, Int64(count), scale, zeroPoint, y)
    }
}
