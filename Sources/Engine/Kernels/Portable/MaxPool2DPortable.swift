/// MAX_POOL_2D int8 in portable Swift (batch 1), equal to ``MaxPool2DInt8Reference``: per output
/// pixel, the running maximum over the window's taps inside the input, one contiguous loop over
/// the channels per tap (vectorized by the compiler), then the activation's clamp.
struct MaxPool2DInt8Portable: Kernel {
    let input: NHWC, output: NHWC, window: Window
    let actMin: Int8, actMax: Int8
    let inputOffset: Int, outputOffset: Int

    /// nil for a batch larger than 1.
    static func make(input: NHWC, output: NHWC, window: Window, actMin: Int8, actMax: Int8,
                     inputOffset: Int, outputOffset: Int) -> MaxPool2DInt8Portable? {
        guard input.n == 1, output.n == 1, input.c == output.c else { return nil }
        return MaxPool2DInt8Portable(input: input, output: output, window: window, actMin: actMin, actMax: actMax,
                                     inputOffset: inputOffset, outputOffset: outputOffset)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffset).assumingMemoryBound(to: Int8.self))
        let y = (arena + outputOffset).assumingMemoryBound(to: Int8.self)
        let c = output.c
        window.forEachOutput(input, output) { pixel, origin, ky, kx in
            let out = y + pixel * c
            out.update(repeating: Int8.min, count: c)
            for ty in ky {
                for tx in kx {
                    let xp = x + (origin + ty * input.w + tx) * c
                    for i in 0..<c { out[i] = max(out[i], xp[i]) }
                }
            }
            for i in 0..<c { out[i] = min(max(out[i], actMin), actMax) }
        }
    }
}
