/// One decoded face candidate in normalized model input coordinates.
public struct Detection: Sendable, Equatable {
    /// The face box, as corners in normalized input coordinates.
    public var box: NormalizedBox
    /// Keypoints in model order (see ``FaceKeypoint``): right eye, left eye, nose tip,
    /// mouth centre, right ear tragion, left ear tragion. Six for BlazeFace.
    public var keypoints: [NormalizedPoint]
    /// Confidence in 0...1 (sigmoid of the clipped logit).
    public var score: Float
    /// Index of the anchor this detection was decoded from (after weighted NMS: the anchor of
    /// the cluster's top-scoring detection).
    public var anchorIndex: Int

    /// Creates a detection.
    public init(box: NormalizedBox, keypoints: [NormalizedPoint], score: Float, anchorIndex: Int) {
        self.box = box
        self.keypoints = keypoints
        self.score = score
        self.anchorIndex = anchorIndex
    }
}
