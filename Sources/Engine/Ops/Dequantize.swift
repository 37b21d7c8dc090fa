import TFLite
import CMicroPlan

/// DEQUANTIZE int8 -> float32: of an activation (a kernel), or of a constant (float16 weights or
/// int8), folded into float32 values at prepare time.
enum Dequantize {
    static let registration = OpRegistration(roles: ["input"]) { ctx in
        let x = try ctx.input("input"), y = try ctx.output()
        try ctx.expectType(y, [.float32], role: "output")
        guard x.elementCount == y.elementCount else { throw ctx.fail("input has \(x.elementCount) elements, output \(y.elementCount)") }
        if ctx.builder.isConstant(x.index) { return OpPlan(folded: .floats(try fold(ctx, x))) }
        try ctx.expectType(x, [.int8], role: "input")
        let (s, z) = try ctx.perTensor(x, role: "input")
        let setup = QuantizeSetup(count: y.elementCount, scale: s, zeroPoint: z)
        return OpPlan { off in ctx.selector.kernel(qs8, setup, KernelOperands(inputs: [off(x.index)], output: off(y.index))) }
    }

    /// The float32 values of a constant input.
    static func fold(_ ctx: OpContext, _ x: TensorInfo) throws -> [Float] {
        switch x.type {
        case .float16:
            let b = try ctx.constant(x, .float16, count: x.elementCount, role: "input")
            return (0..<x.elementCount).map { floatFromHalf(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
        case .int8:
            let (s, z) = try ctx.perTensor(x, role: "input")
            let q = try ctx.int8Constant(x, count: x.elementCount, role: "input")
            return q.map { Float(Double(s) * Double(Int32($0) - z)) }
        default:
            throw ctx.fail("dequantizing a \(x.type) constant is not supported")
        }
    }

    static let qs8 = OpKernels<QuantizeSetup>(
        op: "dequantize", datatype: "qs8",
        variants: [
            KernelVariant(isa: .avx512) { s, o in
                DequantizeQS8AVX512(input: o.input, output: o.output, count: s.count, scale: Double(s.scale), zeroPoint: s.zeroPoint)
            },
            KernelVariant(isa: .micro) { s, o in
                s.count < 1 << 30 ? DequantizeQS8Micro(params: bf_dequantize_t(zero_point: s.zeroPoint, scale: s.scale), count: s.count,
                                                       input: o.input, output: o.output) : nil
            },
        ],
        reference: { s, o in DequantizeQS8Reference(input: o.input, output: o.output, count: s.count, scale: Double(s.scale), zeroPoint: s.zeroPoint) })
}
