/// The detections of one image, in any order (the evaluations sort them by score themselves).
public struct ImagePredictions: Sendable, Equatable {
    /// The detected boxes with scores.
    public var boxes: [ScoredBox]

    /// Creates the predictions of an image.
    /// - Parameter boxes: The detections.
    public init(boxes: [ScoredBox] = []) {
        self.boxes = boxes
    }
}
