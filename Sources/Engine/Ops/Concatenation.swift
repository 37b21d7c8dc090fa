import TFLite

/// CONCATENATION of same-typed (and, for int8, same-quantized) inputs along one axis.
enum Concatenation {
    /// For each of `outer` slices, each input's run of `innerBytes[i]` bytes.
    struct Setup: Sendable {
        var innerBytes: [Int]
        var outer: Int
    }

    static let registration = OpRegistration(roles: ["inputs"], variadic: true) { ctx in
        let (rawAxis, a): (Int, Activation) = try ctx.options { if case .concatenation(let x, let a) = $0 { return (x, a) } else { return nil } }
        guard a == .none else { throw ctx.fail("fused activation \(a) on CONCATENATION is not supported") }
        let y = try ctx.output()
        let xs = try ctx.variadicInputs(role: "input")
        let rank = y.shape.count
        let axis = rawAxis < 0 ? rawAxis + rank : rawAxis
        guard (0..<rank).contains(axis) else { throw ctx.fail("axis \(rawAxis) out of range for rank \(rank)") }
        var total = 0
        for x in xs {
            try ctx.expectActivation(x, role: "input")
            guard x.type == y.type, x.shape.count == rank else { throw ctx.fail("input \(x.index) type/rank differ from the output") }
            for d in 0..<rank where d != axis && x.shape[d] != y.shape[d] {
                throw ctx.fail("input \(x.index) shape \(x.shape) does not match output \(y.shape) outside axis \(axis)")
            }
            if y.type == .int8 {
                guard x.scales == y.scales, x.zeroPoints == y.zeroPoints else { throw ctx.fail("requantizing concatenation is not supported") }
            }
            total += x.shape[axis]
        }
        guard total == y.shape[axis] else { throw ctx.fail("inputs sum to \(total) along axis \(axis); output has \(y.shape[axis])") }
        try ctx.expectType(y, [.int8, .float32], role: "output")
        let es = y.type.byteSize ?? 1
        let setup = Setup(innerBytes: xs.map { $0.shape[axis...].reduce(1, *) * es }, outer: y.shape[..<axis].reduce(1, *))
        let selector = ctx.selector
        return OpPlan { off in selector.kernel(any, setup, KernelOperands(inputs: xs.map { off($0.index) }, output: off(y.index))) }
    }

    static let any = OpKernels<Setup>(op: "concatenation", datatype: "any", variants: [], reference: { s, o in
        ConcatenationReference(inputs: o.inputs, innerBytes: s.innerBytes, outer: s.outer, output: o.output)
    })
}
