/// One point of a precision-recall curve.
public struct PRPoint: Sendable, Equatable {
    /// The score threshold of the point (detections scoring at least this many are kept).
    public let threshold: Double
    /// The number of kept detections that count as proposals (not ignored).
    public let proposals: Int
    /// The number of those that are true positives.
    public let truePositives: Int
    /// `truePositives / proposals`; NaN when there are no proposals.
    public let precision: Double
    /// `truePositives / faces counted`; NaN when no face counts.
    public let recall: Double

    /// Creates a point: score threshold, kept non-ignored detections, true positives among them,
    /// precision and recall.
    public init(threshold: Double, proposals: Int, truePositives: Int, precision: Double, recall: Double) {
        (self.threshold, self.proposals, self.truePositives) = (threshold, proposals, truePositives)
        (self.precision, self.recall) = (precision, recall)
    }
}
