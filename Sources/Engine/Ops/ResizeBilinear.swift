import TFLite

/// RESIZE_BILINEAR (float32, and int8 with input and output sharing one quantization, as
/// TensorFlow Lite's int8 kernel assumes): input [N, H, W, C], a constant int32 size [2] =
/// (new H, new W).
enum ResizeBilinear {
    /// Input and output shapes and the coordinate options.
    struct Setup: Sendable {
        var input: NHWC, output: NHWC
        var alignCorners: Bool, halfPixelCenters: Bool
    }

    static let registration = OpRegistration(roles: ["input", "size"]) { ctx in
        let (alignCorners, halfPixelCenters): (Bool, Bool) = try ctx.options {
            if case .resizeBilinear(let a, let h) = $0 { return (a, h) } else { return nil }
        }
        if alignCorners && halfPixelCenters { throw ctx.fail("align_corners and half_pixel_centers together are not supported") }
        let x = try ctx.input("input"), size = try ctx.input("size"), y = try ctx.output()
        try ctx.expectActivation(x, role: "input")
        try ctx.expectType(x, [.float32, .int8], role: "input")
        try ctx.expectType(y, [x.type], role: "output")
        let xs = try ctx.rank4(x, role: "input"), ys = try ctx.rank4(y, role: "output")
        let hw = try ctx.int32Constant(size, count: 2, role: "size")
        guard hw[0] > 0, hw[1] > 0, Int(hw[0]) == ys.h, Int(hw[1]) == ys.w, ys.n == xs.n, ys.c == xs.c, xs.h > 0, xs.w > 0 else {
            throw ctx.fail("output shape \(y.shape) does not match input \(x.shape) resized to \(hw)")
        }
        let setup = Setup(input: xs, output: ys, alignCorners: alignCorners, halfPixelCenters: halfPixelCenters), selector = ctx.selector
        if x.type == .int8 {
            let (sx, zx) = try ctx.perTensor(x, role: "input")
            let (sy, zy) = try ctx.perTensor(y, role: "output")
            guard sx == sy, zx == zy else {
                throw ctx.fail("int8 input (scale \(sx), zero point \(zx)) and output (scale \(sy), zero point \(zy)) quantization differ")
            }
            // 10-bit fixed-point positions in 32 bits: sides below 2^20 keep every product in range.
            guard [xs.h, xs.w, ys.h, ys.w].allSatisfy({ $0 < 1 << 20 }) else {
                throw ctx.fail("int8 resize of \(x.shape) to \(y.shape): sides must be below 1,048,576")
            }
            // TFLite's fixed-point positions can pass the last row or column on extreme upscales
            // (its lower neighbour is not clamped): refused here, so kernels never read past the input.
            for (inSize, outSize, axis) in [(xs.h, ys.h, "height"), (xs.w, ys.w, "width")] {
                let s = ResizeBilinearQS8Reference.scale10(inSize, outSize, alignCorners: alignCorners)
                let last = ResizeBilinearQS8Reference.interpolation(outSize - 1, scale10: s, halfPixelCenters: halfPixelCenters, inputSize: inSize)
                guard last.1 <= inSize - 1 else {
                    throw ctx.fail("int8 resize of \(axis) \(inSize) to \(outSize) samples past the input in 10-bit fixed point")
                }
            }
            return OpPlan { off in selector.kernel(qs8, setup, KernelOperands(inputs: [off(x.index)], output: off(y.index))) }
        }
        return OpPlan { off in selector.kernel(f32, setup, KernelOperands(inputs: [off(x.index)], output: off(y.index))) }
    }

    static let f32 = OpKernels<Setup>(op: "resize_bilinear", datatype: "f32", variants: [], reference: { s, o in
        ResizeBilinearF32Reference(input: s.input, output: s.output, alignCorners: s.alignCorners, halfPixelCenters: s.halfPixelCenters,
                                   inputOffset: o.input, outputOffset: o.output)
    })

    static let qs8 = OpKernels<Setup>(
        op: "resize_bilinear", datatype: "qs8",
        variants: [
            KernelVariant(isa: .portable) { s, o in
                ResizeBilinearQS8Portable(input: s.input, output: s.output, alignCorners: s.alignCorners, halfPixelCenters: s.halfPixelCenters,
                                          inputOffset: o.input, outputOffset: o.output)
            },
        ],
        reference: { s, o in
            ResizeBilinearQS8Reference(input: s.input, output: s.output, alignCorners: s.alignCorners, halfPixelCenters: s.halfPixelCenters,
                                       inputOffset: o.input, outputOffset: o.output)
        })
}
