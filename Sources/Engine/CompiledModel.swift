import TFLite

/// One operator as prepared: its model index, code, tensors and kernel.
public struct PreparedOp: Sendable {
    /// Execution index (= position in the subgraph's operator list).
    public var index: Int
    public var op: BuiltinOperator
    public var inputs: [Int]
    public var outputs: [Int]
    public var options: BuiltinOptions
    /// Multiply-accumulates per run (convolutions only).
    public var macs: Int
    /// False for ops folded away at prepare time (DEQUANTIZE of a float16 constant).
    public var runs: Bool
    /// Compact plan: the ADD (op index) whose fused kernel computes this CONV_2D or PAD band by
    /// band; the op's output is then not materialised.
    public var fusedInto: Int? = nil
    /// Compact plan: this QUANTIZE of a float graph input runs while the input is copied in
    /// (``Interpreter/setInput(_:floats:)``); its output is the first tensor in the arena.
    public var runsAtInput: Bool = false
    /// The kernel variant that runs the op, `<op>.<datatype>.<isa>` (e.g. `conv2d.qs8.avx512vnni`);
    /// `fused` for ops computed by their fused group's kernel, nil for folded ops.
    public var kernelName: String? = nil
    var kernel: (any Kernel)?
}

/// One fused group of the compact plan: [RELU] (ADD(CONV_2D 1x1 (x), [PAD] (skip))) run in
/// bands of consecutive pixels, each band computed into small scratch buffers and added into the
/// output, where the RELU then clamps it in place.
public struct FusedAdd: Sendable, Hashable, Codable {
    /// Op indices: the ADD (where the fused kernel runs), the pointwise conv, the channel PAD,
    /// the standalone RELU / RELU6 that was the ADD output's only reader.
    public var add: Int, conv: Int, pad: Int?, activation: Int?
    /// Which ADD operand (0 or 1) the conv output is.
    public var convOperand: Int
    /// The tensor that becomes the ADD's other operand (the PAD's input when padded).
    public var skip: Int
    /// True when the ADD output is written over `skip`, which dies at the ADD.
    public var inPlace: Bool
    /// Pixels per band.
    public var bandPixels: Int
}

/// Runs a fused group: its band kernels in order.
struct BandedKernel: Kernel {
    let steps: [any Kernel]

    func eval(arena: UnsafeMutableRawPointer) {
        for k in steps { k.eval(arena: arena) }
    }
}

/// A float graph input that only feeds a QUANTIZE: `setInput` writes the quantized values.
struct InputStage: Sendable {
    var floatTensor: Int, int8Tensor: Int
    var scale: Float, zeroPoint: Int32
    /// The QUANTIZE variant that runs while the input is copied in.
    var quantize: (name: String, made: any QuantizeQS8Kernel)
    /// Pixels p quantize to p - 128 (proved at prepare for all 256 values).
    var pixels: Bool
}

/// A model prepared for execution: every op checked and its kernel built with all quantization
/// multipliers, shapes and constants, and the activation memory planned.
///
/// Immutable and `Sendable`: share one `CompiledModel` between threads and give each thread its
/// own ``Interpreter``, which owns the mutable arena.
public final class CompiledModel: Sendable {
    /// The model read from the file.
    public let model: TFLiteModel
    /// Tensors of subgraph 0.
    public let tensors: [TensorInfo]
    /// Operators in execution order.
    public let ops: [PreparedOp]
    /// Graph inputs and outputs (tensor indices), in model order.
    public let inputIndices: [Int]
    public let outputIndices: [Int]
    /// The arena the interpreter allocates: with ``EngineOptions/Memory/allTensors`` every
    /// non-constant tensor, the graph's input and outputs included; with
    /// ``EngineOptions/Memory/compact`` the compact plan (the quantized input, fused groups'
    /// scratch bands and outputs written over dying skip tensors, see ``fusedAdds``).
    public let plan: MemoryPlan
    /// The buffers ``plan`` placed: tensors, or, in the compact plan, a tensor standing for the
    /// chain of tensors written over it (its size the largest), and scratch bands (indices at or
    /// above `tensors.count`).
    public let planBuffers: [PlannedBuffer]
    /// Compact plan: the fused ADD groups.
    public let fusedAdds: [FusedAdd]
    /// Compact plan: tensors that do not exist in the arena (the float input quantized while
    /// copied in, the outputs of fused convs and PADs); ``Interpreter/invoke(observer:)`` does not
    /// report them. Empty with ``EngineOptions/Memory/allTensors``.
    public let unmaterialized: [Int]
    /// Graph inputs (by position) that feed a QUANTIZE proven to map pixel/255 to pixel - 128.
    let inputStages: [Int: InputStage]
    /// The same planner run on the internal activations only (graph input and float outputs
    /// excluded), i.e. what a deployment that keeps those in caller buffers needs.
    public let activationPlan: MemoryPlan
    /// The options the kernels were chosen with.
    public let options: EngineOptions
    /// Tensor indices whose values were computed at prepare time (folded constants).
    public let foldedConstants: Set<Int>

