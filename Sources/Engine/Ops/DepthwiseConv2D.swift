import TFLite

/// DEPTHWISE_CONV_2D, int8 (per-channel weights) and float32. The optimized variants take depth
/// multiplier 1; others run on the reference kernel.
enum DepthwiseConv2D {
    /// The op's parameters and its depth multiplier.
    struct Setup<Params: Sendable>: Sendable {
        var params: Params
        var depthMultiplier: Int
    }

    static let registration = OpRegistration(roles: ["input", "filter", "bias"], optionalFrom: 2) { ctx in
        let g = try ConvGeometry(ctx, depthwise: true)
        let selector = ctx.selector, x = g.x.index, y = g.y.index, dm = g.depthMultiplier
        if g.x.type == .float32 {
            let setup = Setup(params: try g.f32Params(ctx), depthMultiplier: dm)
            return OpPlan(binder: { off in selector.kernel(f32, setup, KernelOperands(inputs: [off(x)], output: off(y))) }, macs: g.macs)
        }
        let setup = Setup(params: try g.qs8Params(ctx, depthwise: true), depthMultiplier: dm)
        return OpPlan(binder: { off in selector.kernel(qs8, setup, KernelOperands(inputs: [off(x)], output: off(y))) }, macs: g.macs)
    }

    static let qs8 = OpKernels<Setup<ConvQS8Params>>(
        op: "depthwise_conv2d", datatype: "qs8",
        variants: [
            KernelVariant(isa: .avx512vnni) { s, o in
                s.depthMultiplier == 1 ? DepthwiseConv2DQS8AVX512VNNI.make(s.params, input: o.input, output: o.output) : nil
            },
            KernelVariant(isa: .avx2) { s, o in
                s.depthMultiplier == 1 ? DepthwiseConv2DQS8AVX2.make(s.params, input: o.input, output: o.output) : nil
            },
            KernelVariant(isa: .portable) { s, o in
                DepthwiseConv2DQS8Portable.make(s.params, depthMultiplier: s.depthMultiplier, input: o.input, output: o.output)
            },
        ],
        reference: { s, o in
            DepthwiseConv2DQS8Reference(p: s.params, depthMultiplier: s.depthMultiplier, inputOffsetInArena: o.input, outputOffsetInArena: o.output)
        })

    static let f32 = OpKernels<Setup<ConvF32Params>>(
        op: "depthwise_conv2d", datatype: "f32",
        variants: [
            KernelVariant(isa: .avx512) { s, o in
                s.depthMultiplier == 1 ? DepthwiseConv2DF32AVX512.make(s.params, input: o.input, output: o.output) : nil
            },
            KernelVariant(isa: .avx2) { s, o in
                s.depthMultiplier == 1 ? DepthwiseConv2DF32AVX2.make(s.params, input: o.input, output: o.output) : nil
            },
            KernelVariant(isa: .portable) { s, o in
                DepthwiseConv2DF32Portable.make(s.params, depthMultiplier: s.depthMultiplier, input: o.input, output: o.output)
            },
        ],
        reference: { s, o in
            DepthwiseConv2DF32Reference(p: s.params, depthMultiplier: s.depthMultiplier, inputOffsetInArena: o.input, outputOffsetInArena: o.output)
        })
}
