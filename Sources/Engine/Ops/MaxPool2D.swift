import TFLite

/// MAX_POOL_2D, int8 and float32, with a fused activation's clamp.
enum MaxPool2D {
    /// Input, output, window and the clamp range (of the element type).
    struct Setup<Element: PoolElement>: Sendable {
        var input: NHWC, output: NHWC, window: Window
        var actMin: Element, actMax: Element
    }

    static let registration = OpRegistration(roles: ["input"]) { ctx in
        let o: PoolOptions = try ctx.options { if case .pool2D(let o) = $0 { return o } else { return nil } }
        guard o.strideW >= 1, o.strideH >= 1, o.filterW >= 1, o.filterH >= 1, o.strideW <= 64, o.strideH <= 64, o.filterW <= 256, o.filterH <= 256 else {
            throw ctx.fail("invalid pool geometry: filter \(o.filterH)x\(o.filterW), stride \(o.strideH)x\(o.strideW)")
        }
        let x = try ctx.input("input"), y = try ctx.output()
        try ctx.expectActivation(x, role: "input")
        let xs = try ctx.rank4(x, role: "input"), ys = try ctx.rank4(y, role: "output")
        let win = Window(padding: try ctx.padding(o.padding), inH: xs.h, inW: xs.w, filterH: o.filterH, filterW: o.filterW,
                         strideH: o.strideH, strideW: o.strideW)
        guard ys.n == xs.n, ys.c == xs.c, ys.h == win.outH, ys.w == win.outW else {
            throw ctx.fail("output shape \(y.shape) differs from the computed [\(xs.n), \(win.outH), \(win.outW), \(xs.c)]")
        }
        let act = try ctx.activation(o.activation)
        guard x.type == y.type else { throw ctx.fail("input type \(x.type) differs from output type \(y.type)") }
        try ctx.expectType(y, [.int8, .float32], role: "output")
        let selector = ctx.selector
        let operands = { (off: (Int) -> Int) in KernelOperands(inputs: [off(x.index)], output: off(y.index)) }
        if y.type == .float32 {
            let r = act.floatRange
            let setup = Setup(input: xs, output: ys, window: win, actMin: r.min, actMax: r.max)
            return OpPlan(binder: { off in selector.kernel(f32, setup, operands(off)) })
        }
        let (sx, zx) = try ctx.perTensor(x, role: "input")
        let (sy, zy) = try ctx.perTensor(y, role: "output")
        guard sx == sy, zx == zy else { throw ctx.fail("input and output quantization differ") }
        let (lo, hi) = quantizedActivationRange(act, scale: sy, zeroPoint: zy)
        let setup = Setup(input: xs, output: ys, window: win, actMin: Int8(clamping: lo), actMax: Int8(clamping: hi))
        return OpPlan(binder: { off in selector.kernel(qs8, setup, operands(off)) })
    }

    static func avx512<E>(_ s: Setup<E>, _ o: KernelOperands) -> any Kernel {
        MaxPool2DAVX512<E>(geometry: PoolGeometry(input: s.input, output: s.output, window: s.window), actMin: s.actMin, actMax: s.actMax,
                           input: o.input, output: o.output)
    }

    static func portable<E>(_ s: Setup<E>, _ o: KernelOperands) -> (any Kernel)? {
        MaxPool2DPortable<E>.make(input: s.input, output: s.output, window: s.window, actMin: s.actMin, actMax: s.actMax, inputOffset: o.input, outputOffset: o.output)
    }

    static func reference<E>(_ s: Setup<E>, _ o: KernelOperands) -> any Kernel {
        MaxPool2DReference<E>(input: s.input, output: s.output, window: s.window, actMin: s.actMin, actMax: s.actMax, inputOffset: o.input, outputOffset: o.output)
    }

    static let qs8 = OpKernels<Setup<Int8>>(op: "max_pool2d", datatype: "qs8", variants: [
        KernelVariant(isa: .avx512, make: avx512), KernelVariant(isa: .portable, make: portable),
        KernelVariant(isa: .micro) { MaxPool2DQS8Micro.make($0, input: $1.input, output: $1.output) },
    ], reference: reference)

    static let f32 = OpKernels<Setup<Float>>(op: "max_pool2d", datatype: "f32", variants: [
        KernelVariant(isa: .avx512, make: avx512), KernelVariant(isa: .portable, make: portable),
    ], reference: reference)
}
