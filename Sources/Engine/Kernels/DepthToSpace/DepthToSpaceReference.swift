/// DEPTH_TO_SPACE reference kernel: a byte shuffle.
struct DepthToSpaceReference: Kernel {
    var input: NHWC
    var block: Int
    var elementSize: Int
    var inputOffset: Int, outputOffset: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let s = block, outC = input.c / (s * s), run = outC * elementSize
        let outW = input.w * s, outH = input.h * s
        for b in 0..<input.n {
            for h in 0..<input.h {
                for w in 0..<input.w {
                    for dy in 0..<s {
                        for dx in 0..<s {
                            let src = arena + inputOffset + (((b * input.h + h) * input.w + w) * input.c + (dy * s + dx) * outC) * elementSize
                            let dst = arena + outputOffset + (((b * outH + h * s + dy) * outW + w * s + dx) * outC) * elementSize
                            dst.copyMemory(from: src, byteCount: run)
                        }
                    }
                }
            }
        }
    }
}
