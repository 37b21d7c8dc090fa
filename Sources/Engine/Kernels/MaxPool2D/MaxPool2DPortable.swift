/// Element types of the MAX_POOL_2D kernels.
protocol PoolElement: Comparable, Sendable {
    /// Below or equal to every value (the running maximum's start).
    static var lowest: Self { get }
    /// The reference kernel's start (TFLite's: the lowest finite value).
    static var referenceStart: Self { get }
    /// The AVX-512 C kernel of this element type (input and output shapes, window, clamp, tensors).
    static func maxPoolAVX512(_ i: UnsafePointer<Int32>, _ o: UnsafePointer<Int32>, _ w: Window, _ lo: Self, _ hi: Self,
                              _ x: UnsafeMutableRawPointer, _ y: UnsafeMutableRawPointer)
}

extension Int8: PoolElement {
    static var lowest: Int8 { .min }
    static var referenceStart: Int8 { .min }
}

extension Float: PoolElement {
    static var lowest: Float { -.infinity }
    static var referenceStart: Float { -.greatestFiniteMagnitude }
}

/// MAX_POOL_2D int8 or float32 in portable Swift (batch 1), equal to ``MaxPool2DQS8Reference``
/// and ``MaxPool2DF32Reference`` (a maximum has no rounding): per output pixel, the running
/// maximum over the window's taps inside the input, one contiguous loop over the channels per tap
/// (vectorized by the compiler), then the activation's clamp.
struct MaxPool2DPortable<Element: PoolElement>: Kernel {
    let input: NHWC, output: NHWC, window: Window
    let actMin: Element, actMax: Element
    let inputOffset: Int, outputOffset: Int

    /// nil for a batch larger than 1.
    static func make(input: NHWC, output: NHWC, window: Window, actMin: Element, actMax: Element,
                     inputOffset: Int, outputOffset: Int) -> MaxPool2DPortable? {
        guard input.n == 1, output.n == 1, input.c == output.c else { return nil }
        return MaxPool2DPortable(input: input, output: output, window: window, actMin: actMin, actMax: actMax,
                                 inputOffset: inputOffset, outputOffset: outputOffset)
    }

    // Specialized: through `any Kernel` the generic body would compare via witness calls (60x slower).
    @_specialize(exported: false, where Element == Int8)
    @_specialize(exported: false, where Element == Float)
    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffset).assumingMemoryBound(to: Element.self))
        let y = (arena + outputOffset).assumingMemoryBound(to: Element.self)
        let c = output.c
        window.forEachOutput(input, output) { pixel, origin, ky, kx in
            let out = y + pixel * c
            out.update(repeating: Element.lowest, count: c)
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

/// MAX_POOL_2D int8 in portable Swift.
typealias MaxPool2DQS8Portable = MaxPool2DPortable<Int8>
/// MAX_POOL_2D float32 in portable Swift.
typealias MaxPool2DF32Portable = MaxPool2DPortable<Float>
