import CKernels

/// RELU / RELU6 float32, `bf_f32_clamp_avx2` (equal to the reference).
struct ReluF32AVX2: Kernel {
    let count: Int
    let lo: Float, hi: Float
    let input: Int, output: Int


    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_clamp_avx2((arena + input).assumingMemoryBound(to: Float.self), Int64(count), lo, hi, (arena + output).assumingMemoryBound(to: Float.self))
    }
}
