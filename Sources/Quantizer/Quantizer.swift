import Engine
import TFLite

/// Options of ``Quantizer/quantize(statistics:options:)``.
public struct QuantizerOptions: Sendable, Hashable {
    /// How activation ranges are chosen.
    public var method: CalibrationMethod
    /// The percentile kept by ``CalibrationMethod/percentile`` (of each tail: 99.99 keeps all but
    /// the lowest and highest 0.01 %).
    public var percentile: Double
    /// The percentile kept for the outputs of DEPTHWISE_CONV_2D ops without an activation (the
    /// linear middle of each BlazeBlock, feeding a 1x1 conv), nil: ``percentile``. Their tails
    /// are heavy and the 1x1 conv after them mixes every channel, so clipping them costs more
    /// than their resolution gains.
    public var depthwisePercentile: Double?
    /// One weight scale per output channel (TFLite's default); false: one per tensor (ablation).
    public var perChannel: Bool
    /// The float range the QUANTIZE at the graph input takes, nil: the calibrated range.
    public var inputRange: ClosedRange<Float>?
    /// The range of score-head logits (the outputs of shape [..., 1] and every tensor sharing their
    /// quantization): the calibrated extremes clipped to it, and its upper end at least 5.3
    /// (score 0.995) so that a confident face is never capped. Logits below the lower end all
    /// mean "no face" (sigmoid(-8) = 0.0003); a narrow range keeps the scores that decide
    /// detection (0.25 to 0.99) finely resolved.
    public var scoreLogits: ClosedRange<Float>
    /// The smallest upper end of score-head ranges, in logits (5.3: score 0.995).
    public var minimumScoreLogit: Float
    /// The largest magnitude of the regressor outputs ([..., 16]: box and six keypoints, in model
    /// input pixels) and of the tensors sharing their quantization, as a fraction of the input's side:
    /// 1 keeps boxes up to the whole frame away. Black letterbox padding drives MediaPipe's float
    /// regressors to thousands of pixels; without the limit they set the output's step (4 pixels
    /// on the back model instead of 2). Nil: no limit.
    public var regressorLimit: Float?
    /// What made the file, stored in its `blazeface_quantizer` metadata.
    public var provenance: String
    /// Amounts subtracted from the biases of CONV_2D and DEPTHWISE_CONV_2D ops, by op index in the
    /// float model, one per output channel in float units (``Quantizer/biasCorrections(statistics:options:rounds:count:input:)``).
    public var biasCorrection: [Int: [Float]] = [:]

    /// Defaults: percentile 99.99, per-channel weights, score heads up to at least 0.995.
    public init(method: CalibrationMethod = .percentile, percentile: Double = 99.99, perChannel: Bool = true,
                inputRange: ClosedRange<Float>? = nil, scoreLogits: ClosedRange<Float> = -8...10,
                minimumScoreLogit: Float = 5.3, regressorLimit: Float? = 1, provenance: String = "") {
        self.scoreLogits = scoreLogits
        self.regressorLimit = regressorLimit
        self.method = method
        self.percentile = percentile
        self.perChannel = perChannel
        self.inputRange = inputRange
        self.minimumScoreLogit = minimumScoreLogit
        self.provenance = provenance
    }
}

/// A full-integer model made by ``Quantizer``: the file's bytes and, for reports, which float
/// tensor each of its int8 tensors stands for.
public struct QuantizedModel: Sendable {
    /// The model, as values.
    public var blueprint: ModelBlueprint
    /// The `.tflite` bytes.
    public var bytes: [UInt8]
    /// Quantized tensor index -> float model tensor index, for every int8 activation.
    public var floatTensor: [Int: Int]
    /// Quantized tensors of the score heads, whose range is clipped by design
    /// (``QuantizerOptions/scoreLogits``), with that range.
    public var scoreTensors: [Int: ClosedRange<Float>] = [:]
}

