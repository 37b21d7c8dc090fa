/// A detected face: a box in WIDER convention (top-left corner and size, source-image pixels) and a
/// confidence score (higher is more confident; any finite range).
public struct ScoredBox: Sendable, Equatable, Hashable {
    /// Left and top edges.
    public var x, y: Double
    /// Width and height.
    public var width, height: Double
    /// Confidence.
    public var score: Double

    /// Creates a detection from its left and top edges, width, height and confidence.
    public init(x: Double, y: Double, width: Double, height: Double, score: Double) {
        (self.x, self.y, self.width, self.height, self.score) = (x, y, width, height, score)
    }

    /// Whether all five values are finite. The evaluations skip boxes that are not.
    public var isFinite: Bool {
        x.isFinite && y.isFinite && width.isFinite && height.isFinite && score.isFinite
    }
}
