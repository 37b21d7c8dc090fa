import CKernels

/// RELU / RELU6 float32.
struct ReluF32AVX512: Kernel {
    var count: Int
    var lo: Float, hi: Float
    var input: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_clamp_avx512((arena + input).assumingMemoryBound(to: Float.self), Int64(count), lo, hi, (arena + output).assumingMemoryBound(to: Float.self))
    }
}
