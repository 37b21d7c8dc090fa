/// How ``nonMaxSuppression(_:method:iouThreshold:maxDetections:)`` merges overlapping detections.
public enum NMSMethod: String, Sendable, CaseIterable {
    /// MediaPipe's weighted NMS: each cluster of overlapping detections is replaced by the
    /// score-weighted mean of its boxes and keypoints, carrying the top detection's score.
    case weighted
    /// Classic greedy ("hard") NMS as in STMicroelectronics' tools and
    /// `tf.image.non_max_suppression`: keep the top detection, drop those overlapping it.
    case hard
}
