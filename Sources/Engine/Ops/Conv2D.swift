import TFLite

/// CONV_2D, int8 (per-channel weights) and float32. Pointwise (1x1, stride 1, unpadded)
/// convolutions can run band by band in the compact plan.
enum Conv2D {
    /// int8 parameters and the portable kernel's packed weights (made on first use, shared by
    /// every band of a fused group).
    struct QS8Setup: BandedConvSetup {
        var params: ConvQS8Params
        let pack: PrepareOnce<ConvQS8Pack>
        /// The micro kernel's constants (shared by every band).
        let micro: PrepareOnce<MicroConvConstants>
        init(_ p: ConvQS8Params) { params = p; pack = PrepareOnce { ConvQS8Pack(p) }; micro = PrepareOnce { MicroConvConstants(p) } }
    }

    /// float32 parameters and the portable kernel's packed weights.
    struct F32Setup: BandedConvSetup {
        var params: ConvF32Params
        let pack: PrepareOnce<ConstantBuffer<Float>>
        init(_ p: ConvF32Params) { params = p; pack = PrepareOnce { Conv2DF32Portable.pack(p) } }
    }

    static let registration = OpRegistration(roles: ["input", "filter", "bias"], optionalFrom: 2) { ctx in
        let g = try ConvGeometry(ctx, depthwise: false)
        if g.x.type == .float32 { return plan(ctx, g, F32Setup(try g.f32Params(ctx)), f32, elementSize: 4) }
        return plan(ctx, g, QS8Setup(try g.qs8Params(ctx, depthwise: false)), qs8, elementSize: 1)
    }

    /// The binder, and for pointwise convolutions the band maker.
    static func plan<S: BandedConvSetup>(_ ctx: OpContext, _ g: ConvGeometry, _ setup: S, _ family: OpKernels<S>, elementSize: Int) -> OpPlan {
        let selector = ctx.selector, x = g.x.index, y = g.y.index
        let pointwise = !g.isPointwise ? nil : Pointwise(pixels: g.input.h * g.input.w, inputChannels: g.input.c,
                                                          outputChannels: g.outputChannels, elementSize: elementSize) { n, o in
            var band = setup
            (band.params.input, band.params.output, band.params.window) = g.band(n)
            return selector.kernel(family, band, KernelOperands(inputs: [o[0]], output: o[1]))
        }
        return OpPlan(binder: { off in selector.kernel(family, setup, KernelOperands(inputs: [off(x)], output: off(y))) },
                      macs: g.macs, pointwise: pointwise)
    }

    static let qs8 = OpKernels<QS8Setup>(op: "conv2d", datatype: "qs8", variants: [
        KernelVariant(isa: .avx512vnni) { Conv2DQS8AVX512VNNI.make($0.params, input: $1.input, output: $1.output) },
        KernelVariant(isa: .avx2) { Conv2DQS8AVX2.make($0.params, input: $1.input, output: $1.output) },
        KernelVariant(isa: .portable) { Conv2DQS8Portable.make($0.params, pack: $0.pack.get, input: $1.input, output: $1.output) },
        KernelVariant(isa: .micro) { ConvQS8Micro.make($0.params, constants: $0.micro.get, depthwise: false, input: $1.input, output: $1.output) },
    ], reference: { Conv2DQS8Reference(p: $0.params, inputOffsetInArena: $1.input, outputOffsetInArena: $1.output) })

    static let f32 = OpKernels<F32Setup>(op: "conv2d", datatype: "f32", variants: [
        KernelVariant(isa: .avx512) { Conv2DF32AVX512.make($0.params, input: $1.input, output: $1.output) },
        KernelVariant(isa: .avx2) { Conv2DF32AVX2.make($0.params, input: $1.input, output: $1.output) },
        KernelVariant(isa: .portable) { Conv2DF32Portable.make($0.params, pack: $0.pack.get, input: $1.input, output: $1.output) },
    ], reference: { Conv2DF32Reference(p: $0.params, inputOffsetInArena: $1.input, outputOffsetInArena: $1.output) })
}

/// Convolution parameters with an input, output and window (resized for a band of pixels).
protocol ConvShapes {
    var input: NHWC { get set }
    var output: NHWC { get set }
    var window: Window { get set }
}

extension ConvQS8Params: ConvShapes {}
extension ConvF32Params: ConvShapes {}

/// A CONV_2D setup whose parameters can be narrowed to a band of pixels.
protocol BandedConvSetup: Sendable {
    associatedtype Params: ConvShapes
    var params: Params { get set }
}
