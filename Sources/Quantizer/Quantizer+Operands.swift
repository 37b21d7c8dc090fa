import Engine
import TFLite

/// The pieces of ``Quantizer/quantize(statistics:options:)``: activation ranges, and the int8
/// operands of each kind of op.
extension Quantizer {
    /// An op's options and outputs once the RELU that follows it (if any) is fused into it.
    func fusedForm(_ op: Operator, fusedRelu relu: Int?) -> (BuiltinOptions, [Int]) {
        guard let relu else { return (op.options, op.outputs) }
        let act: Activation = graph.builtin(relu) == .relu6 ? .relu6 : .relu
        var opts = op.options
        switch opts {
        case .conv2D(var c): c.activation = act; opts = .conv2D(c)
        case .depthwiseConv2D(var c): c.activation = act; opts = .depthwiseConv2D(c)
        case .add(_, let pot): opts = .add(activation: act, potScaleInt16: pot)
        case .none: opts = .add(activation: act, potScaleInt16: true)
        default: break
        }
        return (opts, graph.op(relu).outputs)
    }

    /// The inputs of an op whose int8 form takes its activations as they are (ADD, PAD, pooling,
    /// RESHAPE, CONCATENATION, RELU, RESIZE_BILINEAR, DEPTH_TO_SPACE): activations, and integer constants copied.
    func sharedInputs(_ k: Int, op: Operator, builtin: BuiltinOperator, blueprint b: inout ModelBlueprint,
                      addTensor: (Tensor) -> Int, activation: (Int) -> Int) throws -> [Int] {
        let g = graph.graph
        var newInputs: [Int] = []
                for t in op.inputs {
                    if t < 0 { newInputs.append(t); continue }
                    if let raw = graph.rawConstants[t] {
                        let c = g.tensors[t]
                        newInputs.append(addTensor(Tensor(name: c.name, shape: c.shape, type: c.type, buffer: b.addBuffer(raw))))
                    } else if graph.constants[t] != nil {
                        throw QuantizerError("op \(k) (\(builtin)): constant float operand '\(g.tensors[t].name)' is not supported")
                    } else {
                        newInputs.append(activation(t))
                    }
                }
        return newInputs
    }

    /// Each activation's int8 quantization: its calibrated range (score heads the full range),
    /// united over the tensors that must share one, score heads and regressors clipped.
    func activationParameters(statistics: [Int: TensorStatistics], options: QuantizerOptions, groups: [Int: Int],
                              scores: Set<Int>) throws -> (Int) -> Quantization {
        let g = graph.graph
        // Ranges: each tensor's, then the union over its group.
        var range: [Int: (Float, Float)] = [:]
        var linearDepthwise = Set<Int>()
        if options.depthwisePercentile != nil {
            let fused = Set(fusions().values)
            for k in graph.ops where graph.builtin(k) == .depthwiseConv2D && !fused.contains(k)
                && graph.op(k).options.activation == Activation.none {
                linearDepthwise.formUnion(graph.op(k).outputs)
            }
        }
        for t in graph.activations {
            guard let s = statistics[t] else { throw QuantizerError("no calibration statistics for tensor \(t) '\(g.tensors[t].name)'") }
            // Score heads keep their full calibrated range: clipping them caps confident faces.
            let percentile = linearDepthwise.contains(t) ? options.depthwisePercentile ?? options.percentile : options.percentile
            range[t] = s.range(scores.contains(t) ? .minmax : options.method, percentile: percentile)
        }
        if let r = options.inputRange { for t in g.inputs { range[t] = (Swift.min(r.lowerBound, 0), Swift.max(r.upperBound, 0)) } }
        var groupRange: [Int: (Float, Float)] = [:]
        for (t, root) in groups {
            guard let r = range[t] else { continue }
            let old = groupRange[root] ?? r
            groupRange[root] = (Swift.min(old.0, r.0), Swift.max(old.1, r.1))
        }
        for root in Set(groups.filter { scores.contains($0.key) }.values) {
            if let r = groupRange[root] {
                groupRange[root] = (Swift.max(r.0, options.scoreLogits.lowerBound),
                                    Swift.max(Swift.min(r.1, options.scoreLogits.upperBound), options.minimumScoreLogit))
            }
        }
        if let limit = options.regressorLimit, let side = g.inputs.first.map({ g.tensors[$0].shape }).flatMap({ $0.count == 4 ? $0[1] : nil }) {
            let m = limit * Float(side)
            let roots = Set(g.outputs.filter { g.tensors[$0].shape.last == 16 }.compactMap { groups[$0] })
            for root in roots {
                if let r = groupRange[root] { groupRange[root] = (Swift.max(r.0, -m), Swift.min(r.1, m)) }
            }
        }
        return { t in
            let r = groups[t].flatMap { groupRange[$0] } ?? range[t] ?? (0, 0)
            return activationQuantization(min: r.0, max: r.1)
        }

    }

