import CMicroPlan
import TFLite

extension ReshapeReference: MicroStepKernel {
    func step(op: Int) -> MicroStep { MicroStep(op: op, params: .copy(byteCount), input: input, output: output) }
}

extension ConcatenationReference: MicroStepKernel {
    func step(op: Int) -> MicroStep { MicroStep(op: op, params: .concat(outer: outer, inputs: inputs, innerBytes: innerBytes), output: output) }
}

/// Where an exported model's input and outputs live in the arena.
public struct MicroIO: Sendable {
    /// Arena byte offset of the int8 input.
    public var input: Int
    /// The int8 tensor the float input is quantized into (its values are written there).
    public var inputTensor: Int
    /// The graph's float32 outputs: arena byte offset, element count, and the quantization of the
    /// int8 tensor each was dequantized from (nil if none).
    public var outputs: [(offset: Int, count: Int, quantization: (scale: Float, zeroPoint: Int32)?)]
}

extension CompiledModel {
    /// The steps a microcontroller runs for this model: one per kernel, in order, with the same
    /// parameters and arena offsets as this host preparation.
    ///
    /// - Throws: ``EngineError`` unless the model was prepared with ``EngineOptions/Kernels/micro``
    ///   and ``EngineOptions/Memory/compact`` and every op runs a kernel the firmware has.
    public func microSteps() throws -> [MicroStep] {
        guard options.kernels == .micro, options.memory == .compact else {
            throw EngineError("a microcontroller plan needs the model prepared with the micro kernels and the compact memory plan")
        }
        var steps: [MicroStep] = []
        for op in ops where op.runs && op.fusedInto == nil && !op.runsAtInput {
            if let banded = op.kernel as? BandedKernel {
                guard let f = fusedAdds.first(where: { $0.add == op.index }) else { throw EngineError("fused group at op \(op.index) not found") }
                steps.append(try microBanded(f, banded))
            } else if let k = op.kernel as? any MicroStepKernel {
                steps.append(k.step(op: op.index))
            } else {
                throw EngineError(opIndex: op.index, opName: op.op.description,
                                  "runs \(op.kernelName ?? "no kernel"), which has no microcontroller kernel")
            }
        }
        return steps
    }

    /// The input and output places of ``microSteps()``.
    ///
    /// - Throws: ``EngineError`` unless the single input is a float tensor that only feeds a
    ///   per-tensor QUANTIZE to int8 and every output lives in the arena.
    public func microIO() throws -> MicroIO {
        guard inputIndices.count == 1, let stage = inputStages[0], let input = plan.offsets[stage.int8Tensor] else {
            throw EngineError("a microcontroller plan needs one float input that only feeds a QUANTIZE to int8")
        }
        var outputs: [(offset: Int, count: Int, quantization: (scale: Float, zeroPoint: Int32)?)] = []
        for t in outputIndices {
            guard let offset = plan.offsets[t] else { throw EngineError("output tensor \(t) has no place in the arena") }
            let producer = ops.last { $0.runs && $0.outputs.contains(t) }
            let q = producer.flatMap { $0.op == .dequantize ? $0.inputs.first : nil }.map { tensors[$0] }
            let quantization = q.flatMap { q -> (scale: Float, zeroPoint: Int32)? in
                guard q.type == .int8, q.isPerTensorQuantized, let s = q.scales.first, let z = q.zeroPoints.first else { return nil }
                return (s, Int32(truncatingIfNeeded: z))
            }
            outputs.append((offset, tensors[t].elementCount, quantization))
        }
        return MicroIO(input: input, inputTensor: stage.int8Tensor, outputs: outputs)
    }

    private func microBanded(_ f: FusedAdd, _ k: BandedKernel) throws -> MicroStep {
        let fail = { (why: String) in EngineError(opIndex: f.add, opName: "ADD", "fused group: \(why)") }
        guard f.activation == nil else { throw fail("a standalone activation has no microcontroller kernel") }
        guard let conv = k.steps.first as? ConvQS8Micro, !conv.depthwise else { throw fail("the conv is not a micro pointwise kernel") }
        let pad = f.pad == nil ? nil : k.steps.dropFirst().first as? PadQS8Micro
        guard f.pad == nil || pad != nil else { throw fail("the PAD is not a micro kernel") }
        guard let add = k.steps.dropFirst(pad == nil ? 1 : 2).first as? AddQS8Micro else { throw fail("the ADD is not a micro kernel") }
        let x = ops[f.conv].inputs[0], y = ops[f.add].outputs[0]
        guard let xo = plan.offsets[x], let so = plan.offsets[f.skip], let yo = plan.offsets[y] else { throw fail("tensors without a place") }
        let co = Int(conv.geometry.out_c), skipChannels = pad.map { Int($0.params.in_c) } ?? co
        let banded = MicroBanded(conv: conv.geometry, constants: conv.constants, pad: pad?.params, add: add.params,
                                 convOperand: f.convOperand, pixels: tensors[y].elementCount / max(1, co), bandPixels: f.bandPixels,
                                 reverse: f.inPlace && skipChannels < co, x: xo, skip: so, y: yo,
                                 scratch0: conv.output, scratch1: pad?.output ?? -1)
        return MicroStep(op: f.add, params: .banded(banded))
    }
}
