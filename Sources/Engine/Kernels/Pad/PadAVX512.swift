import CKernels

/// PAD of NHWC tensors, any element size.
struct PadAVX512: Kernel {
    var inShape: (Int32, Int32, Int32, Int32), outShape: (Int32, Int32, Int32, Int32), before: (Int32, Int32, Int32, Int32)
    var elementSize: Int32
    var fill: (UInt8, UInt8, UInt8, UInt8)
    var input: Int, output: Int

    init(input: NHWC, output: NHWC, before: NHWC, elementSize: Int, fill: [UInt8], inputOffset: Int, outputOffset: Int) {
        inShape = (Int32(input.n), Int32(input.h), Int32(input.w), Int32(input.c))
        outShape = (Int32(output.n), Int32(output.h), Int32(output.w), Int32(output.c))
        self.before = (Int32(before.n), Int32(before.h), Int32(before.w), Int32(before.c))
        self.elementSize = Int32(elementSize)
        let f = fill + [0, 0, 0, 0]
        self.fill = (f[0], f[1], f[2], f[3])
        self.input = inputOffset; self.output = outputOffset
    }

    func eval(arena: UnsafeMutableRawPointer) {
        var i = inShape, o = outShape, b = before, f = fill
        withUnsafePointer(to: &i) { ip in
        withUnsafePointer(to: &o) { op in
        withUnsafePointer(to: &b) { bp in
        withUnsafePointer(to: &f) { fp in
            bf_xx_pad_avx512(UnsafeRawPointer(ip).assumingMemoryBound(to: Int32.self), UnsafeRawPointer(op).assumingMemoryBound(to: Int32.self),
                        UnsafeRawPointer(bp).assumingMemoryBound(to: Int32.self), elementSize,
                        UnsafeRawPointer(fp).assumingMemoryBound(to: UInt8.self), arena + input, arena + output)
        }}}}
    }
}
