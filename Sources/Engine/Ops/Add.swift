import TFLite
import CMicroPlan

/// ADD of two same-shape tensors, int8 (TFLite's reference `AddElementwise`) and float32, with a
/// fused activation. Elementwise, so it can run band by band in the compact plan.
enum Add {
    /// int8 parameters and the exact tables of the table-driven variants (derived and checked on
    /// all 65,536 input pairs on first use, shared by every band).
    struct QS8Setup: ElementwiseSetup {
        var params: AddQS8Params
        /// 8 x 256 bytes (``AddQS8AVX512VBMI``), nil when the decomposition is not exact.
        let lut: PrepareOnce<[UInt8]?>
        /// T1 and T2 (``AddQS8Portable``, ``AddQS8AVX2``).
        let tables: PrepareOnce<ConstantBuffer<Int32>?>

        init(_ p: AddQS8Params) {
            params = p
            let lut = PrepareOnce { p.exactTables() }
            self.lut = lut
            tables = PrepareOnce { lut.get.map(AddQS8Portable.decode) }
        }

        var count: Int {
            get { params.count }
            set { params.count = newValue }
        }
    }

    /// float32 parameters: element count and the activation's clamp.
    struct F32Setup: ElementwiseSetup {
        var count: Int
        var actMin: Float, actMax: Float
    }

    static let registration = OpRegistration(roles: ["input1", "input2"]) { ctx in
        let a: Activation = try ctx.options { if case .add(let a, _) = $0 { return a } else { return nil } }
        let op = try BinaryOperands(ctx, activation: a)
        if op.y.type == .float32 {
            return elementwise(ctx, op.tensors, elementSize: 4, F32Setup(count: op.y.elementCount, actMin: op.floatRange.min, actMax: op.floatRange.max), f32)
        }
        let (x1, x2, y) = try op.quantization(ctx)
        let p = AddQS8Params(count: op.y.elementCount, scale1: x1.scale, zp1: x1.zp, scale2: x2.scale, zp2: x2.zp,
                             scaleOut: y.scale, zpOut: y.zp, activation: op.activation)
        for m in [p.input1Multiplier, p.input2Multiplier, p.outputMultiplier] where m.shift > 0 {
            throw ctx.fail("rescale multiplier is not below 1 (scales \(x1.scale), \(x2.scale) -> \(y.scale)); the int8 reference ADD requires it")
        }
        return elementwise(ctx, op.tensors, elementSize: 1, QS8Setup(p), qs8)
    }

    /// The plan of an elementwise op over `tensors` (inputs, then the output), which runs on any
    /// run of pixels: the whole tensor, or bands of `n` pixels.
    static func elementwise<S: ElementwiseSetup>(_ ctx: OpContext, _ tensors: [Int], elementSize: Int, _ setup: S, _ family: OpKernels<S>) -> OpPlan {
        let selector = ctx.selector
        let y = ctx.tensors[tensors[tensors.count - 1]]
        let count = y.elementCount, channels = max(y.shape.last ?? 1, 1)
        func operands(_ o: [Int]) -> KernelOperands { KernelOperands(inputs: Array(o.dropLast()), output: o[o.count - 1]) }
        return OpPlan(binder: { off in selector.kernel(family, setup, operands(tensors.map(off))) },
                      pointwise: Pointwise(pixels: count / channels, inputChannels: channels, outputChannels: channels, elementSize: elementSize) { n, o in
            var band = setup
            band.count = n * channels
            return selector.kernel(family, band, operands(o))
        })
    }

    static let qs8 = OpKernels<QS8Setup>(
        op: "add", datatype: "qs8",
        variants: [
            KernelVariant(isa: .avx512vbmi) { s, o in
                s.lut.get.map { AddQS8AVX512VBMI(s.params, tables: $0, input1: o.inputs[0], input2: o.inputs[1], output: o.output) }
            },
            KernelVariant(isa: .avx512) { s, o in AddQS8AVX512.make(s.params, input1: o.inputs[0], input2: o.inputs[1], output: o.output) },
            KernelVariant(isa: .avx2) { s, o in
                s.tables.get.flatMap { AddQS8AVX2.make(s.params, tables: $0, input1: o.inputs[0], input2: o.inputs[1], output: o.output) }
            },
            KernelVariant(isa: .portable) { s, o in
                s.tables.get.map { AddQS8Portable(s.params, tables: $0, input1: o.inputs[0], input2: o.inputs[1], output: o.output) }
            },
            KernelVariant(isa: .micro) { s, o in
                s.params.count < 1 << 30 ? AddQS8Micro(params: bf_add_t(s.params), count: s.params.count, input1: o.inputs[0], input2: o.inputs[1], output: o.output) : nil
            },
        ],
        reference: { s, o in AddQS8Reference(p: s.params, input1: o.inputs[0], input2: o.inputs[1], output: o.output) })

    static let f32 = OpKernels<F32Setup>(
        op: "add", datatype: "f32",
        variants: [
            KernelVariant(isa: .avx512) { s, o in
                AddF32AVX512(count: s.count, actMin: s.actMin, actMax: s.actMax, input1: o.inputs[0], input2: o.inputs[1], output: o.output)
            },
            KernelVariant(isa: .avx2) { s, o in
                AddF32AVX2(count: s.count, actMin: s.actMin, actMax: s.actMax, input1: o.inputs[0], input2: o.inputs[1], output: o.output)
            },
        ],
        reference: { s, o in AddF32Reference(count: s.count, actMin: s.actMin, actMax: s.actMax, input1: o.inputs[0], input2: o.inputs[1], output: o.output) })
}

/// The setup of an elementwise kernel: its element count can be set to a band's.
protocol ElementwiseSetup: Sendable {
    var count: Int { get set }
}

/// The checked operands of a same-shape binary elementwise op (ADD, MUL): two computed inputs
/// and the output, all int8 or all float32, and the fused activation.
struct BinaryOperands {
    let x1: TensorInfo, x2: TensorInfo, y: TensorInfo
    let activation: ActivationKind

    init(_ ctx: OpContext, activation a: Activation) throws {
        activation = try ctx.activation(a)
        x1 = try ctx.input("input1"); x2 = try ctx.input("input2"); y = try ctx.output()
        try ctx.expectActivation(x1, role: "input1")
        try ctx.expectActivation(x2, role: "input2")
        guard x1.shape == y.shape, x2.shape == y.shape else {
            throw ctx.fail("broadcasting is not supported: input shapes \(x1.shape), \(x2.shape), output \(y.shape)")
        }
        guard x1.type == y.type, x2.type == y.type else { throw ctx.fail("mixed types \(x1.type), \(x2.type) -> \(y.type)") }
        try ctx.expectType(y, [.int8, .float32], role: "output")
    }

    var tensors: [Int] { [x1.index, x2.index, y.index] }
    var floatRange: (min: Float, max: Float) { activation.floatRange }

    /// The per-tensor scales and zero points of the inputs and the output.
    func quantization(_ ctx: OpContext) throws -> ((scale: Float, zp: Int32), (scale: Float, zp: Int32), (scale: Float, zp: Int32)) {
        (try ctx.perTensor(x1, role: "input1"), try ctx.perTensor(x2, role: "input2"), try ctx.perTensor(y, role: "output"))
    }
}
