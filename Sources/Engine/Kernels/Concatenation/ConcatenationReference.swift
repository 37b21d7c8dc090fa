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
