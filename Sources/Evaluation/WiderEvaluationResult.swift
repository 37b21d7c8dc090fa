/// The result of the official WIDER FACE protocol: one ``WiderSettingResult`` per setting, and
/// what was evaluated.
public struct WiderEvaluationResult: Sendable, Equatable {
    /// Easy setting.
    public let easy: WiderSettingResult
    /// Medium setting.
    public let medium: WiderSettingResult
    /// Hard setting.
    public let hard: WiderSettingResult
    /// The number of ground-truth images evaluated.
    public let imageCount: Int
    /// How many of them had at least one prediction.
    public let imagesWithPredictions: Int
    /// The number of predicted boxes on evaluated images.
    public let predictionCount: Int
    /// Keys of predicted images absent from the ground truth (not evaluated), sorted.
    public let unevaluatedPredictionKeys: [String]
    /// The smallest and largest raw score used for min-max normalisation, or nil without predictions.
    public let scoreRange: ClosedRange<Double>?

    /// Creates a result.
    /// - Parameters:
    ///   - easy: Easy setting.
    ///   - medium: Medium setting.
    ///   - hard: Hard setting.
    ///   - imageCount: Images evaluated.
    ///   - imagesWithPredictions: Images with predictions.
    ///   - predictionCount: Boxes evaluated.
    ///   - unevaluatedPredictionKeys: Predicted images not in the ground truth.
    ///   - scoreRange: Normalisation range.
    public init(easy: WiderSettingResult, medium: WiderSettingResult, hard: WiderSettingResult, imageCount: Int,
                imagesWithPredictions: Int, predictionCount: Int, unevaluatedPredictionKeys: [String], scoreRange: ClosedRange<Double>?) {
        self.easy = easy
        self.medium = medium
        self.hard = hard
        self.imageCount = imageCount
        self.imagesWithPredictions = imagesWithPredictions
        self.predictionCount = predictionCount
        self.unevaluatedPredictionKeys = unevaluatedPredictionKeys
        self.scoreRange = scoreRange
    }

    /// The result of one setting.
    /// - Parameter difficulty: The setting.
    public subscript(difficulty: WiderDifficulty) -> WiderSettingResult {
        switch difficulty {
        case .easy: return easy
        case .medium: return medium
        case .hard: return hard
        }
    }

    /// The three curves labelled "easy AP 0.1234" etc., ready for ``renderPRCurvesSVG(series:title:)``.
    public var labelledCurves: [(label: String, points: [(recall: Double, precision: Double)])] {
        WiderDifficulty.allCases.map { difficulty in
            let setting = self[difficulty]
            let ap = setting.averagePrecision.isFinite ? formatFixed(setting.averagePrecision, digits: 4) : "n/a"
            return (label: "\(difficulty.rawValue) AP \(ap)", points: setting.plottablePoints)
        }
    }
}
