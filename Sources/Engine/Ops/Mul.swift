import TFLite

/// MUL of two same-shape tensors, int8 (TFLite's reference `MulElementwise`, multiplier
/// s_a * s_b / s_out) and float32, with a fused activation. Elementwise, so it runs band by band
/// where a fused group needs it.
enum Mul {
    /// float32 parameters: element count and the activation's clamp.
    struct F32Setup: Sendable {
        var count: Int
        var actMin: Float, actMax: Float
    }

    static let registration = OpRegistration(roles: ["input1", "input2"]) { ctx in
        let a: Activation = try ctx.options { if case .mul(let a) = $0 { return a } else { return nil } }
        let act = try ctx.activation(a)
        let x1 = try ctx.input("input1"), x2 = try ctx.input("input2"), y = try ctx.output()
        guard x1.shape == y.shape, x2.shape == y.shape else {
            throw ctx.fail("broadcasting is not supported: input shapes \(x1.shape), \(x2.shape), output \(y.shape)")
        }
        guard x1.type == y.type, x2.type == y.type else { throw ctx.fail("mixed types \(x1.type), \(x2.type) -> \(y.type)") }
        try ctx.expectType(y, [.int8, .float32], role: "output")
        let tensors = [x1.index, x2.index, y.index]
        if y.type == .float32 {
            let r = act.floatRange
            return Add.elementwise(ctx, tensors, elementSize: 4, F32Setup(count: y.elementCount, actMin: r.min, actMax: r.max), f32) { s, n in
                var q = s
                q.count = n
                return q
            }
        }
        let (s1, z1) = try ctx.perTensor(x1, role: "input1")
        let (s2, z2) = try ctx.perTensor(x2, role: "input2")
        let (so, zo) = try ctx.perTensor(y, role: "output")
        let p = MulQS8Params(count: y.elementCount, scale1: s1, zp1: z1, scale2: s2, zp2: z2, scaleOut: so, zpOut: zo, activation: act)
        return Add.elementwise(ctx, tensors, elementSize: 1, p, qs8) { s, n in
            var q = s
            q.count = n
            return q
        }
    }

    static let qs8 = OpKernels<MulQS8Params>(
        op: "mul", datatype: "qs8",
        variants: [
            KernelVariant(isa: .portable) { p, o in MulQS8Portable(p, input1: o.inputs[0], input2: o.inputs[1], output: o.output) },
        ],
        reference: { p, o in MulQS8Reference(p: p, input1: o.inputs[0], input2: o.inputs[1], output: o.output) })

    static let f32 = OpKernels<F32Setup>(
        op: "mul", datatype: "f32",
        variants: [
            KernelVariant(isa: .portable) { s, o in
                MulF32Portable(count: s.count, actMin: s.actMin, actMax: s.actMax, input1: o.inputs[0], input2: o.inputs[1], output: o.output)
            },
        ],
        reference: { s, o in MulF32Reference(count: s.count, actMin: s.actMin, actMax: s.actMax, input1: o.inputs[0], input2: o.inputs[1], output: o.output) })
}
