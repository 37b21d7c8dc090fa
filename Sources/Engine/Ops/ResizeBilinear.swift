import TFLite

/// RESIZE_BILINEAR (float32): input [N, H, W, C], a constant int32 size [2] = (new H, new W).
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
        try ctx.expectType(x, [.float32], role: "input")
        try ctx.expectType(y, [.float32], role: "output")
        let xs = try ctx.rank4(x, role: "input"), ys = try ctx.rank4(y, role: "output")
        let hw = try ctx.int32Constant(size, count: 2, role: "size")
        guard hw[0] > 0, hw[1] > 0, Int(hw[0]) == ys.h, Int(hw[1]) == ys.w, ys.n == xs.n, ys.c == xs.c, xs.h > 0, xs.w > 0 else {
            throw ctx.fail("output shape \(y.shape) does not match input \(x.shape) resized to \(hw)")
        }
        let setup = Setup(input: xs, output: ys, alignCorners: alignCorners, halfPixelCenters: halfPixelCenters), selector = ctx.selector
        return OpPlan { off in selector.kernel(f32, setup, KernelOperands(inputs: [off(x.index)], output: off(y.index))) }
    }

    static let f32 = OpKernels<Setup>(op: "resize_bilinear", datatype: "f32", variants: [], reference: { s, o in
        ResizeBilinearF32Reference(input: s.input, output: s.output, alignCorners: s.alignCorners, halfPixelCenters: s.halfPixelCenters,
                                   inputOffset: o.input, outputOffset: o.output)
    })
}
