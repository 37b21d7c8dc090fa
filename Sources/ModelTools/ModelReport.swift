import Foundation
import Engine
import TFLite

/// What `blazeface inspect` shows: the ops in execution order and the model's totals (parameters,
/// MACs, constant bytes, activation memory, representable output ranges). `Codable` for `--json`.
public struct ModelReport: Codable, Sendable {
    /// One operator row.
    public struct Op: Codable, Sendable {
        public var index: Int
        public var op: String
        public var options: String
        public var inputs: [String]
        public var output: String
        public var quantization: String
        public var macs: Int
        /// False when the op was folded at prepare time.
        public var runs: Bool
        /// The kernel variant that runs the op (``PreparedOp/kernelName``), e.g. `conv2d.qs8.avx512vnni`.
        public var kernel: String?
    }

    /// Constant payload of the file, by role.
    public struct ConstantBytes: Codable, Sendable {
        public var weights: Int
        public var biases: Int
        public var other: Int
        public var total: Int { weights + biases + other }
    }

    /// Activation memory, in bytes.
    public struct Memory: Codable, Sendable {
        /// The arena this engine allocates: every non-constant tensor, float input and outputs included.
        public var arenaWithIO: Int
        /// The same planner on internal activations only (input and float outputs in caller buffers).
        public var arenaActivations: Int
        /// No tensor-level plan of the internal activations can be smaller than this.
        public var lowerBound: Int
        /// Op index at which the lower bound is reached.
        public var peakOp: Int
        /// Tensors alive at the peak (name and bytes).
        public var peakTensors: [String]
        /// The compact plan (``EngineOptions/Memory/compact``), or nil if the model could not be
        /// prepared that way.
        public var compact: CompactMemory?
    }

    /// The compact plan: the whole arena an interpreter allocates with it.
    public struct CompactMemory: Codable, Sendable {
        /// Arena bytes: the 8-bit (quantized) input, every remaining activation, the scratch
        /// bands of the fused groups and the float outputs.
        public var arena: Int
        /// No placement of the same buffers can be smaller.
        public var lowerBound: Int
        /// Op index of the peak, and the buffers alive there (tensor shape and bytes, or scratch).
        public var peakOp: Int
        public var peakBuffers: [String]
        /// The graph input takes 8-bit pixels directly (``Interpreter/setInput(_:pixels:)``).
        public var pixelInput: Bool
        /// The input QUANTIZE is done while the input is copied in (no float input buffer).
        public var inputQuantizedOnCopy: Bool
        /// ADDs fused with their 1x1 conv, how many of them also with a channel PAD, how many
        /// written over their skip operand; pixels per band.
        public var fusedAdds: Int
        public var fusedPads: Int
        public var inPlaceAdds: Int
        public var bandPixels: Int
        /// Tensors that do not exist in the compact arena (indices).
        public var unmaterialized: [Int]
    }

    /// The real values a quantized output can represent, and for score heads their sigmoid.
    public struct OutputRange: Codable, Sendable {
        public var name: String
        public var shape: [Int]
        public var scale: Float
        public var zeroPoint: Int
        public var min: Float
        public var max: Float
        /// sigmoid(min), sigmoid(max) for outputs whose last dimension is 1 (score logits).
        public var scoreMin: Float?
        public var scoreMax: Float?
    }

    public var model: String
    public var ops: [Op]
    public var parameters: Int
    public var macs: Int
    public var constantBytes: ConstantBytes
    public var memory: Memory
    public var inputs: [String]
    public var outputs: [String]
    public var outputRanges: [OutputRange]

    /// Builds the report of a prepared model.
    public init(_ c: CompiledModel) {
        model = c.model.source
        (ops, parameters, constantBytes) = Self.opsAndConstants(c)
        macs = c.ops.reduce(0) { $0 + $1.macs }
        memory = Self.memory(c)
        inputs = c.inputs.map(Self.shape)
        outputs = c.outputs.map { "\($0.name): \(Self.shape($0))" }
        outputRanges = Self.outputRanges(c)
    }

    static func shape(_ t: TensorInfo) -> String { "\(t.type)[\(t.shape.map(String.init).joined(separator: "x"))]" }

    static func quant(_ t: TensorInfo) -> String {
        if t.scales.isEmpty { return "" }
        if t.scales.count == 1 { return String(format: "s=%.6g z=%d", t.scales[0], Int(t.zeroPoints.first ?? 0)) }
        return "per-channel(\(t.scales.count), axis \(t.quantizedDimension))"
    }

    /// The op rows, the parameter count and the constant bytes by role.
    static func opsAndConstants(_ c: CompiledModel) -> ([Op], Int, ConstantBytes) {
        var ops: [Op] = []
        var weights = 0, biases = 0, other = 0, params = 0
        var counted = Set<Int>()
        // A DEQUANTIZE of a constant feeds the conv: attribute its source to the conv's role.
        var foldedSource: [Int: Int] = [:]
        for op in c.ops where !op.runs { if let i = op.inputs.first, let o = op.outputs.first { foldedSource[o] = i } }
        for op in c.ops {
            let ins = op.inputs.filter { $0 >= 0 }.map { c.tensors[$0] }
            let out = op.outputs.first.map { c.tensors[$0] }
            ops.append(Op(index: op.index, op: op.op.description, options: Self.describe(op.options),
                          inputs: ins.map { c.foldedConstants.contains($0.index) || c.model.constantData(tensor: $0.index) != nil ? "const " + shape($0) : shape($0) },
                          output: out.map(shape) ?? "", quantization: out.map(quant) ?? "", macs: op.macs, runs: op.runs,
                          kernel: op.kernelName))
            guard op.runs else { continue }
            for (k, t) in op.inputs.enumerated() where t >= 0 {
                let source = foldedSource[t] ?? t
                guard !counted.contains(source), let data = c.model.constantData(tensor: source) else { continue }
                counted.insert(source)
                let isConv = op.op == .conv2D || op.op == .depthwiseConv2D
                if isConv && k == 1 {
                    weights += data.count
                    params += c.tensors[source].elementCount
                } else if isConv && k == 2 {
                    biases += data.count
                    params += c.tensors[source].elementCount
                } else {
                    other += data.count
                }
            }
        }
        return (ops, params, ConstantBytes(weights: weights, biases: biases, other: other))
    }