/// Quantizes a float BlazeFace-family model (or any float graph of CONV_2D, DEPTHWISE_CONV_2D,
/// ADD, PAD, MAX_POOL_2D, RESHAPE, CONCATENATION, RELU, RELU6, RESIZE_BILINEAR, DEPTH_TO_SPACE,
/// with float32, float16 or sparse
/// constants) to int8 with TensorFlow Lite's conventions:
///
/// - weights: symmetric int8, zero point 0, range ±127, one scale per output channel (axis 0 of
///   CONV_2D filters, axis 3 of DEPTHWISE_CONV_2D filters) or per tensor;
/// - biases: int32, scale = input scale × weight scale (per channel), zero point 0;
/// - activations: asymmetric int8, range from calibration always containing 0;
///   `scale = (max - min) / 255`, `zeroPoint = round(-128 - min / scale)`;
/// - RELU/RELU6 after a CONV_2D, DEPTHWISE_CONV_2D or ADD whose output feeds nothing else are
///   fused into it (its output range is then the activation's);
/// - PAD, MAX_POOL_2D, RESHAPE, CONCATENATION, RESIZE_BILINEAR and DEPTH_TO_SPACE share one
///   quantization between their inputs and output (the union of their ranges), as TFLite's int8
///   kernels require;
/// - a QUANTIZE takes the float input, a DEQUANTIZE gives each float output.
public struct Quantizer {
    let graph: FloatGraph

    /// The float model quantized (after ``equalizingDepthwise(count:input:)``, the equalized one,
    /// whose tensors are the ones the int8 model's stand for).
    public var floatModel: TFLiteModel { graph.model }

    /// Reads the float model's graph.
    ///
    /// - Throws: ``QuantizerError`` when it has several subgraphs or constants it cannot read.
    public init(model: TFLiteModel) throws {
        graph = try FloatGraph(model)
    }

    /// Runs the float model on `inputs` (each the float values of the graph input) and returns
    /// each float activation's statistics.
    public func calibrate(inputs: [[Float]]) throws -> [Int: TensorStatistics] {
        try calibrate(count: inputs.count) { inputs[$0] }
    }

    /// Runs the float model on `count` inputs made one at a time by `input(k)` (so that they need
    /// not all be in memory) and returns each float activation's statistics.
    public func calibrate(count: Int, input: (Int) throws -> [Float]) throws -> [Int: TensorStatistics] {
        guard count > 0 else { throw QuantizerError("no calibration inputs") }
        return try Calibrator(graph).statistics(count: count, input: input)
    }

    // MARK: - Plan

    /// Fused activation ops: RELU/RELU6 op index -> producer op index.
    func fusions() -> [Int: Int] {
        let consumers = graph.consumers
        var producer: [Int: Int] = [:]
        for k in graph.ops { for t in graph.op(k).outputs { producer[t] = k } }
        var fused: [Int: Int] = [:]
        for k in graph.ops where graph.builtin(k) == .relu || graph.builtin(k) == .relu6 {
            guard let input = graph.op(k).inputs.first, let p = producer[input],
                  consumers[input]?.count == 1, !graph.graph.outputs.contains(input) else { continue }
            let b = graph.builtin(p)
            guard [.conv2D, .depthwiseConv2D, .add].contains(b), graph.op(p).options.activation == Activation.none else { continue }
            fused[k] = p
        }
        return fused
    }