    /// Prepares subgraph 0 of `model`.
    ///
    /// - Parameter options: kernel selection; by default the fast kernels unless the environment
    ///   sets `BLAZEFACE_KERNELS=portable` or `BLAZEFACE_KERNELS=reference` (``EngineOptions/defaultKernels``).
    ///
    /// - Throws: ``EngineError`` naming the first op, type or option that is unsupported or
    ///   inconsistent (for example a shape that disagrees with the op's options).
    public init(model: TFLiteModel, options: EngineOptions = EngineOptions()) throws {
        guard let graph = model.subgraphs.first else { throw EngineError("the model has no subgraph") }
        self.model = model
        var builder = try KernelBuilder(model: model, graph: graph, options: options)
        self.options = options
        var ops: [PreparedOp] = []
        var binders: [OpPlan.Binder?] = []
        for (i, op) in graph.operators.enumerated() {
            let (prepared, binder) = try builder.prepare(op, index: i)
            ops.append(prepared)
            binders.append(binder)
        }
        tensors = builder.tensors
        foldedConstants = builder.folded
        inputIndices = graph.inputs
        outputIndices = graph.outputs
        for idx in graph.inputs + graph.outputs where builder.isConstant(idx) {
            throw EngineError("graph input/output tensor \(idx) is a constant")
        }
        let buffers = try Self.lifetimes(ops: ops, graph: graph, tensors: builder.tensors, isConstant: builder.isConstant)
        let stages = Self.inputStages(ops: ops, graph: graph, tensors: builder.tensors, selector: builder.selector)
        inputStages = stages
        let plan: MemoryPlan
        var fusedKernels: [Int: ChosenKernel] = [:]
        if options.memory == .compact {
            let layout = Self.compactLayout(ops: ops, graph: graph, tensors: builder.tensors, isConstant: builder.isConstant,
                                            pointwise: builder.pointwise, stages: stages)
            plan = layout.plan
            planBuffers = layout.buffers
            fusedAdds = layout.fusions
            unmaterialized = layout.hidden
            for f in layout.fusions {
                if let pad = f.pad { ops[pad].fusedInto = f.add }
                if let act = f.activation { ops[act].fusedInto = f.add }
                ops[f.conv].fusedInto = f.add
                fusedKernels[f.add] = Self.bandedKernel(f, ops: ops, tensors: builder.tensors, pointwise: builder.pointwise,
                                                        plan: plan, scratch: layout.scratch[f.add] ?? [])
            }
            for st in stages.values {
                if let k = ops.firstIndex(where: { $0.runs && $0.op == .quantize && $0.inputs.first == st.floatTensor }) {
                    ops[k].runsAtInput = true
                }
            }
        } else {
            plan = MemoryPlanner.plan(buffers)
            planBuffers = buffers
            fusedAdds = []
            unmaterialized = []
        }
        // Limits that keep a hostile file from exhausting memory or time.
        guard plan.arenaSize <= Self.maxArenaBytes else {
            throw EngineError("the activations need \(plan.arenaSize) bytes, more than the \(Self.maxArenaBytes)-byte limit")
        }
        let totalMACs = ops.reduce(0) { $0 + $1.macs }
        guard totalMACs <= Self.maxMACs else {
            throw EngineError("the model needs \(totalMACs) multiply-accumulates per run, more than the limit of \(Self.maxMACs)")
        }
        self.plan = plan
        // Now that every tensor has its place, give each kernel its arena offsets.
        let offset: (Int) -> Int = { plan.offsets[$0] ?? 0 }
        for i in ops.indices {
            if ops[i].fusedInto != nil || ops[i].runsAtInput {
                ops[i].kernelName = ops[i].runsAtInput ? stages.values.first { $0.int8Tensor == ops[i].outputs.first }?.quantize.name : "fused"
                continue
            }
            if let fused = fusedKernels[i] {
                ops[i].kernel = fused.kernel
                ops[i].kernelName = fused.name
            } else if let chosen = binders[i].map({ $0(offset) }) {
                ops[i].kernel = chosen.kernel
                ops[i].kernelName = chosen.name
            }
        }
        self.ops = ops
        let external = Set(graph.inputs + graph.outputs.filter { builder.tensors[$0].type == .float32 })
        activationPlan = MemoryPlanner.plan(buffers.filter { !external.contains($0.tensor) })
    }

