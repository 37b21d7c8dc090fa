/// ADD int8 reference kernel (same-shape inputs).
struct AddQS8Reference: Kernel {
    var p: AddQS8Params
    var input1: Int, input2: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let a = (arena + input1).assumingMemoryBound(to: Int8.self)
        let b = (arena + input2).assumingMemoryBound(to: Int8.self)
        let y = (arena + output).assumingMemoryBound(to: Int8.self)
        for i in 0..<p.count { y[i] = p.apply(a[i], b[i]) }
    }
}

/// ADD float32 reference kernel (same-shape inputs), with the fused activation's clamp.
struct AddF32Reference: Kernel {
    var count: Int
    var actMin: Float, actMax: Float
    var input1: Int, input2: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let a = (arena + input1).assumingMemoryBound(to: Float.self)
        let b = (arena + input2).assumingMemoryBound(to: Float.self)
        let y = (arena + output).assumingMemoryBound(to: Float.self)
        for i in 0..<count { y[i] = min(max(a[i] + b[i], actMin), actMax) }
    }
}