    /// Groups of tensors that must share one quantization (union-find roots).
    func sharedGroups(fusions: [Int: Int]) -> [Int: Int] {
        var parent: [Int: Int] = [:]
        func find(_ x: Int) -> Int {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[ra] = rb }
        }
        for k in graph.ops where fusions[k] == nil {
            let op = graph.op(k)
            switch graph.builtin(k) {
            case .pad, .maxPool2D, .reshape, .resizeBilinear, .depthToSpace:
                if let i = op.inputs.first, let o = op.outputs.first { union(i, o) }
            case .concatenation:
                if let o = op.outputs.first { for i in op.inputs where i >= 0 { union(i, o) } }
            default: break
            }
        }
        var roots: [Int: Int] = [:]
        for t in graph.activations { roots[t] = find(t) }
        return roots
    }

    /// Tensors that end in a score output ([.., 1] float outputs) through shared quantization.
    func scoreTensors(groups: [Int: Int]) -> Set<Int> {
        let scoreRoots = Set(graph.graph.outputs.filter { graph.graph.tensors[$0].shape.last == 1 }.compactMap { groups[$0] })
        return Set(groups.filter { scoreRoots.contains($0.value) }.keys)
    }

    // MARK: - Quantize

    /// Builds the int8 model from calibration statistics.
    ///
    /// - Throws: ``QuantizerError`` naming an op this quantizer does not handle, or a tensor
    ///   without statistics.
    public func quantize(statistics: [Int: TensorStatistics], options: QuantizerOptions) throws -> QuantizedModel {
        let g = graph.graph
        let fusions = fusions()
        let fusedProducers = Dictionary(uniqueKeysWithValues: fusions.map { ($0.value, $0.key) })
        let groups = sharedGroups(fusions: fusions)
        let scores = scoreTensors(groups: groups)

        let params = try activationParameters(statistics: statistics, options: options, groups: groups, scores: scores)
        var b = ModelBlueprint(description: "blazeface quantizer", operatorCodes: [], subgraphs: [], buffers: [[]])
        var tensors: [Tensor] = []
        var newIndex: [Int: Int] = [:]
        var floatOf: [Int: Int] = [:]
        var codes: [BuiltinOperator: Int] = [:]
        var ops: [Operator] = []
        // Versions as TFLite's converter writes them; RESIZE_BILINEAR with half-pixel centres is 3.
        let halfPixel = graph.ops.contains { graph.builtin($0) == .resizeBilinear && graph.op($0).options == .resizeBilinear(alignCorners: false, halfPixelCenters: true) }
        func code(_ op: BuiltinOperator) -> Int {
            if let c = codes[op] { return c }
            b.operatorCodes.append(OperatorCode(builtin: op, version: op == .resizeBilinear && halfPixel ? 3 : Self.int8Version(op)))
            codes[op] = b.operatorCodes.count - 1
            return b.operatorCodes.count - 1
        }
        func addTensor(_ t: Tensor) -> Int {
            tensors.append(t)
            return tensors.count - 1
        }
        func activation(_ t: Int) -> Int {
            if let n = newIndex[t] { return n }
            let f = g.tensors[t]
            let n = addTensor(Tensor(name: f.name, shape: f.shape, type: .int8, quantization: params(t)))
            newIndex[t] = n
            floatOf[n] = t
            return n
        }

        // Graph inputs: float32 -> QUANTIZE -> int8.
        var inputs: [Int] = []
        for t in g.inputs {
            let f = g.tensors[t]
            guard f.type == .float32 else { throw QuantizerError("graph input '\(f.name)' is \(f.type), expected float32") }
            let floatIn = addTensor(Tensor(name: f.name, shape: f.shape, type: .float32))
            inputs.append(floatIn)
            let q = addTensor(Tensor(name: f.name + "_int8", shape: f.shape, type: .int8, quantization: params(t)))
            newIndex[t] = q
            floatOf[q] = t
            ops.append(Operator(opcodeIndex: code(.quantize), inputs: [floatIn], outputs: [q], options: .empty(unionType: 89)))
        }

        for k in graph.ops where fusions[k] == nil {
            let op = graph.op(k)
            let builtin = graph.builtin(k)
            let (opts, opOutputs) = fusedForm(op, fusedRelu: fusedProducers[k])
            var newInputs: [Int] = []
            switch builtin {
            case .conv2D, .depthwiseConv2D:
                newInputs = try weightedInputs(k, op: op, builtin: builtin, options: options, blueprint: &b, addTensor: addTensor, activation: activation,
                                               inputScale: { tensors[$0].quantization?.scale.first ?? 1 })
            case .add, .pad, .maxPool2D, .reshape, .concatenation, .relu, .relu6, .resizeBilinear, .depthToSpace:
                newInputs = try sharedInputs(k, op: op, builtin: builtin, blueprint: &b, addTensor: addTensor, activation: activation)
            default:
                throw QuantizerError("op \(k) (\(builtin)) is not supported by the quantizer")
            }
            let newOutputs = opOutputs.map { activation($0) }
            ops.append(Operator(opcodeIndex: code(builtin), inputs: newInputs, outputs: newOutputs, options: opts))
        }

        // Graph outputs: int8 -> DEQUANTIZE -> float32 under the float model's names.
        var outputs: [Int] = []
        for t in g.outputs {
            guard let q = newIndex[t] else { throw QuantizerError("graph output '\(g.tensors[t].name)' is not computed") }
            let f = g.tensors[t]
            tensors[q].name = f.name + "_int8"
            let out = addTensor(Tensor(name: f.name, shape: f.shape, type: .float32))
            ops.append(Operator(opcodeIndex: code(.dequantize), inputs: [q], outputs: [out], options: .empty(unionType: 38)))
            outputs.append(out)
        }
        b.subgraphs = [Subgraph(tensors: tensors, inputs: inputs, outputs: outputs, operators: ops, name: g.name)]
        Self.addMetadata(to: &b, provenance: options.provenance)
        return QuantizedModel(blueprint: b, bytes: try ModelWriter.serialize(b), floatTensor: floatOf,
                              scoreTensors: Self.scoreRanges(tensors: tensors, floatOf: floatOf, scores: scores))
    }

    /// The operator version TensorFlow Lite's converter writes for the op's int8 form (DEPTH_TO_SPACE:
    /// 1, version 2 is uint8; RESIZE_BILINEAR with half-pixel centres: 3, set by the caller).
    static func int8Version(_ op: BuiltinOperator) -> Int {
        switch op {
        case .conv2D, .depthwiseConv2D: return 3
        case .add, .pad, .maxPool2D, .concatenation, .dequantize, .relu, .relu6, .resizeBilinear: return 2
        default: return 1
        }
    }

    /// Symmetric int8 weights (zero point 0, ±127): per channel along `axis`, or one scale.
    static func quantizeWeights(_ w: [Float], shape: [Int], axis: Int, perChannel: Bool) throws -> ([Int8], [Float]) {
        guard shape.indices.contains(axis), shape.reduce(1, *) == w.count else {
            throw QuantizerError("weights of shape \(shape) do not match \(w.count) values")
        }
        let channels = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var maxAbs = [Float](repeating: 0, count: perChannel ? channels : 1)
        for (i, v) in w.enumerated() {
            let c = perChannel ? (i / inner) % channels : 0
            maxAbs[c] = Swift.max(maxAbs[c], abs(v))
        }
        let scales = maxAbs.map { $0 > 0 ? $0 / 127 : 1 }
        let q = w.enumerated().map { i, v -> Int8 in
            let c = perChannel ? (i / inner) % channels : 0
            return Int8(Swift.max(-127, Swift.min(127, (v / scales[c]).rounded())))
        }
        return (q, scales)
    }
}

/// TFLite's asymmetric int8 parameters for the range [min, max] (widened to contain 0).
func activationQuantization(min: Float, max: Float) -> Quantization {
    let lo = Double(Swift.min(min, 0)), hi = Double(Swift.max(max, 0))
    let scale = hi > lo ? (hi - lo) / 255 : 1
    let zeroPoint = Swift.max(-128, Swift.min(127, (-128 - lo / scale).rounded()))
    return Quantization(scale: [Float(scale)], zeroPoint: [Int64(zeroPoint)], quantizedDimension: 0)
}

func appendLE<T: FixedWidthInteger>(_ v: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
}
