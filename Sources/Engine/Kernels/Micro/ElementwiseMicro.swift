import CMicroPlan
import MicroKernels

extension bf_add_t {
    /// The multipliers and offsets of `p`.
    init(_ p: AddQS8Params) {
        self.init()
        (input1_offset, input2_offset, output_offset, left_shift) = (p.input1Offset, p.input2Offset, p.outputOffset, p.leftShift)
        (input1_multiplier, input1_shift) = (p.input1Multiplier.significand, p.input1Multiplier.shift)
        (input2_multiplier, input2_shift) = (p.input2Multiplier.significand, p.input2Multiplier.shift)
        (output_multiplier, output_shift) = (p.outputMultiplier.significand, p.outputMultiplier.shift)
        (act_min, act_max) = (p.actMin, p.actMax)
    }
}

/// ADD int8 through the shared Embedded Swift kernel.
struct AddQS8Micro: MicroStepKernel {
    let params: bf_add_t
    let count: Int
    let input1: Int, input2: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let a = UnsafePointer((arena + input1).assumingMemoryBound(to: Int8.self))
        let b = UnsafePointer((arena + input2).assumingMemoryBound(to: Int8.self))
        let y = (arena + output).assumingMemoryBound(to: Int8.self)
        withUnsafePointer(to: params) { bfAdd($0, a, b, y, count: count) }
    }

    func step(op: Int) -> MicroStep {
        MicroStep(op: op, params: .add(params), input: input1, input2: input2, output: output, count: count)
    }
}

/// PAD of the channel dimension, int8, through the shared Embedded Swift kernel.
struct PadQS8Micro: MicroStepKernel {
    let params: bf_pad_t
    let pixels: Int
    let input: Int, output: Int

    /// nil unless only the last dimension is padded.
    static func make(_ s: Pad.Setup, input: Int, output: Int) -> PadQS8Micro? {
        let i = s.input, o = s.output
        guard s.elementSize == 1, i.n == o.n, i.h == o.h, i.w == o.w, s.before.n == 0, s.before.h == 0, s.before.w == 0,
              let fill = s.fill.first, i.count < 1 << 30, o.count < 1 << 30 else { return nil }
        var p = bf_pad_t()
        (p.in_c, p.before, p.after) = (Int32(i.c), Int32(s.before.c), Int32(o.c - i.c - s.before.c))
        p.fill = Int32(Int8(bitPattern: fill))
        return PadQS8Micro(params: p, pixels: i.n * i.h * i.w, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + input).assumingMemoryBound(to: Int8.self)), y = (arena + output).assumingMemoryBound(to: Int8.self)
        withUnsafePointer(to: params) { bfPadChannels($0, x, y, pixels: pixels) }
    }

    func step(op: Int) -> MicroStep { MicroStep(op: op, params: .pad(params), input: input, output: output, count: pixels) }
}

/// MAX_POOL_2D int8 through the shared Embedded Swift kernel.
struct MaxPool2DQS8Micro: MicroStepKernel {
    let params: bf_pool_t
    let input: Int, output: Int

    /// nil for a batch larger than 1.
    static func make(_ s: MaxPool2D.Setup<Int8>, input: Int, output: Int) -> MaxPool2DQS8Micro? {
        guard s.input.n == 1, s.output.n == 1, s.input.c == s.output.c, s.input.count < 1 << 30 else { return nil }
        var p = bf_pool_t()
        (p.in_h, p.in_w, p.c, p.out_h, p.out_w) = (Int32(s.input.h), Int32(s.input.w), Int32(s.input.c), Int32(s.output.h), Int32(s.output.w))
        (p.kh, p.kw, p.stride_h, p.stride_w) = (Int32(s.window.filterH), Int32(s.window.filterW), Int32(s.window.strideH), Int32(s.window.strideW))
        (p.pad_top, p.pad_left, p.act_min, p.act_max) = (Int32(s.window.padTop), Int32(s.window.padLeft), Int32(s.actMin), Int32(s.actMax))
        return MaxPool2DQS8Micro(params: p, input: input, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + input).assumingMemoryBound(to: Int8.self)), y = (arena + output).assumingMemoryBound(to: Int8.self)
        withUnsafePointer(to: params) { bfMaxPool($0, x, y) }
    }

    func step(op: Int) -> MicroStep { MicroStep(op: op, params: .maxPool(params), input: input, output: output) }
}

/// DEQUANTIZE int8 -> float32 through the shared Embedded Swift kernel.
struct DequantizeQS8Micro: MicroStepKernel {
    let params: bf_dequantize_t
    let count: Int
    let input: Int, output: Int

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + input).assumingMemoryBound(to: Int8.self)), y = (arena + output).assumingMemoryBound(to: Float.self)
        withUnsafePointer(to: params) { bfDequantize($0, x, y, count: count) }
    }

    func step(op: Int) -> MicroStep { MicroStep(op: op, params: .dequantize(params), input: input, output: output, count: count) }
}
