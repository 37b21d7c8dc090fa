import Foundation

/// The one-euro filter (Casiez, Roussel and Vogel, CHI 2012), as MediaPipe uses it to smooth
/// landmarks: a low-pass filter whose cutoff rises with the speed of the signal, so a still
/// value is steady and a moving one follows with little lag.
public struct OneEuroFilter: Sendable, Hashable {
    /// Cutoff frequency (Hz) for a still signal: lower is smoother.
    public var minCutoff: Double
    /// How fast the cutoff rises with speed (per unit/s): higher is less lag.
    public var beta: Double
    /// Cutoff frequency (Hz) of the speed estimate.
    public var derivativeCutoff: Double

    private var value: Double?
    private var raw: Double = 0
    private var derivative: Double = 0
    private var time: Double?

    /// Creates a filter.
    public init(minCutoff: Double = 1, beta: Double = 0, derivativeCutoff: Double = 1) {
        self.minCutoff = minCutoff
        self.beta = beta
        self.derivativeCutoff = derivativeCutoff
    }

    /// The filtered value, or nil before the first sample.
    public var current: Double? { value }
    /// The filtered speed (units per second).
    public var speed: Double { derivative }

    /// Feeds a sample taken at `time` seconds and returns the filtered value. The first sample
    /// passes through; a sample at or before the previous time replaces nothing and returns the
    /// current value.
    public mutating func filter(_ x: Double, at t: Double) -> Double {
        guard x.isFinite, t.isFinite else { return value ?? x }
        guard let previous = value, let t0 = time else {
            value = x
            raw = x
            time = t
            return x
        }
        let dt = t - t0
        guard dt > 0 else { return previous }
        // The speed from the raw samples (as MediaPipe's filter does), so that it is not inflated by the lag.
        let dx = (x - raw) / dt
        derivative += Self.alpha(cutoff: derivativeCutoff, dt: dt) * (dx - derivative)
        let cutoff = minCutoff + beta * abs(derivative)
        let v = previous + Self.alpha(cutoff: cutoff, dt: dt) * (x - previous)
        value = v
        raw = x
        time = t
        return v
    }

    static func alpha(cutoff: Double, dt: Double) -> Double {
        let tau = 1 / (2 * Double.pi * cutoff)
        return 1 / (1 + tau / dt)
    }
}
