import Engine
import TFLite

/// How an activation's quantization range is chosen from its calibration values.
public enum CalibrationMethod: String, Sendable, CaseIterable, Codable {
    /// The smallest and largest value seen.
    case minmax
    /// The ``QuantizerOptions/percentile`` lowest and highest percentiles of all values seen
    /// (from a 2048-bin histogram), clipping rare outliers.
    case percentile
    /// The clip range minimising the expected squared error of quantization (rounding inside the
    /// range, clipping outside), searched on the histogram.
    case mse
}

/// Range statistics of one tensor over the calibration inputs: extremes, then a histogram
/// over them.
public struct TensorStatistics: Sendable, Hashable {
    /// Smallest and largest value seen.
    public var min: Float = .infinity, max: Float = -.infinity
    /// Counts of values in `bins` equal bins spanning [min(min, 0), max(max, 0)].
    public var histogram: [Double] = []
    /// Number of values seen.
    public var count: Int = 0

    /// The histogram's lower edge and bin width.
    var histogramRange: (low: Float, width: Float) {
        let low = Swift.min(min, 0), high = Swift.max(max, 0)
        return (low, Swift.max(high - low, 1e-12) / Float(Swift.max(histogram.count, 1)))
    }

    mutating func observeRange(_ v: UnsafeBufferPointer<Float>) {
        var lo = min, hi = max
        for x in v where x.isFinite {
            if x < lo { lo = x }
            if x > hi { hi = x }
        }
        min = lo
        max = hi
        count += v.count
    }

    mutating func observeHistogram(_ v: UnsafeBufferPointer<Float>) {
        let (low, width) = histogramRange
        let n = histogram.count
        let inverse = 1 / width
        histogram.withUnsafeMutableBufferPointer { h in
            for x in v where x.isFinite {
                let b = Int((x - low) * inverse)
                h[b < 0 ? 0 : (b >= n ? n - 1 : b)] += 1
            }
        }
    }

    /// The range chosen by `method` (always containing 0, as int8 quantization needs).
    func range(_ method: CalibrationMethod, percentile: Double) -> (Float, Float) {
        guard min <= max else { return (0, 0) }
        let full = (Swift.min(min, 0), Swift.max(max, 0))
        switch method {
        case .minmax: return full
        case .percentile: return percentileRange(percentile)
        case .mse: return mseRange()
        }
    }

    private func percentileRange(_ p: Double) -> (Float, Float) {
        let total = histogram.reduce(0, +)
        guard total > 0 else { return (Swift.min(min, 0), Swift.max(max, 0)) }
        let (low, width) = histogramRange
        let tail = total * (1 - p / 100)
        var acc = 0.0, lowBin = 0
        for (i, c) in histogram.enumerated() {
            acc += c
            if acc > tail { lowBin = i; break }
        }
        acc = 0
        var highBin = histogram.count - 1
        for i in histogram.indices.reversed() {
            acc += histogram[i]
            if acc > tail { highBin = i; break }
        }
        let lo = Swift.max(min, low + Float(lowBin) * width)
        let hi = Swift.min(max, low + Float(highBin + 1) * width)
        return (Swift.min(lo, 0), Swift.max(hi, 0))
    }

    /// Expected squared error of quantizing the histogram's values into [a, b] with 255 steps.
    func quantizationError(_ a: Float, _ b: Float) -> Double {
        let (low, width) = histogramRange
        let step = Double(Swift.max(b - a, 1e-12)) / 255
        let rounding = step * step / 12
        var e = 0.0
        for (i, c) in histogram.enumerated() where c > 0 {
            let x = Double(low) + (Double(i) + 0.5) * Double(width)
            if x < Double(a) {
                e += c * (Double(a) - x) * (Double(a) - x)
            } else if x > Double(b) {
                e += c * (x - Double(b)) * (x - Double(b))
            } else {
                e += c * rounding
            }
        }
        return e
    }

    private func mseRange() -> (Float, Float) {
        let lo0 = Swift.min(min, 0), hi0 = Swift.max(max, 0)
        guard histogram.count > 0, hi0 > lo0 else { return (lo0, hi0) }
        // Both ends shrunk together, then each end alone around the best.
        var best = (lo0, hi0), bestError = quantizationError(lo0, hi0)
        for k in 1...95 {
            let f = 1 - Float(k) / 100
            let e = quantizationError(lo0 * f, hi0 * f)
            if e < bestError { bestError = e; best = (lo0 * f, hi0 * f) }
        }
        for _ in 0..<2 {
            for k in 0...100 {
                let hi = hi0 * Float(k + 5) / 105
                guard hi >= 0 else { continue }
                let e = quantizationError(best.0, hi)
                if e < bestError { bestError = e; best.1 = hi }
            }
            for k in 0...100 {
                let lo = lo0 * Float(k + 5) / 105
                let e = quantizationError(lo, best.1)
                if e < bestError { bestError = e; best.0 = lo }
            }
        }
        return (Swift.min(best.0, 0), Swift.max(best.1, 0))
    }
}

/// Runs the float model over calibration inputs and gathers every activation's statistics.
struct Calibrator {
    let graph: FloatGraph
    let compiled: CompiledModel
    static let bins = 2048

    init(_ graph: FloatGraph) throws {
        self.graph = graph
        compiled = try CompiledModel(model: graph.model, options: EngineOptions(memory: .allTensors))
    }

    /// Two passes: extremes, then histograms over them.
    func statistics(count: Int, input: (Int) throws -> [Float]) throws -> [Int: TensorStatistics] {
        let interpreter = Interpreter(compiled)
        let tensors = graph.activations.filter { graph.graph.tensors[$0].type == .float32 }
        var stats: [Int: TensorStatistics] = [:]
        for t in tensors { stats[t] = TensorStatistics() }
        for pass in 0..<2 {
            if pass == 1 {
                for t in tensors { stats[t]?.histogram = Array(repeating: 0, count: Self.bins) }
            }
            let observed = Set(tensors)
            for k in 0..<count {
                try interpreter.setInput(0, floats: try input(k))
                // Tensors share memory once dead: read each as its op produces it.
                var seen = Set<Int>()
                for t in graph.graph.inputs where observed.contains(t) {
                    guard let b = interpreter.tensorBytes(t) else { continue }
                    let v = UnsafeBufferPointer(b.bindMemory(to: Float.self))
                    if pass == 0 { stats[t]?.observeRange(v) } else { stats[t]?.observeHistogram(v) }
                    seen.insert(t)
                }
                interpreter.invoke { _, t, bytes in
                    guard observed.contains(t), seen.insert(t).inserted else { return }
                    let v = bytes.bindMemory(to: Float.self)
                    if pass == 0 { stats[t]?.observeRange(v) } else { stats[t]?.observeHistogram(v) }
                }
                if let missing = observed.subtracting(seen).first {
                    throw QuantizerError("tensor \(missing) '\(graph.graph.tensors[missing].name)' was not observed in the float engine")
                }
            }
        }
        return stats
    }
}
