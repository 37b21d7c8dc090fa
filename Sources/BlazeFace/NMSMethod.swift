/// How ``nonMaxSuppression(_:method:iouThreshold:maxDetections:)`` merges overlapping detections.
public enum NMSMethod: String, Sendable, CaseIterable {
    /// MediaPipe's weighted NMS: each cluster of overlapping detections is replaced by the
    /// score-weighted mean of its boxes and keypoints, carrying the top detection's score.
    case weighted
    /// Classic greedy ("hard") NMS as in STMicroelectronics' tools and
    /// `tf.image.non_max_suppression`: keep the top detection, drop those overlapping it.
    case hard
    /// Hard NMS with box voting: keep the top detection, drop those overlapping it, and give the
    /// kept one the score-weighted mean box and keypoints of the detections overlapping it by
    /// IoU >= 0.5 (its near-duplicates, e.g. the same face seen by overlapping tiles or scales).
    /// Unlike ``weighted``, neighbours that merely touch it are dropped without being averaged
    /// in. The default of tiled detection.
    case voting
}
