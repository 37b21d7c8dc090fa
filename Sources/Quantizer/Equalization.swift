import Engine
import TFLite

extension Quantizer {
    /// Cross-layer equalization of each DEPTHWISE_CONV_2D (no activation) feeding only a 1x1
    /// CONV_2D, from calibration: channel `i` of the depthwise output is divided by
    /// `s_i = sqrt(r1_i / r2_i)` (its weights and bias) and input column `i` of the 1x1 filter
    /// multiplied by it, where `r1_i` is the channel's largest |value| over the inputs and `r2_i`
    /// the column's largest |weight|. The float function is unchanged; the channels of the
    /// depthwise output, quantized with one scale, come closer to each other (Nagel et al., 2019,
    /// "Data-Free Quantization", with activation ranges for the first layer).
    ///
    /// - Returns: A quantizer of the equalized float model (same tensor indices; the constants
    ///   behind DEQUANTIZE/DENSIFY become float32 buffers) and the number of pairs equalized.
    public func equalizingDepthwise(count: Int, input: (Int) throws -> [Float]) throws -> (Quantizer, Int) {
        let g = graph.graph
        let consumers = graph.consumers
        var pairs: [(dw: Int, pw: Int, tensor: Int)] = []
        for k in graph.ops where graph.builtin(k) == .depthwiseConv2D {
            let op = graph.op(k)
            guard op.options.activation == Activation.none, let out = op.outputs.first, !g.outputs.contains(out),
                  let users = consumers[out], users.count == 1, let pw = users.first, graph.builtin(pw) == .conv2D,
                  graph.op(pw).inputs.first == out, graph.op(pw).inputs.count >= 2,
                  g.tensors[graph.op(pw).inputs[1]].shape.count == 4,
                  g.tensors[graph.op(pw).inputs[1]].shape[1] == 1, g.tensors[graph.op(pw).inputs[1]].shape[2] == 1,
                  op.inputs.count >= 2, graph.constants[op.inputs[1]] != nil, graph.constants[graph.op(pw).inputs[1]] != nil
            else { continue }
            pairs.append((k, pw, out))
        }
        // Largest |value| of each channel of the depthwise outputs.
        let compiled = try CompiledModel(model: graph.model, options: EngineOptions(memory: .allTensors))
        let interpreter = Interpreter(compiled)
        let wanted = Set(pairs.map(\.tensor))
        var channelMax: [Int: [Float]] = [:]
        for p in pairs { channelMax[p.tensor] = Array(repeating: 0, count: g.tensors[p.tensor].shape.last ?? 1) }
        for k in 0..<count {
            try interpreter.setInput(0, floats: try input(k))
            interpreter.invoke { _, t, bytes in
                guard wanted.contains(t), var m = channelMax[t] else { return }
                let v = bytes.bindMemory(to: Float.self)
                let c = m.count
                for i in 0..<v.count where v[i].isFinite { m[i % c] = max(m[i % c], abs(v[i])) }
                channelMax[t] = m
            }
        }
        var constants = graph.constants
        var equalized = 0
        for p in pairs {
            let dw = graph.op(p.dw), pw = graph.op(p.pw)
            guard let r1 = channelMax[p.tensor], var w1 = constants[dw.inputs[1]], var w2 = constants[pw.inputs[1]] else { continue }
            let c = r1.count
            let out = g.tensors[pw.inputs[1]].shape[0]
            guard w1.count % c == 0, w2.count == out * c else { continue }
            var b1 = dw.inputs.count >= 3 && dw.inputs[2] >= 0 ? constants[dw.inputs[2]] : nil
            for i in 0..<c {
                var r2: Float = 0
                for o in 0..<out { r2 = max(r2, abs(w2[o * c + i])) }
                guard r1[i] > 0, r2 > 0 else { continue }
                let s = max(1 / 64, min(64, (r1[i] / r2).squareRoot()))
                for j in stride(from: i, to: w1.count, by: c) { w1[j] /= s }
                if b1 != nil { b1?[i] /= s }
                for o in 0..<out { w2[o * c + i] *= s }
            }
            constants[dw.inputs[1]] = w1
            constants[pw.inputs[1]] = w2
            if let b1 { constants[dw.inputs[2]] = b1 }
            equalized += 1
        }
        return (try Quantizer(model: try graph.denseFloatModel(constants: constants)), equalized)
    }
}

extension FloatGraph {
    /// The model with every float constant (given values) as a float32 buffer and the ops that
    /// only computed constants (DEQUANTIZE, DENSIFY) removed; tensor indices are unchanged.
    func denseFloatModel(constants: [Int: [Float]]) throws -> TFLiteModel {
        var b = try ModelBlueprint(model)
        var g = b.subgraphs[0]
        for (t, values) in constants {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * 4)
            for v in values { appendLE(v.bitPattern, to: &bytes) }
            g.tensors[t].type = .float32
            g.tensors[t].sparsity = nil
            g.tensors[t].buffer = b.addBuffer(bytes)
        }
        g.operators = ops.map { g.operators[$0] }
        b.subgraphs[0] = g
        b.signatures = []
        return try TFLiteModel(bytes: try ModelWriter.serialize(b), source: model.source)
    }
}
