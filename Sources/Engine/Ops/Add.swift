import TFLite

/// ADD of two same-shape tensors, int8 (TFLite's reference `AddElementwise`) and float32, with a
/// fused activation. Elementwise, so it can run band by band in the compact plan.
enum Add {
    /// int8 parameters and the exact tables of the table-driven variants (derived and checked on
    /// all 65,536 input pairs on first use, shared by every band).
    struct QS8Setup: Sendable {
        var params: AddQS8Params
        /// 8 x 256 bytes (``AddQS8AVX512VBMI``), nil when the decomposition is not exact.
        let lut: PrepareOnce<[UInt8]?>
        /// T1 and T2 (``AddQS8Portable``, ``AddQS8AVX2``).
        let tables: PrepareOnce<ConstantBuffer<Int32>?>

        init(_ p: AddQS8Params) {
            params = p
            let lut = PrepareOnce { AddQS8AVX512VBMI.tables(p) }
            self.lut = lut
            tables = PrepareOnce { lut.get.map(AddQS8Portable.decode) }
        }
    }

    /// float32 parameters: element count and the activation's clamp.
    struct F32Setup: Sendable {
        var count: Int
        var actMin: Float, actMax: Float
    }

    static let registration = OpRegistration(roles: ["input1", "input2"]) { ctx in
        let a: Activation = try ctx.options { if case .add(let a, _) = $0 { return a } else { return nil } }
        let act = try ctx.activation(a)
        let x1 = try ctx.input("input1"), x2 = try ctx.input("input2"), y = try ctx.output()
        try ctx.expectActivation(x1, role: "input1")
        try ctx.expectActivation(x2, role: "input2")
        guard x1.shape == y.shape, x2.shape == y.shape else {
            throw ctx.fail("broadcasting is not supported: input shapes \(x1.shape), \(x2.shape), output \(y.shape)")
        }
        guard x1.type == y.type, x2.type == y.type else { throw ctx.fail("mixed types \(x1.type), \(x2.type) -> \(y.type)") }
        try ctx.expectType(y, [.int8, .float32], role: "output")
        let tensors = [x1.index, x2.index, y.index]
        if y.type == .float32 {
            let r = act.floatRange
            return elementwise(ctx, tensors, elementSize: 4, F32Setup(count: y.elementCount, actMin: r.min, actMax: r.max), f32) { s, n in
                var q = s
                q.count = n
                return q
            }
        }
        let (s1, z1) = try ctx.perTensor(x1, role: "input1")
        let (s2, z2) = try ctx.perTensor(x2, role: "input2")
        let (so, zo) = try ctx.perTensor(y, role: "output")
        let p = AddQS8Params(count: y.elementCount, scale1: s1, zp1: z1, scale2: s2, zp2: z2, scaleOut: so, zpOut: zo, activation: act)
        for m in [p.input1Multiplier, p.input2Multiplier, p.outputMultiplier] where m.shift > 0 {
            throw ctx.fail("rescale multiplier is not below 1 (scales \(s1), \(s2) -> \(so)); the int8 reference ADD requires it")
        }
        return elementwise(ctx, tensors, elementSize: 1, QS8Setup(p), qs8) { s, n in
            var q = s
            q.params.count = n
            return q
        }
    }

    /// The plan of an elementwise op over `tensors` (inputs, then the output), which runs on any
    /// run of pixels: the whole tensor, or bands of `n` pixels (`band` resizes the setup).
    static func elementwise<S>(_ ctx: OpContext, _ tensors: [Int], elementSize: Int, _ setup: S, _ family: OpKernels<S>,
                               band: @escaping (S, Int) -> S) -> OpPlan {
        let selector = ctx.selector
        let y = ctx.tensors[tensors[tensors.count - 1]]
        let count = y.elementCount, channels = max(y.shape.last ?? 1, 1)
        func operands(_ o: [Int]) -> KernelOperands { KernelOperands(inputs: Array(o.dropLast()), output: o[o.count - 1]) }
        return OpPlan(binder: { off in selector.kernel(family, setup, operands(tensors.map(off))) },
                      pointwise: Pointwise(pixels: count / channels, inputChannels: channels, outputChannels: channels, elementSize: elementSize) { n, o in
            selector.kernel(family, band(setup, n * channels), operands(o))
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
