import TFLite

/// MUL of two same-shape tensors, int8 (TFLite's reference `MulElementwise`, multiplier
/// s_a * s_b / s_out) and float32, with a fused activation. Elementwise, so it runs band by band
/// where a fused group needs it.
enum Mul {
    /// float32 parameters: element count and the activation's clamp.
    struct F32Setup: ElementwiseSetup {
        var count: Int
        var actMin: Float, actMax: Float
    }

    static let registration = OpRegistration(roles: ["input1", "input2"]) { ctx in
        let a: Activation = try ctx.options { if case .mul(let a) = $0 { return a } else { return nil } }
        let op = try BinaryOperands(ctx, activation: a)
        if op.y.type == .float32 {
            let s = F32Setup(count: op.y.elementCount, actMin: op.floatRange.min, actMax: op.floatRange.max)
            return Add.elementwise(ctx, op.tensors, elementSize: 4, s, f32)
        }
        let (x1, x2, y) = try op.quantization(ctx)
        let p = MulQS8Params(count: op.y.elementCount, scale1: x1.scale, zp1: x1.zp, scale2: x2.scale, zp2: x2.zp,
                             scaleOut: y.scale, zpOut: y.zp, activation: op.activation)
        return Add.elementwise(ctx, op.tensors, elementSize: 1, p, qs8)
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

extension MulQS8Params: ElementwiseSetup {}
