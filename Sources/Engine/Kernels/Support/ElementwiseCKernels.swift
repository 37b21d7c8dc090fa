import CKernels

/// A float32 clamp in C (RELU, RELU6): y = clamp(x, lo, hi) on `count` elements.
protocol ClampF32CKernel: Kernel {
    var count: Int { get }
    var lo: Float { get }
    var hi: Float { get }
    var input: Int { get }
    var output: Int { get }
    /// The C function: x, count, lo, hi, y.
    static var run: (UnsafePointer<Float>?, Int64, Float, Float, UnsafeMutablePointer<Float>?) -> Void { get }
}

extension ClampF32CKernel {
    func eval(arena: UnsafeMutableRawPointer) {
        Self.run((arena + input).assumingMemoryBound(to: Float.self), Int64(count), lo, hi, (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// A float32 binary op in C with the fused activation's clamp: y = clamp(a op b, actMin, actMax).
protocol BinaryF32CKernel: Kernel {
    var count: Int { get }
    var actMin: Float { get }
    var actMax: Float { get }
    var input1: Int { get }
    var input2: Int { get }
    var output: Int { get }
    /// The C function: a, b, count, lo, hi, y.
    static var run: (UnsafePointer<Float>?, UnsafePointer<Float>?, Int64, Float, Float, UnsafeMutablePointer<Float>?) -> Void { get }
}

extension BinaryF32CKernel {
    func eval(arena: UnsafeMutableRawPointer) {
        Self.run((arena + input1).assumingMemoryBound(to: Float.self), (arena + input2).assumingMemoryBound(to: Float.self),
                 Int64(count), actMin, actMax, (arena + output).assumingMemoryBound(to: Float.self))
    }
}
