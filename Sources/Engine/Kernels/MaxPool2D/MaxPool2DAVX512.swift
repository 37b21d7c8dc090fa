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

/// MAX_POOL_2D int8, `bf_qs8_maxpool_avx512`: 64 channels per load, equal to the reference.
struct MaxPool2DQS8AVX512: Kernel {
    var geometry: PoolGeometry
    var actMin: Int32, actMax: Int32
    var input: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let w = geometry.window
        geometry.withShapes { ip, op in
            bf_qs8_maxpool_avx512(ip, op, Int32(w.filterH), Int32(w.filterW), Int32(w.strideH), Int32(w.strideW),
                                  Int32(w.padTop), Int32(w.padLeft), actMin, actMax,
                                  (arena + input).assumingMemoryBound(to: Int8.self), (arena + output).assumingMemoryBound(to: Int8.self))
        }
    }
}

/// MAX_POOL_2D float32, `bf_f32_maxpool_avx512`: 16 channels per load, equal to the reference.
struct MaxPool2DF32AVX512: Kernel {
    var geometry: PoolGeometry
    var actMin: Float, actMax: Float
    var input: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let w = geometry.window
        geometry.withShapes { ip, op in
            bf_f32_maxpool_avx512(ip, op, Int32(w.filterH), Int32(w.filterW), Int32(w.strideH), Int32(w.strideW),
                                  Int32(w.padTop), Int32(w.padLeft), actMin, actMax,
                                  (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
        }
    }
}
