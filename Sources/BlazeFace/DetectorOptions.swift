import Imaging

/// Options of a ``FaceDetector``. The defaults are MediaPipe's: score 0.5, weighted NMS at IoU
/// 0.3, letterbox, normalisation chosen from the model.
public struct DetectorOptions: Sendable, Hashable {
    /// Faces scoring below this are dropped (0...1).
    public var minScore: Float
    /// IoU above which detections are merged (weighted) or suppressed (hard).
    public var iouThreshold: Float
    /// Non-max suppression method.
    public var nms: NMSMethod
    /// At most this many faces per image (highest scores first); nil for no cap.
    public var maxFaces: Int?
    /// How the image is fitted into the model's square input.
    public var resize: ResizeMode
    /// Pixel normalisation.
    public var normalization: InputNormalization
    /// The box convention of the reported faces (``BoxStyle/model`` by default).
    public var boxStyle: BoxStyle
    /// Clip each face's box to the image (the default); false keeps the model's raw box, which
    /// may reach past the image's edges. Keypoints are never clipped.
    public var clipBoxes: Bool

    /// Creates options; every parameter has a default.
    public init(minScore: Float = 0.5, iouThreshold: Float = 0.3, nms: NMSMethod = .weighted, maxFaces: Int? = nil,
                resize: ResizeMode = .letterbox, normalization: InputNormalization = .automatic,
                boxStyle: BoxStyle = .model, clipBoxes: Bool = true) {
        self.minScore = minScore
        self.iouThreshold = iouThreshold
        self.nms = nms
        self.maxFaces = maxFaces
        self.resize = resize
        self.normalization = normalization
        self.boxStyle = boxStyle
        self.clipBoxes = clipBoxes
    }
}
