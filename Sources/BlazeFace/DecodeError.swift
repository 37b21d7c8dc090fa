/// Why raw model outputs could not be decoded.
public enum DecodeError: Error, Equatable, Sendable {
    /// The regressor buffer does not hold `anchors * numCoords` values.
    case regressorCountMismatch(expected: Int, actual: Int)
    /// The score buffer does not hold one logit per anchor.
    case scoreCountMismatch(expected: Int, actual: Int)
    /// The options address regressor values beyond `numCoords`, or are otherwise unusable.
    case invalidOptions(String)
}
