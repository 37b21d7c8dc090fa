/// RESHAPE: a byte copy (the layout of a row-major tensor does not change).
struct ReshapeReference: Kernel {
    var input: Int, output: Int, byteCount: Int

    func eval(arena: UnsafeMutableRawPointer) {
        if input != output { (arena + output).copyMemory(from: arena + input, byteCount: byteCount) }
    }
}

/// CONCATENATION of same-typed inputs along one axis: for each of the `outer` slices, the inputs'
/// runs of `inner[i]` bytes one after another.
struct ConcatenationReference: Kernel {
    var inputs: [Int]
    var innerBytes: [Int]
    var outer: Int
    var output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let total = innerBytes.reduce(0, +)
        for o in 0..<outer {
            var dst = arena + output + o * total
            for (k, src) in inputs.enumerated() {
                dst.copyMemory(from: arena + src + o * innerBytes[k], byteCount: innerBytes[k])
                dst += innerBytes[k]
            }
        }
    }
}

/// RELU / RELU6 on float32.
struct ClampFloatReference: Kernel {
    var count: Int
    var lo: Float, hi: Float
    var input: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let x = (arena + input).assumingMemoryBound(to: Float.self)
        let y = (arena + output).assumingMemoryBound(to: Float.self)
        for i in 0..<count { y[i] = min(max(x[i], lo), hi) }
    }
}
