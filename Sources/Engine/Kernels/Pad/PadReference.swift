/// PAD reference kernel for any element size: copies the input into the middle of the output and
/// fills the border with `fill` (the output zero point for int8, 0 for float).
struct PadReference: Kernel {
    var input: NHWC, output: NHWC
    var before: NHWC            // padding before each dimension
    var elementSize: Int
    var fill: [UInt8]           // one element's bytes
    var inputOffset: Int, outputOffset: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafeRawPointer(arena + inputOffset)
        let y = arena + outputOffset
        let es = elementSize
        // Fill everything, then copy the input's rows (runs of w * c elements) into place.
        fill.withUnsafeBytes { f in
            guard let fb = f.baseAddress else { return }
            if es == 1 {
                y.initializeMemory(as: UInt8.self, repeating: fb.load(as: UInt8.self), count: output.count)
            } else {
                for i in 0..<output.count { (y + i * es).copyMemory(from: fb, byteCount: es) }
            }
        }
        let rowBytes = input.w * input.c * es
        for b in 0..<input.n {
            for yy in 0..<input.h {
                let src = x + ((b * input.h + yy) * input.w) * input.c * es
                let dst = y + ((((b + before.n) * output.h + yy + before.h) * output.w + before.w) * output.c + before.c) * es
                if input.c == output.c {
                    dst.copyMemory(from: src, byteCount: rowBytes)
                } else {
                    for xx in 0..<input.w {
                        (dst + xx * output.c * es).copyMemory(from: src + xx * input.c * es, byteCount: input.c * es)
                    }
                }
            }
        }
    }
}