    /// The int8 inputs of a CONV_2D or DEPTHWISE_CONV_2D: the activation, per-channel int8
    /// weights and int32 biases (scale = input scale x weight scale).
    func weightedInputs(_ k: Int, op: Operator, builtin: BuiltinOperator, options: QuantizerOptions, blueprint b: inout ModelBlueprint,
                        addTensor: (Tensor) -> Int, activation: (Int) -> Int, inputScale: (Int) -> Float) throws -> [Int] {
        let g = graph.graph
        var newInputs: [Int] = []
                guard op.inputs.count >= 2, let x = op.inputs.first, x >= 0, !graph.isConstant(x),
                      let w = graph.constants[op.inputs[1]] else {
                    throw QuantizerError("op \(k) (\(builtin)): expects an activation input and constant float weights")
                }
                let xq = activation(x)
                let inScale = Double(inputScale(xq))
                let wt = g.tensors[op.inputs[1]]
                let axis = builtin == .conv2D ? 0 : wt.shape.count - 1
                let (wq, wScales) = try Self.quantizeWeights(w, shape: wt.shape, axis: axis, perChannel: options.perChannel)
                let wIndex = addTensor(Tensor(name: wt.name, shape: wt.shape, type: .int8,
                                              buffer: b.addBuffer(wq.map { UInt8(bitPattern: $0) }),
                                              quantization: Quantization(scale: wScales, zeroPoint: Array(repeating: 0, count: wScales.count),
                                                                         quantizedDimension: wScales.count > 1 ? axis : 0)))
                newInputs = [xq, wIndex]
                if op.inputs.count >= 3, op.inputs[2] >= 0 {
                    guard let bias = graph.constants[op.inputs[2]] else {
                        throw QuantizerError("op \(k) (\(builtin)): bias '\(g.tensors[op.inputs[2]].name)' is not a float constant")
                    }
                    let channels = wt.shape[axis]
                    guard bias.count == channels else {
                        throw QuantizerError("op \(k) (\(builtin)): \(bias.count) biases for \(channels) output channels")
                    }
                    let bScales = (0..<channels).map { Float(inScale * Double(wScales.count > 1 ? wScales[$0] : wScales[0])) }
                    var bytes: [UInt8] = []
                    let correction = options.biasCorrection[k].flatMap { $0.count == channels ? $0 : nil }
                    for c in 0..<channels {
                        let q = ((Double(bias[c]) - Double(correction?[c] ?? 0)) / Double(bScales[c])).rounded()
                        appendLE(Int32(Swift.max(-2147483647.0, Swift.min(2147483647.0, q))), to: &bytes)
                    }
                    let bt = g.tensors[op.inputs[2]]
                    newInputs.append(addTensor(Tensor(name: bt.name, shape: bt.shape, type: .int32, buffer: b.addBuffer(bytes),
                                                      quantization: Quantization(scale: wScales.count > 1 ? bScales : [bScales[0]],
                                                                                 zeroPoint: Array(repeating: 0, count: wScales.count > 1 ? channels : 1),
                                                                                 quantizedDimension: 0))))
                }
        return newInputs
    }

    /// `min_runtime_version` (1.14.0, as TensorFlow Lite's converter writes for these ops) and
    /// `blazeface_quantizer` (what made the file).
    static func addMetadata(to b: inout ModelBlueprint, provenance: String) {
        var version = Array("1.14.0".utf8)
        version += [UInt8](repeating: 0, count: 16 - version.count)
        b.addMetadata(name: "min_runtime_version", bytes: version)
        b.addMetadata(name: "blazeface_quantizer", bytes: Array(provenance.utf8))
    }

    /// The real range each int8 score tensor can represent, by tensor index in the new model.
    static func scoreRanges(tensors: [Tensor], floatOf: [Int: Int], scores: Set<Int>) -> [Int: ClosedRange<Float>] {
        var ranges: [Int: ClosedRange<Float>] = [:]
        for (q, f) in floatOf where scores.contains(f) {
            if let p = tensors[q].quantization, let s = p.scale.first, let z = p.zeroPoint.first {
                ranges[q] = s * Float(-128 - z)...s * Float(127 - z)
            }
        }
        return ranges
    }
}
