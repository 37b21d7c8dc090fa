import TFLite

extension OpContext {
    /// RESIZE_BILINEAR (float32): input [N, H, W, C], a constant int32 size [2] = (new H, new W).
    func resizeBilinear() throws -> KernelBuilder.Binder {
        try expectCounts(inputs: 2...2)
        guard case .resizeBilinear(let alignCorners, let halfPixelCenters) = op.options else {
            throw fail("missing or wrong builtin options (\(op.options))")
        }
        if alignCorners && halfPixelCenters { throw fail("align_corners and half_pixel_centers together are not supported") }
        let x = try requiredInput(0), size = try requiredInput(1), y = try output()
        try expectActivation(x, role: "input")
        try expectType(x, [.float32], role: "input")
        try expectType(y, [.float32], role: "output")
        let xs = try rank4(x, role: "input"), ys = try rank4(y, role: "output")
        let hw = try int32Constant(size, count: 2, role: "size")
        guard hw[0] > 0, hw[1] > 0, Int(hw[0]) == ys.h, Int(hw[1]) == ys.w, ys.n == xs.n, ys.c == xs.c, xs.h > 0, xs.w > 0 else {
            throw fail("output shape \(y.shape) does not match input \(x.shape) resized to \(hw)")
        }
        return { off in
            ResizeBilinearFloatReference(input: xs, output: ys, alignCorners: alignCorners, halfPixelCenters: halfPixelCenters,
                                         inputOffset: off(x.index), outputOffset: off(y.index))
        }
    }
}

extension OpContext {
    /// DEPTH_TO_SPACE (any element type): output[b, h*s + dy, w*s + dx, c] =
    /// input[b, h, w, (dy*s + dx) * C_out + c].
    func depthToSpace() throws -> KernelBuilder.Binder {
        try expectCounts(inputs: 1...1)
        guard case .depthToSpace(let s) = op.options, s >= 1, s <= 64 else { throw fail("missing or invalid block size (\(op.options))") }
        let x = try requiredInput(0), y = try output()
        try expectActivation(x, role: "input")
        guard x.type == y.type, x.scales == y.scales, x.zeroPoints == y.zeroPoints else { throw fail("input and output types or quantization differ") }
        let xs = try rank4(x, role: "input"), ys = try rank4(y, role: "output")
        guard xs.c % (s * s) == 0, ys.n == xs.n, ys.h == xs.h * s, ys.w == xs.w * s, ys.c == xs.c / (s * s) else {
            throw fail("output shape \(y.shape) is not input \(x.shape) with block size \(s)")
        }
        let es = y.type.byteSize ?? 1
        return { off in DepthToSpaceReference(input: xs, block: s, elementSize: es, inputOffset: off(x.index), outputOffset: off(y.index)) }
    }
}

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
