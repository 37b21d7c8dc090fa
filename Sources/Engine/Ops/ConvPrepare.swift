import TFLite

/// The checked geometry of a CONV_2D or DEPTHWISE_CONV_2D, shared by both ops' prepare steps.
struct ConvGeometry {
    var x: TensorInfo, filter: TensorInfo, bias: TensorInfo?, y: TensorInfo
    var input: NHWC, output: NHWC, window: Window
    var outputChannels: Int
    /// Output channels per input channel (depthwise); 0 for CONV_2D.
    var depthMultiplier: Int
    var activation: ActivationKind
    var macs: Int
    /// 1x1, stride 1, unpadded: pixel i of the input maps to pixel i of the output.
    var isPointwise: Bool

    /// Input, output and window of a band of `n` pixels of a pointwise convolution.
    func band(_ n: Int) -> (NHWC, NHWC, Window) {
        (NHWC([1, 1, n, input.c]), NHWC([1, 1, n, outputChannels]),
         Window(padding: .valid, inH: 1, inW: n, filterH: 1, filterW: 1, strideH: 1, strideW: 1))
    }

    /// Reads and checks the options, tensors and shapes of the op in `ctx`.
    init(_ ctx: OpContext, depthwise: Bool) throws {
        let o: ConvOptions = try ctx.options {
            switch $0 {
            case .conv2D(let c) where !depthwise: return c
            case .depthwiseConv2D(let c) where depthwise: return c
            default: return nil
            }
        }
        guard o.strideW >= 1, o.strideH >= 1, o.strideW <= 64, o.strideH <= 64 else { throw ctx.fail("invalid strides \(o.strideH)x\(o.strideW)") }
        guard o.dilationW >= 1, o.dilationH >= 1, o.dilationW <= 64, o.dilationH <= 64 else { throw ctx.fail("invalid dilation \(o.dilationH)x\(o.dilationW)") }
        let pad = try ctx.padding(o.padding)
        activation = try ctx.activation(o.activation)
        x = try ctx.input("input"); filter = try ctx.input("filter"); bias = try ctx.optionalInput("bias"); y = try ctx.output()
        try ctx.expectActivation(x, role: "input")
        try ctx.expectType(x, [.int8, .float32], role: "input")
        input = try ctx.rank4(x, role: "input")
        output = try ctx.rank4(y, role: "output")
        let w = filter, xs = input
        guard w.shape.count == 4 else { throw ctx.fail("filter tensor \(w.index) has shape \(w.shape); expected rank 4") }
        let kh = w.shape[1], kw = w.shape[2]
        outputChannels = depthwise ? w.shape[3] : w.shape[0]
        let oc = outputChannels
        if depthwise {
            guard w.shape[0] == 1 else { throw ctx.fail("depthwise filter shape \(w.shape) must start with 1") }
            guard xs.c > 0, oc % xs.c == 0 else { throw ctx.fail("output channels \(oc) are not a multiple of input channels \(xs.c)") }
            if o.depthMultiplier != 0 && o.depthMultiplier != oc / xs.c {
                throw ctx.fail("depth_multiplier \(o.depthMultiplier) disagrees with \(oc) output / \(xs.c) input channels")
            }
        } else {
            guard w.shape[3] == xs.c else { throw ctx.fail("filter depth \(w.shape[3]) differs from input channels \(xs.c) (grouped convolution is not supported)") }
        }
        guard kh >= 1, kw >= 1 else { throw ctx.fail("empty filter \(w.shape)") }
        window = Window(padding: pad, inH: xs.h, inW: xs.w, filterH: kh, filterW: kw,
                        strideH: o.strideH, strideW: o.strideW, dilationH: o.dilationH, dilationW: o.dilationW)
        let ys = output
        guard ys.n == xs.n, ys.h == window.outH, ys.w == window.outW, ys.c == oc else {
            throw ctx.fail("output shape \(y.shape) differs from the computed [\(xs.n), \(window.outH), \(window.outW), \(oc)]")
        }
        macs = ys.count * kh * kw * (depthwise ? 1 : xs.c)
        depthMultiplier = depthwise ? oc / xs.c : 0
        isPointwise = !depthwise && kh == 1 && kw == 1 && o.strideH == 1 && o.strideW == 1 && window.padTop == 0 && window.padLeft == 0
            && xs.n == 1 && ys.h == xs.h && ys.w == xs.w
    }

    /// The float32 parameters (weights folded from DEQUANTIZE where the model has them).
    func f32Params(_ ctx: OpContext) throws -> ConvF32Params {
        try ctx.expectType(y, [.float32], role: "output")
        let weights = try ctx.floatConstant(filter, count: filter.elementCount, role: "filter")
        let b = try bias.map { try ctx.floatConstant($0, count: outputChannels, role: "bias") } ?? Array(repeating: 0, count: outputChannels)
        let r = activation.floatRange
        return ConvF32Params(input: input, output: output, window: window, actMin: r.min, actMax: r.max, weights: weights, bias: b)
    }

    /// The int8 parameters: per-channel multipliers as TFLite computes them, the activation clamp.
    func qs8Params(_ ctx: OpContext, depthwise: Bool) throws -> ConvQS8Params {
        try ctx.expectType(y, [.int8], role: "output")
        let (sIn, zIn) = try ctx.perTensor(x, role: "input")
        let (sOut, zOut) = try ctx.perTensor(y, role: "output")
        let w = filter, oc = outputChannels
        let weights = try ctx.int8Constant(w, count: w.elementCount, role: "filter")
        guard w.scales.count == oc || w.scales.count == 1 else { throw ctx.fail("filter has \(w.scales.count) scales for \(oc) output channels") }
        if w.scales.count > 1 && w.quantizedDimension != (depthwise ? 3 : 0) {
            throw ctx.fail("filter is quantized along dimension \(w.quantizedDimension); expected \(depthwise ? 3 : 0)")
        }
        guard w.zeroPoints.allSatisfy({ $0 == 0 }) else { throw ctx.fail("filter zero points must be 0 (symmetric int8 weights)") }
        let b = try bias.map { try ctx.int32Constant($0, count: oc, role: "bias") } ?? Array(repeating: 0, count: oc)
        var mults: [Int32] = [], shifts: [Int32] = []
        for c in 0..<oc {
            let sw = w.scales.count == 1 ? w.scales[0] : w.scales[c]
            guard sw > 0, sw.isFinite else { throw ctx.fail("filter channel \(c) has invalid scale \(sw)") }
            // TFLite: double(input_scale) * double(filter_scale) / double(output_scale).
            let m = QuantizedMultiplier(Double(sIn) * Double(sw) / Double(sOut))
            mults.append(m.significand)
            shifts.append(m.shift)
        }
        let (lo, hi) = quantizedActivationRange(activation, scale: sOut, zeroPoint: zOut)
        return ConvQS8Params(input: input, output: output, window: window, inputOffset: -zIn, outputOffset: zOut,
                             actMin: lo, actMax: hi, weights: weights, bias: b, multipliers: mults, shifts: shifts)
    }
}
