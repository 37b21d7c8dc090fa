/// The result of ST's AP@0.5 protocol (see ``STProtocol``).
public struct STEvaluationResult: Sendable, Equatable {
    /// AP: trapezoid area under the precision interpolated at 101 recall points; NaN when no
    /// ground-truth box remains.
    public let averagePrecision: Double
    /// The number of ground-truth boxes (ST's `npos`), after dropping degenerate ones.
    public let groundTruthCount: Int
    /// Ground-truth boxes dropped because their frame coordinates sum to 0 or less.
    public let droppedGroundTruthCount: Int
    /// The number of detections evaluated.
    public let detectionCount: Int
    /// Detections dropped because their frame coordinates sum to 0 or less.
    public let droppedDetectionCount: Int
    /// The number of true positives over all detections.
    public let truePositives: Int
    /// The number of images evaluated.
    public let imageCount: Int
    /// The raw curve, one point per detection in descending score order: threshold = that
    /// detection's score, precision and recall as ST computes them (float32, widened).
    public let curve: [PRPoint]
    /// The precision interpolated at recall 0, 0.01, ..., 1 (101 values).
    public let interpolatedPrecision: [Double]

    /// Creates a result.
    /// - Parameters:
    ///   - averagePrecision: AP.
    ///   - groundTruthCount: Ground-truth boxes used.
    ///   - droppedGroundTruthCount: Ground-truth boxes dropped.
    ///   - detectionCount: Detections used.
    ///   - droppedDetectionCount: Detections dropped.
    ///   - truePositives: True positives.
    ///   - imageCount: Images.
    ///   - curve: Raw curve.
    ///   - interpolatedPrecision: 101 interpolated precisions.
    public init(averagePrecision: Double, groundTruthCount: Int, droppedGroundTruthCount: Int, detectionCount: Int,
                droppedDetectionCount: Int, truePositives: Int, imageCount: Int, curve: [PRPoint], interpolatedPrecision: [Double]) {
        self.averagePrecision = averagePrecision
        self.groundTruthCount = groundTruthCount
        self.droppedGroundTruthCount = droppedGroundTruthCount
        self.detectionCount = detectionCount
        self.droppedDetectionCount = droppedDetectionCount
        self.truePositives = truePositives
        self.imageCount = imageCount
        self.curve = curve
        self.interpolatedPrecision = interpolatedPrecision
    }

    /// The 101 interpolated points as (recall, precision) pairs, for plotting.
    public var interpolatedPoints: [(recall: Double, precision: Double)] {
        zip(AveragePrecision.cocoRecallPoints, interpolatedPrecision).map { (recall: $0, precision: $1) }
    }
}
