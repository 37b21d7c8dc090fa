import TFLite
import CMicroPlan

/// PAD of int8 or float32 tensors of rank 1 to 4 with constant paddings (the output zero point
/// for int8, 0 for float32). A channel-only PAD can run band by band in the compact plan.
enum Pad {
    /// Input, output, padding before each dimension (NHWC), element size and fill bytes.
    struct Setup: Sendable {
        var input: NHWC, output: NHWC, before: NHWC
        var elementSize: Int
        var fill: [UInt8]
    }

    static let registration = OpRegistration(roles: ["input", "paddings"]) { ctx in
        let x = try ctx.input("input"), y = try ctx.output()
        try ctx.expectActivation(x, role: "input")
        guard x.type == y.type else { throw ctx.fail("input type \(x.type) differs from output type \(y.type)") }
        try ctx.expectType(y, [.int8, .float32], role: "output")
        guard x.shape.count == y.shape.count, (1...4).contains(x.shape.count) else {
            throw ctx.fail("input rank \(x.shape.count) and output rank \(y.shape.count) must match and be 1..4")
        }
        let raw = try paddings(ctx, rank: x.shape.count)
        for d in 0..<x.shape.count where x.shape[d] + raw[2 * d] + raw[2 * d + 1] != y.shape[d] {
            throw ctx.fail("output shape \(y.shape) differs from input \(x.shape) padded by \(raw)")
        }
        let padBefore = Array(repeating: 0, count: 4 - x.shape.count) + stride(from: 0, to: raw.count, by: 2).map { raw[$0] }
        let fill: [UInt8]
        if y.type == .int8 {
            let (sx, zx) = try ctx.perTensor(x, role: "input")
            let (sy, zy) = try ctx.perTensor(y, role: "output")
            guard sx == sy, zx == zy else { throw ctx.fail("input and output quantization differ (\(sx), \(zx)) vs (\(sy), \(zy))") }
            fill = [UInt8(bitPattern: Int8(zy))]
        } else {
            fill = [0, 0, 0, 0]
        }
        let setup = Setup(input: NHWC(x.shape), output: NHWC(y.shape), before: NHWC(padBefore), elementSize: y.type.byteSize ?? 1, fill: fill)
        let family = y.type == .int8 ? qs8 : f32, selector = ctx.selector
        let xs = setup.input, ys = setup.output
        // Padding of the last dimension only: pixel i of the input becomes pixel i of the output.
        let channelOnly = xs.n == ys.n && xs.h == ys.h && xs.w == ys.w
        let pointwise = !channelOnly ? nil : Pointwise(pixels: xs.n * xs.h * xs.w, inputChannels: xs.c, outputChannels: ys.c,
                                                        elementSize: setup.elementSize) { n, o in
            var band = setup
            (band.input, band.output, band.before) = (NHWC([1, 1, n, xs.c]), NHWC([1, 1, n, ys.c]), NHWC([0, 0, 0, setup.before.c]))
            return selector.kernel(family, band, KernelOperands(inputs: [o[0]], output: o[1]))
        }
        return OpPlan(binder: { off in selector.kernel(family, setup, KernelOperands(inputs: [off(x.index)], output: off(y.index))) },
                      pointwise: pointwise)
    }

    /// The constant paddings [rank, 2] (int32 or int64), each in 0...4096.
    static func paddings(_ ctx: OpContext, rank: Int) throws -> [Int] {
        let pads = try ctx.input("paddings")
        guard pads.shape == [rank, 2] else { throw ctx.fail("paddings shape \(pads.shape); expected [\(rank), 2]") }
        let raw: [Int]
        if pads.type == .int64 {
            let b = try ctx.constant(pads, .int64, count: rank * 2, role: "paddings")
            raw = (0..<rank * 2).map { Int(Int64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
        } else {
            raw = try ctx.int32Constant(pads, count: rank * 2, role: "paddings").map(Int.init)
        }
        guard raw.allSatisfy({ (0...4096).contains($0) }) else { throw ctx.fail("paddings \(raw) must be in 0...4096") }
        return raw
    }

    static func avx512(_ s: Setup, _ o: KernelOperands) -> any Kernel {
        PadAVX512(input: s.input, output: s.output, before: s.before, elementSize: s.elementSize, fill: s.fill, inputOffset: o.input, outputOffset: o.output)
    }

    static func reference(_ s: Setup, _ o: KernelOperands) -> any Kernel {
        PadReference(input: s.input, output: s.output, before: s.before, elementSize: s.elementSize, fill: s.fill, inputOffset: o.input, outputOffset: o.output)
    }

    static let qs8 = OpKernels<Setup>(op: "pad", datatype: "qs8", variants: [
        KernelVariant(isa: .avx512, make: avx512),
        KernelVariant(isa: .micro) { PadQS8Micro.make($0, input: $1.input, output: $1.output) },
    ], reference: reference)

    static let f32 = OpKernels<Setup>(
        op: "pad", datatype: "f32",
        variants: [
            KernelVariant(isa: .avx512, make: avx512),
            KernelVariant(isa: .avx2) { s, o in
                PadF32AVX2.make(input: s.input, output: s.output, before: s.before, elementSize: s.elementSize, fill: s.fill, input: o.input, output: o.output)
            },
        ],
        reference: reference)
}
