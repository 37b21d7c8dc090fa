import CKernels

/// PAD float32 of the channels only (zero fill), `bf_f32_pad_channels_avx2`: per pixel, the input
/// channels copied after `before.c` zeros, then zeros.
struct PadF32AVX2: Kernel {
    let pixels: Int
    let inputChannels: Int, outputChannels: Int, before: Int
    let input: Int, output: Int

    /// nil unless the elements are 4 bytes (float32), the fill is 0 and only the last dimension is padded.
    static func make(input xs: NHWC, output ys: NHWC, before: NHWC, elementSize: Int, fill: [UInt8], input: Int, output: Int) -> PadF32AVX2? {
        guard elementSize == 4, fill.allSatisfy({ $0 == 0 }), xs.n == ys.n, xs.h == ys.h, xs.w == ys.w,
              before.n == 0, before.h == 0, before.w == 0, before.c >= 0, before.c + xs.c <= ys.c else { return nil }
        return PadF32AVX2(pixels: xs.n * xs.h * xs.w, inputChannels: xs.c, outputChannels: ys.c, before: before.c, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_f32_pad_channels_avx2(Int64(pixels), Int32(inputChannels), Int32(outputChannels), Int32(before),
                                 (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
    }
}
