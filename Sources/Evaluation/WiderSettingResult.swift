/// The result of the official WIDER FACE protocol in one setting (easy, medium or hard).
public struct WiderSettingResult: Sendable, Equatable {
    /// The setting.
    public let difficulty: WiderDifficulty
    /// VOC average precision; NaN when no face counts.
    public let averagePrecision: Double
    /// The number of faces counted (the official `count_face`).
    public let countedFaces: Int
    /// The number of images evaluated.
    public let imageCount: Int
    /// The curve at the thresholds `1 - t / thresholdCount`, t = 1 ... thresholdCount (descending
    /// thresholds, so ascending recall).
    public let curve: [PRPoint]

    /// Creates a result.
    /// - Parameters:
    ///   - difficulty: The setting.
    ///   - averagePrecision: AP.
    ///   - countedFaces: Faces counted.
    ///   - imageCount: Images evaluated.
    ///   - curve: The PR curve.
    public init(difficulty: WiderDifficulty, averagePrecision: Double, countedFaces: Int, imageCount: Int, curve: [PRPoint]) {
        (self.difficulty, self.averagePrecision, self.countedFaces) = (difficulty, averagePrecision, countedFaces)
        (self.imageCount, self.curve) = (imageCount, curve)
    }

    /// The curve points that can be drawn: those with at least one proposal and finite values.
    public var plottablePoints: [(recall: Double, precision: Double)] {
        curve.filter { $0.proposals > 0 && $0.precision.isFinite && $0.recall.isFinite }
            .map { (recall: $0.recall, precision: $0.precision) }
    }
}