    /// Largest activation arena the engine will allocate (1 GiB).
    public static let maxArenaBytes = 1 << 30
    /// Largest number of multiply-accumulates per run the engine accepts (10^11).
    public static let maxMACs = 100_000_000_000

    /// The byte offset of a tensor in the arena, if it lives there.
    public func arenaOffset(of tensor: Int) -> Int? {
        tensors.indices.contains(tensor) ? plan.offsets[tensor] : nil
    }

    /// True when graph input `index` accepts 8-bit pixels (``Interpreter/setInput(_:pixels:)``):
    /// it is float32 and only feeds a QUANTIZE that maps pixel / 255 to pixel - 128 for all 256
    /// pixel values (checked at prepare), as the int8 BlazeFace model's does.
    public func acceptsPixels(input index: Int = 0) -> Bool { inputStages[index]?.pixels == true }

    /// Pixels per band of the fused groups of the compact plan.
    public static let bandPixels = 256

    /// Graph input tensors.
    public var inputs: [TensorInfo] { inputIndices.map { tensors[$0] } }
    /// Graph output tensors.
    public var outputs: [TensorInfo] { outputIndices.map { tensors[$0] } }

    /// Lifetimes of every non-constant tensor: from the op that writes it (graph inputs: 0) to
    /// the last op that reads it (graph outputs: the end). Also checks execution order.
    static func lifetimes(ops: [PreparedOp], graph: Subgraph, tensors: [TensorInfo],
                          isConstant: (Int) -> Bool) throws -> [PlannedBuffer] {
        var first: [Int: Int] = [:], last: [Int: Int] = [:]
        for t in graph.inputs { first[t] = 0; last[t] = 0 }
        for op in ops where op.runs {
            for t in op.inputs where t >= 0 && !isConstant(t) {
                guard first[t] != nil else {
                    throw EngineError(opIndex: op.index, opName: op.op.description,
                                      "reads tensor \(t) '\(tensors[t].name)' before any op writes it")
                }
                last[t] = op.index
            }
            for t in op.outputs {
                if first[t] != nil {
                    throw EngineError(opIndex: op.index, opName: op.op.description,
                                      "writes tensor \(t) '\(tensors[t].name)', which is already written (graph input or earlier op)")
                }
                first[t] = op.index
                last[t] = op.index
            }
        }
        let end = ops.count
        for t in graph.outputs {
            guard first[t] != nil else { throw EngineError("graph output tensor \(t) is never written") }
            last[t] = end
        }
        return first.keys.sorted().map { t in
            PlannedBuffer(tensor: t, size: tensors[t].byteCount, firstUse: first[t] ?? 0, lastUse: last[t] ?? 0)
        }
    }
}
