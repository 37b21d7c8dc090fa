import TFLite

/// The parameters of an elementwise QUANTIZE or DEQUANTIZE: element count and the int8 side's
/// scale and zero point.
struct QuantizeSetup: Sendable {
    var count: Int
    var scale: Float, zeroPoint: Int32
}

/// QUANTIZE float32 -> int8 (per-tensor), TFLite's `AffineQuantize`.
enum Quantize {
    static let registration = OpRegistration(roles: ["input"]) { ctx in
        let x = try ctx.input("input"), y = try ctx.output()
        try ctx.expectActivation(x, role: "input")
        try ctx.expectType(x, [.float32], role: "input")
        try ctx.expectType(y, [.int8], role: "output")
        try ctx.expectSameShape(x, y)
        let (s, z) = try ctx.perTensor(y, role: "output")
        let setup = QuantizeSetup(count: y.elementCount, scale: s, zeroPoint: z)
        return OpPlan { off in
            let (name, kernel) = ctx.selector.choose(qs8, setup, KernelOperands(inputs: [off(x.index)], output: off(y.index)))
            return ChosenKernel(name: name, kernel: kernel)
        }
    }

    static let qs8 = KernelFamily<QuantizeSetup, any QuantizeQS8Kernel>(
        op: "quantize", datatype: "qs8",
        variants: [
            KernelVariant(isa: .avx512) { s, o in
                QuantizeQS8AVX512(input: o.input, output: o.output, count: s.count, scale: s.scale, zeroPoint: s.zeroPoint)
            },
        ],
        reference: { s, o in QuantizeQS8Reference(input: o.input, output: o.output, count: s.count, scale: s.scale, zeroPoint: s.zeroPoint) })
}
