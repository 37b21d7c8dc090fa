import CKernels

/// RELU / RELU6 float32, `bf_f32_clamp_avx2` (equal to the reference).
struct ReluF32AVX2: ClampF32CKernel {
    var count: Int, lo: Float, hi: Float, input: Int, output: Int
    static var run: (UnsafePointer<Float>?, Int64, Float, Float, UnsafeMutablePointer<Float>?) -> Void { bf_f32_clamp_avx2 }
}
