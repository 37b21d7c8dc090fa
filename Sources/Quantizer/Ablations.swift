import TFLite

extension Quantizer {
    /// The float model (this quantizer's: equalized if it was) with a QUANTIZE and DEQUANTIZE
    /// after each output of the ops `activations` selects, with the parameters `quantized` gives
    /// that tensor, and with every CONV_2D and DEPTHWISE_CONV_2D filter rounded to int8 (as
    /// ``quantize(statistics:options:)`` rounds it, then dequantized) when `int8Weights`: which
    /// tensors' quantization costs accuracy, the rest staying float (an ablation; simulated
    /// quantization, so within rounding of the int8 model, not bit-exact).
    ///
    /// - Parameters:
    ///   - quantized: the int8 model made from this quantizer; nil: no activation is quantized.
    ///   - activations: selects ops by position among the float graph's ops (counted from 0
    ///     without the DEQUANTIZE/DENSIFY ops that only unpack constants). Outputs that have no
    ///     int8 tensor of their own (an op whose RELU was fused into it) are left float.
    ///   - int8Weights: round every filter to int8.
    ///   - perChannel: one weight scale per output channel, as ``QuantizerOptions/perChannel``.
    /// - Throws: ``QuantizerError`` when the weights cannot be quantized or the model written.
    public func fakeQuantized(_ quantized: QuantizedModel?, activations: (Int) -> Bool, int8Weights: Bool,
                              perChannel: Bool = true) throws -> TFLiteModel {
        let g = graph.graph
        var constants = graph.constants
        if int8Weights {
            for k in graph.ops {
                let builtin = graph.builtin(k)
                guard builtin == .conv2D || builtin == .depthwiseConv2D else { continue }
                let op = graph.op(k)
                guard op.inputs.count >= 2, let w = constants[op.inputs[1]] else { continue }
                let shape = g.tensors[op.inputs[1]].shape
                let axis = builtin == .conv2D ? 0 : shape.count - 1
                let (q, scales) = try Self.quantizeWeights(w, shape: shape, axis: axis, perChannel: perChannel)
                let inner = shape[(axis + 1)...].reduce(1, *)
                constants[op.inputs[1]] = q.enumerated().map { i, v in Float(v) * scales[scales.count > 1 ? (i / inner) % scales.count : 0] }
            }
        }
        let dense = try graph.denseFloatModel(constants: constants)
        guard let quantized else { return dense }
        var params: [Int: Quantization] = [:]
        for (q, f) in quantized.floatTensor {
            if let p = quantized.blueprint.subgraphs.first?.tensors[q].quantization { params[f] = p }
        }
        var b = try ModelBlueprint(dense)
        var sg = b.subgraphs[0]
        let qCode = b.operatorCodes.count, dqCode = qCode + 1
        b.operatorCodes.append(OperatorCode(builtin: .quantize))
        b.operatorCodes.append(OperatorCode(builtin: .dequantize))
        var replaced: [Int: Int] = [:]
        var ops: [Operator] = []
        for position in graph.ops.indices {
            var op = sg.operators[position]
            op.inputs = op.inputs.map { replaced[$0] ?? $0 }
            ops.append(op)
            guard activations(position) else { continue }
            for t in op.outputs {
                guard let p = params[t] else { continue }
                let f = sg.tensors[t]
                sg.tensors.append(Tensor(name: f.name + "/q", shape: f.shape, type: .int8, quantization: p))
                sg.tensors.append(Tensor(name: f.name + "/dq", shape: f.shape, type: .float32))
                let tq = sg.tensors.count - 2, td = sg.tensors.count - 1
                ops.append(Operator(opcodeIndex: qCode, inputs: [t], outputs: [tq]))
                ops.append(Operator(opcodeIndex: dqCode, inputs: [tq], outputs: [td]))
                replaced[t] = td
            }
        }
        sg.operators = ops
        sg.outputs = sg.outputs.map { replaced[$0] ?? $0 }
        b.subgraphs[0] = sg
        return try TFLiteModel(bytes: try ModelWriter.serialize(b), source: "<fake quantized>")
    }
}
