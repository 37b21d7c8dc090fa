import TFLite

/// RESHAPE: the same bytes under another shape (a copy unless input and output share a place).
enum Reshape {
    static let registration = OpRegistration(roles: ["input", "shape"], optionalFrom: 1) { ctx in
        let x = try ctx.input("input"), y = try ctx.output()
        try ctx.expectActivation(x, role: "input")
        guard x.type == y.type, x.elementCount == y.elementCount else {
            throw ctx.fail("cannot reshape \(x.shape) \(x.type) into \(y.shape) \(y.type)")
        }
        if y.type == .int8 {
            let (sx, zx) = try ctx.perTensor(x, role: "input")
            let (sy, zy) = try ctx.perTensor(y, role: "output")
            guard sx == sy, zx == zy else { throw ctx.fail("input and output quantization differ") }
        }
        let n = y.byteCount, selector = ctx.selector
        return OpPlan { off in selector.kernel(any, n, KernelOperands(inputs: [off(x.index)], output: off(y.index))) }
    }

    /// Byte count.
    static let any = OpKernels<Int>(op: "reshape", datatype: "any", variants: [],
                                    reference: { n, o in ReshapeReference(input: o.input, output: o.output, byteCount: n) })
}
