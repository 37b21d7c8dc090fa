import CKernels

/// The geometry arguments of the C max-pool kernels.
struct PoolGeometry: Sendable {
    var inShape: (Int32, Int32, Int32, Int32), outShape: (Int32, Int32, Int32, Int32)
    var window: Window

    init(input: NHWC, output: NHWC, window: Window) {
        inShape = (Int32(input.n), Int32(input.h), Int32(input.w), Int32(input.c))
        outShape = (Int32(output.n), Int32(output.h), Int32(output.w), Int32(output.c))
        self.window = window
    }

    /// Calls `body` with pointers to the input and output shapes.
    func withShapes(_ body: (UnsafePointer<Int32>, UnsafePointer<Int32>) -> Void) {
        var i = inShape, o = outShape
        withUnsafePointer(to: &i) { ip in
        withUnsafePointer(to: &o) { op in
            body(UnsafeRawPointer(ip).assumingMemoryBound(to: Int32.self), UnsafeRawPointer(op).assumingMemoryBound(to: Int32.self))
        }}
    }
}

/// MAX_POOL_2D int8 (`bf_qs8_maxpool_avx512`, 64 channels per load) or float32
/// (`bf_f32_maxpool_avx512`, 16 channels per load), equal to the reference.
struct MaxPool2DAVX512<Element: PoolElement>: Kernel {
    var geometry: PoolGeometry
    var actMin: Element, actMax: Element
    var input: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        geometry.withShapes { ip, op in
            Element.maxPoolAVX512(ip, op, geometry.window, actMin, actMax, arena + input, arena + output)
        }
    }
}

/// MAX_POOL_2D int8 with AVX-512.
typealias MaxPool2DQS8AVX512 = MaxPool2DAVX512<Int8>
/// MAX_POOL_2D float32 with AVX-512.
typealias MaxPool2DF32AVX512 = MaxPool2DAVX512<Float>

extension Int8 {
    static func maxPoolAVX512(_ i: UnsafePointer<Int32>, _ o: UnsafePointer<Int32>, _ w: Window, _ lo: Int8, _ hi: Int8,
                              _ x: UnsafeMutableRawPointer, _ y: UnsafeMutableRawPointer) {
        bf_qs8_maxpool_avx512(i, o, Int32(w.filterH), Int32(w.filterW), Int32(w.strideH), Int32(w.strideW), Int32(w.padTop), Int32(w.padLeft),
                              Int32(lo), Int32(hi), x.assumingMemoryBound(to: Int8.self), y.assumingMemoryBound(to: Int8.self))
    }
}

extension Float {
    static func maxPoolAVX512(_ i: UnsafePointer<Int32>, _ o: UnsafePointer<Int32>, _ w: Window, _ lo: Float, _ hi: Float,
                              _ x: UnsafeMutableRawPointer, _ y: UnsafeMutableRawPointer) {
        bf_f32_maxpool_avx512(i, o, Int32(w.filterH), Int32(w.filterW), Int32(w.strideH), Int32(w.strideW), Int32(w.padTop), Int32(w.padLeft),
                              lo, hi, x.assumingMemoryBound(to: Float.self), y.assumingMemoryBound(to: Float.self))
    }
}
