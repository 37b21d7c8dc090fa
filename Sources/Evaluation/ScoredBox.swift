/// A detected face: a box in WIDER convention (top-left corner and size, source-image pixels) and a
/// confidence score (higher is more confident; any finite range).
public struct ScoredBox: Sendable, Equatable, Hashable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width.
    public var width: Double
    /// Height.
    public var height: Double
    /// Confidence.
    public var score: Double

    /// Creates a detection.
    /// - Parameters:
    ///   - x: Left edge.
    ///   - y: Top edge.
    ///   - width: Width.
    ///   - height: Height.
    ///   - score: Confidence.
    public init(x: Double, y: Double, width: Double, height: Double, score: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.score = score
    }

    /// Whether all five values are finite. The evaluations skip boxes that are not.
    public var isFinite: Bool {
        x.isFinite && y.isFinite && width.isFinite && height.isFinite && score.isFinite
    }
}
