/// Precomputed 1-D resampling taps from `source` samples to `destination`
/// samples.
///
/// Geometry: output sample `i` covers the continuous source interval
/// `[i * s, (i + 1) * s)` with `s = source / destination`.
/// - Downscaling (`destination < source`): exact box filter (area average);
///   each source sample is weighted by the length of its overlap with that
///   interval, so fractional coverage at the ends is honoured.
/// - Upscaling (`destination > source`): bilinear interpolation at the
///   interval centre `(i + 0.5) * s - 0.5`, clamped at the borders.
/// - Equal sizes: identity.
struct ResampleAxis: Sendable {
    /// First source index of each output sample.
    let starts: [Int]
    /// Number of taps of each output sample (>= 1).
    let counts: [Int]
    /// Tap weights, `maxTaps` slots per output sample; each row sums to 1.
    let weights: [Float]
    /// Slot stride in `weights`.
    let maxTaps: Int

    init(source: Int, destination: Int) {
        precondition(source > 0 && destination > 0, "resample sizes must be positive")
        var starts = [Int](repeating: 0, count: destination)
        var counts = [Int](repeating: 1, count: destination)
        let scale = Double(source) / Double(destination)
        if destination == source {
            maxTaps = 1
            weights = [Float](repeating: 1, count: destination)
            for i in 0..<destination { starts[i] = i }
        } else if destination < source {
            let taps = Int(scale.rounded(.up)) + 1
            var w = [Float](repeating: 0, count: destination * taps)
            for i in 0..<destination {
                let lo = Double(i) * scale
                let hi = min(Double(source), Double(i + 1) * scale)
                var first = Int(lo.rounded(.down))
                var last = min(source - 1, Int(hi.rounded(.up)) - 1)
                // Drop taps whose overlap is only rounding noise.
                if Double(first + 1) - lo < 1e-9, first < last { first += 1 }
                if hi - Double(last) < 1e-9, last > first { last -= 1 }
                var sum = 0.0
                var local: [Double] = []
                local.reserveCapacity(last - first + 1)
                for j in first...last {
                    let overlap = max(0, min(hi, Double(j + 1)) - max(lo, Double(j)))
                    local.append(overlap)
                    sum += overlap
                }
                starts[i] = first
                counts[i] = local.count
                for (k, value) in local.enumerated() {
                    w[i * taps + k] = Float(sum > 0 ? value / sum : 1 / Double(local.count))
                }
            }
            maxTaps = taps
            weights = w
        } else {
            var w = [Float](repeating: 0, count: destination * 2)
            for i in 0..<destination {
                let centre = min(Double(source - 1), max(0, (Double(i) + 0.5) * scale - 0.5))
                let i0 = min(source - 1, Int(centre.rounded(.down)))
                let fraction = centre - Double(i0)
                starts[i] = i0
                if i0 + 1 < source, fraction > 0 {
                    counts[i] = 2
                    w[i * 2] = Float(1 - fraction)
                    w[i * 2 + 1] = Float(fraction)
                } else {
                    w[i * 2] = 1
                }
            }
            maxTaps = 2
            weights = w
        }
        self.starts = starts
        self.counts = counts
    }
}
