import TFLite

/// DEPTH_TO_SPACE (any element type): output[b, h*s + dy, w*s + dx, c] =
/// input[b, h, w, (dy*s + dx) * C_out + c].
enum DepthToSpace {
    /// Input shape, block size and element size.
    struct Setup: Sendable {
        var input: NHWC
        var block: Int
        var elementSize: Int
    }

    static let registration = OpRegistration(roles: ["input"]) { ctx in
        let s: Int = try ctx.options { if case .depthToSpace(let s) = $0, s >= 1, s <= 64 { return s } else { return nil } }
        let x = try ctx.input("input"), y = try ctx.output()
        try ctx.expectActivation(x, role: "input")
        guard x.type == y.type, x.scales == y.scales, x.zeroPoints == y.zeroPoints else { throw ctx.fail("input and output types or quantization differ") }
        let xs = try ctx.rank4(x, role: "input"), ys = try ctx.rank4(y, role: "output")
        guard xs.c % (s * s) == 0, ys.n == xs.n, ys.h == xs.h * s, ys.w == xs.w * s, ys.c == xs.c / (s * s) else {
            throw ctx.fail("output shape \(y.shape) is not input \(x.shape) with block size \(s)")
        }
        let setup = Setup(input: xs, block: s, elementSize: y.type.byteSize ?? 1), selector = ctx.selector
        return OpPlan { off in selector.kernel(any, setup, KernelOperands(inputs: [off(x.index)], output: off(y.index))) }
    }

    static let any = OpKernels<Setup>(op: "depth_to_space", datatype: "any", variants: [], reference: { s, o in
        DepthToSpaceReference(input: s.input, block: s.block, elementSize: s.elementSize, inputOffset: o.input, outputOffset: o.output)
    })
}