    /// Both memory plans of the model (the other one prepared again with the same kernels).
    static func memory(_ c: CompiledModel) -> Memory {
        let ap = c.activationPlan
        let peak = c.tensors.filter { t in
            guard let first = Self.lifetime(of: t.index, in: c) else { return false }
            return first.0 <= ap.peakStep && ap.peakStep <= first.1 && c.activationPlan.offsets[t.index] != nil
        }
        let full = c.options.memory == .allTensors ? c
            : try? CompiledModel(model: c.model, options: EngineOptions(kernels: c.options.kernels, memory: .allTensors))
        let compact = c.options.memory == .compact ? c
            : try? CompiledModel(model: c.model, options: EngineOptions(kernels: c.options.kernels, memory: .compact))
        return Memory(arenaWithIO: full?.plan.arenaSize ?? 0, arenaActivations: ap.arenaSize, lowerBound: ap.lowerBound,
                      peakOp: ap.peakStep, peakTensors: peak.map { "\(shape($0)) \($0.byteCount) B" },
                      compact: compact.map { k in
            let p = k.plan
            let live = k.planBuffers.filter { $0.firstUse <= p.peakStep && p.peakStep <= $0.lastUse }
            return CompactMemory(
                arena: p.arenaSize, lowerBound: p.lowerBound, peakOp: p.peakStep,
                peakBuffers: live.map { b in
                    k.tensors.indices.contains(b.tensor) ? "\(shape(k.tensors[b.tensor])) \(b.size) B" : "scratch \(b.size) B"
                },
                pixelInput: k.acceptsPixels(), inputQuantizedOnCopy: k.ops.contains { $0.runsAtInput },
                fusedAdds: k.fusedAdds.count, fusedPads: k.fusedAdds.filter { $0.pad != nil }.count,
                inPlaceAdds: k.fusedAdds.filter(\.inPlace).count, bandPixels: CompiledModel.bandPixels,
                unmaterialized: k.unmaterialized)
        })
    }

    /// Each float output traced back through DEQUANTIZE (and RESHAPE) to its int8 source.
    static func outputRanges(_ c: CompiledModel) -> [OutputRange] {
        var producer: [Int: PreparedOp] = [:]
        for op in c.ops { for o in op.outputs { producer[o] = op } }
        return c.outputs.compactMap { out in
            var t = out.index
            while let p = producer[t], p.op == .dequantize || p.op == .reshape, let i = p.inputs.first {
                t = i
                if c.tensors[t].type == .int8 { break }
            }
            let q = c.tensors[t]
            guard q.type == .int8, q.isPerTensorQuantized, let s = q.scales.first, let z = q.zeroPoints.first else { return nil }
            let lo = s * Float(-128 - z), hi = s * Float(127 - z)
            let isScore = out.shape.last == 1
            func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
            return OutputRange(name: out.name, shape: out.shape, scale: s, zeroPoint: Int(z), min: lo, max: hi,
                               scoreMin: isScore ? sigmoid(lo) : nil, scoreMax: isScore ? sigmoid(hi) : nil)
        }
    }

    static func lifetime(of tensor: Int, in c: CompiledModel) -> (Int, Int)? {
        var first: Int?, last: Int?
        if c.inputIndices.contains(tensor) { first = 0; last = 0 }
        for op in c.ops where op.runs {
            if op.outputs.contains(tensor) { first = first ?? op.index; last = max(last ?? op.index, op.index) }
            if op.inputs.contains(tensor) { last = max(last ?? op.index, op.index) }
        }
        if c.outputIndices.contains(tensor) { last = c.ops.count }
        guard let f = first, let l = last else { return nil }
        return (f, l)
    }

    static func describe(_ o: BuiltinOptions) -> String {
        switch o {
        case .conv2D(let c):
            return "\(c.padding) s\(c.strideH)x\(c.strideW)" + (c.dilationH > 1 || c.dilationW > 1 ? " d\(c.dilationH)x\(c.dilationW)" : "") + (c.activation == .none ? "" : " \(c.activation)")
        case .depthwiseConv2D(let c):
            return "\(c.padding) s\(c.strideH)x\(c.strideW) dm\(c.depthMultiplier)" + (c.activation == .none ? "" : " \(c.activation)")
        case .pool2D(let p):
            return "\(p.padding) \(p.filterH)x\(p.filterW) s\(p.strideH)x\(p.strideW)" + (p.activation == .none ? "" : " \(p.activation)")
        case .add(let a, _), .mul(let a): return a == .none ? "" : "\(a)"
        case .concatenation(let axis, let a): return "axis \(axis)" + (a == .none ? "" : " \(a)")
        case .reshape(let s): return s.isEmpty ? "" : "new_shape \(s)"
        case .depthToSpace(let b): return "block \(b)"
        case .resizeBilinear(let a, let h): return (a ? "align_corners " : "") + (h ? "half_pixel_centers" : "")
        case .none, .empty: return ""
        case .other(let t): return "options type \(t)"
        }
    }
}
