import TFLite

/// CONV_2D, int8 (per-channel weights) and float32. Pointwise (1x1, stride 1, unpadded)
/// convolutions can run band by band in the compact plan.
enum Conv2D {
    /// int8 parameters and the portable kernel's packed weights (made on first use, shared by
    /// every band of a fused group).
    struct QS8Setup: Sendable {
        var params: ConvQS8Params
        let pack: PrepareOnce<ConvQS8Pack>
        init(_ p: ConvQS8Params) { params = p; pack = PrepareOnce { ConvQS8Pack(p) } }
    }

    /// float32 parameters and the portable kernel's packed weights.
    struct F32Setup: Sendable {
        var params: ConvF32Params
        let pack: PrepareOnce<ConstantBuffer<Float>>
        init(_ p: ConvF32Params) { params = p; pack = PrepareOnce { Conv2DF32Portable.pack(p) } }
    }

    static let registration = OpRegistration(roles: ["input", "filter", "bias"], optionalFrom: 2) { ctx in
        let g = try ConvGeometry(ctx, depthwise: false)
        if g.x.type == .float32 {
            return plan(ctx, g, F32Setup(try g.f32Params(ctx)), f32, elementSize: 4) { s, n in
                var q = s
                (q.params.input, q.params.output, q.params.window) = g.band(n)
                return q
            }
        }
        return plan(ctx, g, QS8Setup(try g.qs8Params(ctx, depthwise: false)), qs8, elementSize: 1) { s, n in
            var q = s
            (q.params.input, q.params.output, q.params.window) = g.band(n)
            return q
        }
    }

    /// The binder, and for pointwise convolutions the band maker.
    static func plan<S>(_ ctx: OpContext, _ g: ConvGeometry, _ setup: S, _ family: OpKernels<S>, elementSize: Int,
                        band: @escaping (S, Int) -> S) -> OpPlan {
        let selector = ctx.selector, x = g.x.index, y = g.y.index
        let pointwise = !g.isPointwise ? nil : Pointwise(pixels: g.input.h * g.input.w, inputChannels: g.input.c,
                                                          outputChannels: g.outputChannels, elementSize: elementSize) { n, o in
            selector.kernel(family, band(setup, n), KernelOperands(inputs: [o[0]], output: o[1]))
        }
        return OpPlan(binder: { off in selector.kernel(family, setup, KernelOperands(inputs: [off(x)], output: off(y))) },
                      macs: g.macs, pointwise: pointwise)
    }

    static let qs8 = OpKernels<QS8Setup>(
        op: "conv2d", datatype: "qs8",
        variants: [
            KernelVariant(isa: .avx512vnni) { s, o in Conv2DQS8AVX512VNNI.make(s.params, input: o.input, output: o.output) },
            KernelVariant(isa: .avx2) { s, o in Conv2DQS8AVX2.make(s.params, input: o.input, output: o.output) },
            KernelVariant(isa: .portable) { s, o in Conv2DQS8Portable.make(s.params, pack: s.pack.get, input: o.input, output: o.output) },
        ],
        reference: { s, o in Conv2DQS8Reference(p: s.params, inputOffsetInArena: o.input, outputOffsetInArena: o.output) })

    static let f32 = OpKernels<F32Setup>(
        op: "conv2d", datatype: "f32",
        variants: [
            KernelVariant(isa: .avx512) { s, o in Conv2DF32AVX512.make(s.params, input: o.input, output: o.output) },
            KernelVariant(isa: .avx2) { s, o in Conv2DF32AVX2.make(s.params, input: o.input, output: o.output) },
            KernelVariant(isa: .portable) { s, o in Conv2DF32Portable.make(s.params, pack: s.pack.get, input: o.input, output: o.output) },
        ],
        reference: { s, o in Conv2DF32Reference(p: s.params, inputOffsetInArena: o.input, outputOffsetInArena: o.output) })
}
