/// Options for decoding raw BlazeFace outputs, mirroring the fields of MediaPipe's
/// `TensorsToDetectionsCalculatorOptions` that BlazeFace uses.
///
/// Each anchor has `numCoords` regressor values laid out as
/// `x_centre, y_centre, w, h` at `boxCoordOffset` (MediaPipe's `reverse_output_order: true`),
/// then `numKeypoints` keypoints of `valuesPerKeypoint` values (`x, y`) from `keypointCoordOffset`.
public struct DecodeOptions: Sendable, Hashable {
    /// Regressor values per anchor (16 for BlazeFace).
    public var numCoords: Int
    /// Index of `x_centre` within an anchor's regressors.
    public var boxCoordOffset: Int
    /// Keypoints per anchor (6 for BlazeFace).
    public var numKeypoints: Int
    /// Index of the first keypoint's `x` within an anchor's regressors.
    public var keypointCoordOffset: Int
    /// Values per keypoint; the first two are `x, y`.
    public var valuesPerKeypoint: Int
    /// Divisor of raw x offsets (the input width for BlazeFace).
    public var xScale: Float
    /// Divisor of raw y offsets (the input height for BlazeFace).
    public var yScale: Float
    /// Divisor of raw widths.
    public var wScale: Float
    /// Divisor of raw heights.
    public var hScale: Float
    /// Logits are clamped to `-scoreClippingThresh...scoreClippingThresh` before the sigmoid.
    public var scoreClippingThresh: Float
    /// Detections with a score below this are dropped (a score equal to it is kept).
    public var minScore: Float

    /// Creates decoding options; the defaults are BlazeFace front's.
    public init(
        numCoords: Int = 16,
        boxCoordOffset: Int = 0,
        numKeypoints: Int = 6,
        keypointCoordOffset: Int = 4,
        valuesPerKeypoint: Int = 2,
        xScale: Float = 128,
        yScale: Float = 128,
        wScale: Float = 128,
        hScale: Float = 128,
        scoreClippingThresh: Float = 100,
        minScore: Float = 0.5
    ) {
        self.numCoords = numCoords
        self.boxCoordOffset = boxCoordOffset
        self.numKeypoints = numKeypoints
        self.keypointCoordOffset = keypointCoordOffset
        self.valuesPerKeypoint = valuesPerKeypoint
        self.xScale = xScale
        self.yScale = yScale
        self.wScale = wScale
        self.hScale = hScale
        self.scoreClippingThresh = scoreClippingThresh
        self.minScore = minScore
    }

    /// BlazeFace front 128x128 (scales 128, min score 0.5 as in MediaPipe Tasks).
    public static let blazeFaceFront = DecodeOptions()

    /// BlazeFace back 256x256 (scales 256, min score 0.5).
    public static let blazeFaceBack = DecodeOptions(xScale: 256, yScale: 256, wScale: 256, hScale: 256)

    /// BlazeFace full range 192x192, dense or sparse (scales 192, min score 0.5).
    public static let blazeFaceFullRange = DecodeOptions(xScale: 192, yScale: 192, wScale: 192, hScale: 192)
}
