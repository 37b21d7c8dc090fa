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
        if g.x.type == .float32 { return plan(ctx, g, try g.f32Params(ctx), f32) }
        return plan(ctx, g, try g.qs8Params(ctx, depthwise: true), qs8)
    }

    static func plan<P>(_ ctx: OpContext, _ g: ConvGeometry, _ params: P, _ family: OpKernels<Setup<P>>) -> OpPlan {
        let selector = ctx.selector, x = g.x.index, y = g.y.index, setup = Setup(params: params, depthMultiplier: g.depthMultiplier)
        return OpPlan(binder: { off in selector.kernel(family, setup, KernelOperands(inputs: [off(x)], output: off(y))) }, macs: g.macs)
    }

    /// A variant for depth multiplier 1 only.
    static func multiplier1<P>(_ make: @escaping @Sendable (P, KernelOperands) -> (any Kernel)?) -> @Sendable (Setup<P>, KernelOperands) -> (any Kernel)? {
        { s, o in s.depthMultiplier == 1 ? make(s.params, o) : nil }
    }

    static let qs8 = OpKernels<Setup<ConvQS8Params>>(op: "depthwise_conv2d", datatype: "qs8", variants: [
        KernelVariant(isa: .avx512vnni, make: multiplier1 { DepthwiseConv2DQS8AVX512VNNI.make($0, input: $1.input, output: $1.output) }),
        KernelVariant(isa: .avx2, make: multiplier1 { DepthwiseConv2DQS8AVX2.make($0, input: $1.input, output: $1.output) }),
        KernelVariant(isa: .portable) { DepthwiseConv2DQS8Portable.make($0.params, depthMultiplier: $0.depthMultiplier, input: $1.input, output: $1.output) },
        KernelVariant(isa: .micro) {
            ConvQS8Micro.make($0.params, constants: MicroConvConstants($0.params), depthwise: true, depthMultiplier: $0.depthMultiplier,
                              input: $1.input, output: $1.output)
        },
    ], reference: { DepthwiseConv2DQS8Reference(p: $0.params, depthMultiplier: $0.depthMultiplier, inputOffsetInArena: $1.input, outputOffsetInArena: $1.output) })

    static let f32 = OpKernels<Setup<ConvF32Params>>(op: "depthwise_conv2d", datatype: "f32", variants: [
        KernelVariant(isa: .avx512, make: multiplier1 { DepthwiseConv2DF32AVX512.make($0, input: $1.input, output: $1.output) }),
        KernelVariant(isa: .avx2, make: multiplier1 { DepthwiseConv2DF32AVX2.make($0, input: $1.input, output: $1.output) }),
        KernelVariant(isa: .portable) { DepthwiseConv2DF32Portable.make($0.params, depthMultiplier: $0.depthMultiplier, input: $1.input, output: $1.output) },
    ], reference: { DepthwiseConv2DF32Reference(p: $0.params, depthMultiplier: $0.depthMultiplier, inputOffsetInArena: $1.input, outputOffsetInArena: $1.output) })
}
