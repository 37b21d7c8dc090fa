import Engine
import TFLite

extension Quantizer {
    /// Empirical bias correction (Nagel et al., 2019, "Data-Free Quantization", section 4.2, with
    /// measured instead of modelled statistics): the int8 model and the float model run on the same
    /// inputs, and for each CONV_2D and DEPTHWISE_CONV_2D with a bias, the mean error of each output
    /// channel (dequantized int8 minus float) is subtracted from its bias. Only values the int8
    /// tensor can represent are counted (clipping by calibration is not an offset to remove), and
    /// for an op with a fused RELU/RELU6 only values where the float activation is not clamped
    /// (there the error is the pre-activation error). Each round quantizes with the corrections so
    /// far and measures again, so that the errors of earlier layers are corrected before later
    /// ones are measured.
    ///
    /// - Parameters:
    ///   - statistics: the calibration statistics ``quantize(statistics:options:)`` uses.
    ///   - options: the quantization options (their ``QuantizerOptions/biasCorrection`` is the start).
    ///   - rounds: measure-and-correct rounds.
    ///   - headsOnly: correct only the ops whose output shares its quantization with a graph output
    ///     (the heads, through RESHAPE and CONCATENATION), whose errors are not propagated further;
    ///     otherwise every conv at once, whose corrections compound (each layer's mean error also
    ///     contains the errors of the layers before it).
    ///   - count, input: the inputs to measure on (calibration inputs, never evaluation images).
    /// - Returns: The corrections by op index in the float model, per output channel, in the bias's
    ///   float units (to subtract), to pass as ``QuantizerOptions/biasCorrection``.
    /// - Throws: ``QuantizerError`` when the model cannot be quantized or either model prepared.
    public func biasCorrections(statistics: [Int: TensorStatistics], options: QuantizerOptions, rounds: Int, headsOnly: Bool = false,
                                count: Int, input makeInput: (Int) throws -> [Float]) throws -> [Int: [Float]] {
        guard count > 0 else { throw QuantizerError("bias correction needs at least one input") }
        let g = graph.graph
        let fusions = fusions()
        let fusedProducers = Dictionary(uniqueKeysWithValues: fusions.map { ($0.value, $0.key) })
        // The float tensor each corrected op's (fused) output is, its channel count, and its clamp.
        struct Target { var op: Int, channels: Int, floor: Float?, ceiling: Float? }
        var targets: [Int: Target] = [:]
        for k in graph.ops where fusions[k] == nil && [.conv2D, .depthwiseConv2D].contains(graph.builtin(k)) {
            let op = graph.op(k)
            guard op.inputs.count >= 3, op.inputs[2] >= 0, graph.constants[op.inputs[2]] != nil else { continue }
            let (opts, outs) = fusedForm(op, fusedRelu: fusedProducers[k])
            guard let out = outs.first, let c = g.tensors[out].shape.last, c > 0 else { continue }
            let act = opts.activation
            targets[out] = Target(op: k, channels: c, floor: act == .relu || act == .relu6 ? 0 : nil, ceiling: act == .relu6 ? 6 : nil)
        }
        if headsOnly {
            let groups = sharedGroups(fusions: fusions)
            let outputRoots = Set(g.outputs.compactMap { groups[$0] })
            targets = targets.filter { groups[$0.key].map(outputRoots.contains) ?? false }
        }
        let fc = try CompiledModel(model: graph.model, options: EngineOptions(memory: .allTensors))
        let fi = Interpreter(fc)
        var corrections = options.biasCorrection
        for _ in 0..<max(rounds, 0) {
            var o = options
            o.biasCorrection = corrections
            let quantized = try quantize(statistics: statistics, options: o)
            let qc = try CompiledModel(model: try TFLiteModel(bytes: quantized.bytes, source: "<bias correction>"),
                                       options: EngineOptions(memory: .allTensors))
            let qi = Interpreter(qc)
            var sums: [Int: [Double]] = [:], counts: [Int: [Double]] = [:]
            for (t, target) in targets {
                sums[t] = Array(repeating: 0, count: target.channels)
                counts[t] = Array(repeating: 0, count: target.channels)
            }
            for n in 0..<count {
                let x = try makeInput(n)
                try fi.setInput(0, floats: x)
                try qi.setInput(0, floats: x)
                var floats: [Int: [Float]] = [:]
                fi.invoke { _, t, bytes in
                    if targets[t] != nil, floats[t] == nil { floats[t] = Array(bytes.bindMemory(to: Float.self)) }
                }
                var done = Set<Int>()
                qi.invoke { _, qt, bytes in
                    guard let ft = quantized.floatTensor[qt], let target = targets[ft], let fv = floats[ft],
                          done.insert(qt).inserted, var s = sums[ft], var c = counts[ft] else { return }
                    let info = qc.tensors[qt]
                    let scale = info.scales.first ?? 1, zero = Float(info.zeroPoints.first ?? 0)
                    let lo = max(scale * (-128 - zero), target.floor ?? -.infinity)
                    let hi = min(scale * (127 - zero), target.ceiling ?? .infinity)
                    let qv = bytes.bindMemory(to: Int8.self)
                    let channels = target.channels
                    for i in 0..<min(qv.count, fv.count) {
                        let f = fv[i]
                        guard f > lo, f < hi else { continue }
                        s[i % channels] += Double(scale * (Float(qv[i]) - zero) - f)
                        c[i % channels] += 1
                    }
                    sums[ft] = s
                    counts[ft] = c
                }
            }
            for (t, target) in targets {
                guard let s = sums[t], let c = counts[t] else { continue }
                var total = corrections[target.op] ?? Array(repeating: 0, count: target.channels)
                for ch in 0..<target.channels where c[ch] > 0 { total[ch] += Float(s[ch] / c[ch]) }
                corrections[target.op] = total
            }
        }
        return corrections
    }
}
