/// RESHAPE: a byte copy (the layout of a row-major tensor does not change).
struct ReshapeReference: Kernel {
    var input: Int, output: Int, byteCount: Int

    func eval(arena: UnsafeMutableRawPointer) {
        if input != output { (arena + output).copyMemory(from: arena + input, byteCount: byteCount) }
    }
}
