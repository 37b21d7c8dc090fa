import TFLite

/// RELU and RELU6 on float32: a clamp to [0, +inf) or [0, 6]. Elementwise, so it can run band by
/// band in the compact plan (after a fused ADD).
enum Relu {
    /// Element count and the clamp range.
    struct Setup: ElementwiseSetup {
        var count: Int
        var lo: Float, hi: Float
    }

    static func registration(six: Bool) -> OpRegistration {
        OpRegistration(roles: ["input"]) { ctx in
            let x = try ctx.input("input"), y = try ctx.output()
            try ctx.expectActivation(x, role: "input")
            try ctx.expectType(x, [.float32], role: "input")
            try ctx.expectType(y, [.float32], role: "output")
            try ctx.expectSameShape(x, y)
            let setup = Setup(count: y.elementCount, lo: 0, hi: six ? 6 : Float.greatestFiniteMagnitude)
            return Add.elementwise(ctx, [x.index, y.index], elementSize: 4, setup, f32)
        }
    }

    static let f32 = OpKernels<Setup>(
        op: "relu", datatype: "f32",
        variants: [
            KernelVariant(isa: .avx512) { s, o in ReluF32AVX512(count: s.count, lo: s.lo, hi: s.hi, input: o.input, output: o.output) },
            KernelVariant(isa: .avx2) { s, o in ReluF32AVX2(count: s.count, lo: s.lo, hi: s.hi, input: o.input, output: o.output) },
        ],
        reference: { s, o in ReluF32Reference(count: s.count, lo: s.lo, hi: s.hi, input: o.input, output: o.output) })
}
