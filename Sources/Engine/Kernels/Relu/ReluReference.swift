/// RELU / RELU6 on float32.
struct ReluF32Reference: Kernel {
    var count: Int
    var lo: Float, hi: Float
    var input: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let x = (arena + input).assumingMemoryBound(to: Float.self)
        let y = (arena + output).assumingMemoryBound(to: Float.self)
        for i in 0..<count { y[i] = min(max(x[i], lo), hi) }
    }
}
