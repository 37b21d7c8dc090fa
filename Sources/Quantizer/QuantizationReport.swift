import Engine
import Foundation
import TFLite

/// How far a quantized model is from its float model on some inputs.
public struct QuantizationReport: Sendable {
    /// One int8 activation against the float tensor it stands for.
    public struct TensorError: Sendable {
        /// Tensor index in the quantized model, and its name.
        public var tensor: Int
        public var name: String
        /// 10 log10(signal power / noise power) in dB over all inputs (noise = dequantized - float).
        public var sqnr: Double
        /// The same with the float values clamped to the tensor's int8 range: the error of rounding
        /// and of the ops before, without the clipping chosen by calibration (black letterbox and
        /// tile padding drive MediaPipe's float activations to extremes, up to 30,000 in the
        /// score logits, that dominate ``sqnr``).
        public var sqnrInRange: Double
    }

    /// One float output of both models.
    public struct OutputError: Sendable {
        public var name: String
        /// Largest and mean absolute difference of the raw outputs.
        public var maxAbs: Double
        public var meanAbs: Double
        /// For score outputs ([.., 1]): largest difference of sigmoid(score).
        public var maxScore: Double?
        public var sqnr: Double
    }

    /// Every int8 activation, worst SQNR first.
    public var tensors: [TensorError]
    public var outputs: [OutputError]
    /// Number of inputs compared.
    public var inputCount: Int

    /// Runs both models on `inputs` and compares every int8 activation (dequantized) with its
    /// float tensor, and the outputs.
    ///
    /// - Throws: when either model cannot be prepared or fed.
    public init(float: TFLiteModel, quantized: QuantizedModel, inputs: [[Float]]) throws {
        try self.init(float: float, quantized: quantized, count: inputs.count) { inputs[$0] }
    }

    /// The same with inputs made one at a time by `input(k)`.
    public init(float: TFLiteModel, quantized: QuantizedModel, count: Int, input makeInput: (Int) throws -> [Float]) throws {
        let q = try TFLiteModel(bytes: quantized.bytes, source: "<quantized>")
        let fc = try CompiledModel(model: float, options: EngineOptions(memory: .allTensors))
        let qc = try CompiledModel(model: q, options: EngineOptions(memory: .allTensors))
        let fi = Interpreter(fc), qi = Interpreter(qc)
        let pairs = quantized.floatTensor.sorted { $0.key < $1.key }
        var signal = [Double](repeating: 0, count: pairs.count), noise = signal, signalInRange = signal, noiseInRange = signal
        let outCount = fc.outputIndices.count
        var outSignal = [Double](repeating: 0, count: outCount), outNoise = outSignal
        var outMax = outSignal, outSum = outSignal, outScore = outSignal
        var outN = [Int](repeating: 0, count: outCount)
        for k in 0..<count {
            let input = try makeInput(k)
            try fi.setInput(0, floats: input)
            try qi.setInput(0, floats: input)
            // Tensors share memory once dead: copy the float ones as they are produced.
            let wanted = Set(pairs.map(\.value))
            var floats: [Int: [Float]] = [:]
            fi.invoke { _, t, bytes in
                if wanted.contains(t), floats[t] == nil { floats[t] = Array(bytes.bindMemory(to: Float.self)) }
            }
            let position = Dictionary(uniqueKeysWithValues: pairs.enumerated().map { ($1.key, $0) })
            var done = Set<Int>()
            qi.invoke { _, qt, bytes in
                guard let k = position[qt], done.insert(qt).inserted else { return }
                let ft = pairs[k].value
                let fv: [Float]
                if let f = floats[ft] { fv = f } else if fc.inputIndices.contains(ft) { fv = input } else { return }
                let info = qc.tensors[qt]
                let scale = Double(info.scales.first ?? 1), zero = Double(info.zeroPoints.first ?? 0)
                let qv = bytes.bindMemory(to: Int8.self)
                let clip = (scale * (-128 - zero), scale * (127 - zero))
                var s = 0.0, e = 0.0, sr = 0.0, er = 0.0
                for i in 0..<min(qv.count, fv.count) {
                    let x = Double(fv[i])
                    let y = scale * (Double(qv[i]) - zero)
                    s += x * x
                    e += (y - x) * (y - x)
                    let xr = min(max(x, clip.0), clip.1)
                    sr += xr * xr
                    er += (y - xr) * (y - xr)
                }
                signalInRange[k] += sr
                noiseInRange[k] += er
                signal[k] += s
                noise[k] += e
            }
            for o in 0..<outCount {
                let f = try fi.outputFloats(o), g = try qi.outputFloats(o)
                let isScore = fc.outputs[o].shape.last == 1
                for i in 0..<min(f.count, g.count) {
                    let d = Double(g[i] - f[i])
                    outSignal[o] += Double(f[i]) * Double(f[i])
                    outNoise[o] += d * d
                    outMax[o] = max(outMax[o], abs(d))
                    outSum[o] += abs(d)
                    if isScore {
                        let sf = 1 / (1 + exp(-Double(max(-100, min(100, f[i])))))
                        let sg = 1 / (1 + exp(-Double(max(-100, min(100, g[i])))))
                        outScore[o] = max(outScore[o], abs(sf - sg))
                    }
                }
                outN[o] += min(f.count, g.count)
            }
        }
        func db(_ s: Double, _ n: Double) -> Double { n > 0 ? 10 * log10(max(s, 1e-30) / n) : .infinity }
        tensors = pairs.enumerated().map { k, p in
            TensorError(tensor: p.key, name: qc.tensors[p.key].name + (quantized.scoreTensors[p.key] != nil ? " (score logits)" : ""),
                        sqnr: db(signal[k], noise[k]), sqnrInRange: db(signalInRange[k], noiseInRange[k]))
        }.sorted { $0.sqnrInRange < $1.sqnrInRange }
        outputs = (0..<outCount).map { o in
            OutputError(name: fc.outputs[o].name, maxAbs: outMax[o], meanAbs: outSum[o] / Double(max(outN[o], 1)),
                        maxScore: fc.outputs[o].shape.last == 1 ? outScore[o] : nil, sqnr: db(outSignal[o], outNoise[o]))
        }
        inputCount = count
    }

    /// The report as text: the `worst` tensors, a summary of the rest, and the outputs.
    public func formatted(worst: Int = 10) -> String {
        var lines: [String] = []
        lines.append("SQNR against the float model on \(inputCount) held-out inputs, \(tensors.count) int8 activations, worst first")
        lines.append("(in range: float values clamped to the tensor's int8 range, i.e. without the clipping calibration chose):")
        lines.append("  in range      all  tensor")
        for t in tensors.prefix(worst) {
            lines.append(String(format: "  %6.1f dB %6.1f dB  %@", t.sqnrInRange, t.sqnr, t.name))
        }
        if tensors.count > worst {
            let rest = tensors.dropFirst(worst).map(\.sqnrInRange).sorted()
            lines.append(String(format: "  ... %d more, in range: median %.1f dB, best %.1f dB", rest.count, rest[rest.count / 2], rest.last ?? 0))
        }
        lines.append("Outputs:")
        for o in outputs {
            var s = String(format: "  %@: SQNR %.1f dB, max |error| %.4f, mean |error| %.5f", o.name, o.sqnr, o.maxAbs, o.meanAbs)
            if let m = o.maxScore { s += String(format: ", max score error %.4f", m) }
            lines.append(s)
        }
        return lines.joined(separator: "\n")
    }
}
