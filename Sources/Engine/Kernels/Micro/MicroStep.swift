import CMicroPlan
import MicroKernels

// The `micro` kernel family: the Embedded Swift kernels of Sources/MicroKernels, which the
// Cortex-M firmware runs from the same source (`blazeface export --target cortex-m55`). Each
// kernel here wraps one of them and can describe itself as a step of an exported plan.

extension bf_conv_t: @retroactive @unchecked Sendable {}
extension bf_add_t: @retroactive @unchecked Sendable {}
extension bf_pad_t: @retroactive @unchecked Sendable {}
extension bf_pool_t: @retroactive @unchecked Sendable {}
extension bf_dequantize_t: @retroactive @unchecked Sendable {}

/// One step of a model exported for a microcontroller: what the firmware runs, with its
/// parameters and arena byte offsets (see `blazeface_plan.h`).
public struct MicroStep: Sendable {
    /// What the step does, with its parameters. Pointer fields of the C structs are nil here;
    /// the constant arrays travel beside them.
    public enum Params: Sendable {
        /// CONV_2D (`depthwise` false) or DEPTHWISE_CONV_2D.
        case conv(bf_conv_t, MicroConvConstants, depthwise: Bool)
        case add(bf_add_t)
        case pad(bf_pad_t)
        case maxPool(bf_pool_t)
        case dequantize(bf_dequantize_t)
        /// A byte copy (RESHAPE) of this many bytes.
        case copy(Int)
        /// CONCATENATION: `outer` slices of each input's run of bytes (inputs at arena offsets).
        case concat(outer: Int, inputs: [Int], innerBytes: [Int])
        /// A fused group of the compact plan.
        case banded(MicroBanded)
    }

    /// The model's operator index (the ADD for a fused group).
    public var op: Int
    public var params: Params
    /// Arena byte offsets of the operands (-1: unused).
    public var input = -1, input2 = -1, output = -1
    /// Elements (ADD, DEQUANTIZE) or pixels (PAD).
    public var count = 0
}

/// A fused ADD(CONV_2D 1x1, [PAD] skip) group run band by band.
public struct MicroBanded: Sendable {
    public var conv: bf_conv_t
    public var constants: MicroConvConstants
    public var pad: bf_pad_t?
    public var add: bf_add_t
    public var convOperand: Int
    public var pixels: Int, bandPixels: Int
    public var reverse: Bool
    /// Arena byte offsets.
    public var x: Int, skip: Int, y: Int, scratch0: Int, scratch1: Int
}

/// The constant arrays of a convolution, kept alive for the C struct's pointers.
public final class MicroConvConstants: @unchecked Sendable {
    /// [out_c][kh][kw][in_c] (CONV_2D) or [kh][kw][c] (DEPTHWISE_CONV_2D).
    public let weights: [Int8]
    public let bias: [Int32], multipliers: [Int32], shifts: [Int8]
    let w: ConstantBuffer<Int8>, b: ConstantBuffer<Int32>, m: ConstantBuffer<Int32>, s: ConstantBuffer<Int8>

    init(_ p: ConvQS8Params) {
        weights = p.weights; bias = p.bias; multipliers = p.multipliers
        // QuantizeMultiplier's exponents lie in -31...30.
        shifts = p.shifts.map { Int8(clamping: $0) }
        w = ConstantBuffer(p.weights); b = ConstantBuffer(p.bias); m = ConstantBuffer(p.multipliers); s = ConstantBuffer(shifts)
    }

    /// `geometry` with its pointers set to these arrays.
    func bound(_ geometry: bf_conv_t) -> bf_conv_t {
        var c = geometry
        c.weights = UnsafePointer(w.pointer); c.bias = UnsafePointer(b.pointer)
        c.multiplier = UnsafePointer(m.pointer); c.shift = UnsafePointer(s.pointer)
        return c
    }
}

/// A kernel of the micro family: it can say which plan step it is.
protocol MicroStepKernel: Kernel {
    func step(op: Int) -> MicroStep
}

extension bf_conv_t {
    /// The geometry and quantization of `p` (pointers nil).
    init(_ p: ConvQS8Params) {
        self.init()
        (in_h, in_w, in_c) = (Int32(p.input.h), Int32(p.input.w), Int32(p.input.c))
        (out_h, out_w, out_c) = (Int32(p.output.h), Int32(p.output.w), Int32(p.output.c))
        (kh, kw) = (Int32(p.window.filterH), Int32(p.window.filterW))
        (stride_h, stride_w) = (Int32(p.window.strideH), Int32(p.window.strideW))
        (pad_top, pad_left) = (Int32(p.window.padTop), Int32(p.window.padLeft))
        (input_offset, output_offset, act_min, act_max) = (p.inputOffset, p.outputOffset, p.actMin, p.actMax)
    }
}

/// CONV_2D or DEPTHWISE_CONV_2D int8 through the shared Embedded Swift kernels.
struct ConvQS8Micro: MicroStepKernel {
    let geometry: bf_conv_t
    let constants: MicroConvConstants
    let depthwise: Bool
    let input: Int, output: Int

    /// nil outside the kernels' reach (dilation, batch > 1, depth multiplier > 1, 32-bit limits).
    static func make(_ p: ConvQS8Params, constants: MicroConvConstants, depthwise: Bool, depthMultiplier: Int = 1,
                     input: Int, output: Int) -> ConvQS8Micro? {
        let w = p.window
        guard w.dilationH == 1, w.dilationW == 1, p.input.n == 1, p.output.n == 1, depthMultiplier == 1,
              !depthwise || p.input.c == p.output.c,
              p.input.h * p.input.w * p.input.c < 1 << 30, p.output.h * p.output.w * p.output.c < 1 << 30 else { return nil }
        return ConvQS8Micro(geometry: bf_conv_t(p), constants: constants, depthwise: depthwise, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        var c = constants.bound(geometry)
        let x = UnsafePointer((arena + input).assumingMemoryBound(to: Int8.self)), y = (arena + output).assumingMemoryBound(to: Int8.self)
        withUnsafePointer(to: &c) { p in
            if depthwise {
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: Int(geometry.out_c)) { acc in
                    if let a = acc.baseAddress { bfDepthwise(p, x, y, acc: a) }
                }
            } else if bfIsPointwise(p) {
                bfConvPointwise(p, x, y, pixels: Int(geometry.out_h) * Int(geometry.out_w))
            } else {
                bfConv(p, x, y)
            }
        }
    }

    func step(op: Int) -> MicroStep {
        MicroStep(op: op, params: .conv(geometry, constants, depthwise: depthwise), input: input, output: output)
    }
}
