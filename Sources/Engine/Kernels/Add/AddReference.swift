/// An elementwise kernel of two same-shape inputs: `apply` on each pair, in order (the output may
/// be one of the inputs).
protocol BinaryElementwiseKernel: Kernel {
    associatedtype Element
    var count: Int { get }
    var input1: Int { get }
    var input2: Int { get }
    var output: Int { get }
    func apply(_ a: Element, _ b: Element) -> Element
}

extension BinaryElementwiseKernel {
    @inline(__always)
    func eval(arena: UnsafeMutableRawPointer) {
        let a = (arena + input1).assumingMemoryBound(to: Element.self)
        let b = (arena + input2).assumingMemoryBound(to: Element.self)
        let y = (arena + output).assumingMemoryBound(to: Element.self)
        for i in 0..<count { y[i] = apply(a[i], b[i]) }
    }
}

/// ADD int8 reference kernel (same-shape inputs).
struct AddQS8Reference: BinaryElementwiseKernel {
    var p: AddQS8Params
    var input1: Int, input2: Int, output: Int
    var count: Int { p.count }
    func apply(_ a: Int8, _ b: Int8) -> Int8 { p.apply(a, b) }
}

/// ADD float32 reference kernel (same-shape inputs), with the fused activation's clamp.
struct AddF32Reference: BinaryElementwiseKernel {
    var count: Int, actMin: Float, actMax: Float, input1: Int, input2: Int, output: Int

    func apply(_ a: Float, _ b: Float) -> Float { min(max(a + b, actMin), actMax) }
}
