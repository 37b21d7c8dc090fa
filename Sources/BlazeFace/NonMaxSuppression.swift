/// Suppresses overlapping detections.
///
/// Detections are first ordered by score, descending, with a stable sort: equal scores keep
/// their input order (MediaPipe's `std::sort` leaves ties unspecified). Detections whose score
/// is NaN are discarded. Overlap is ``NormalizedBox/intersectionOverUnion(with:)``, which is 0
/// when the union is not positive, and a detection is suppressed only when
/// `IoU > iouThreshold` (strictly, as in MediaPipe and `tf.image.non_max_suppression`); an IoU
/// equal to the threshold does not suppress.
///
/// - ``NMSMethod/weighted`` (MediaPipe): take the top remaining detection T; T and every other
///   remaining detection with `IoU(T, d) > iouThreshold` form a cluster; emit T with its box
///   corners and keypoints replaced by the cluster's score-weighted means (T's score and anchor
///   index are kept); remove the cluster; repeat. T always belongs to its own cluster. (MediaPipe
///   instead tests T against itself, and its IoU of a zero-area T with itself is 0, which makes
///   it emit T unchanged and stop; that case cannot arise from `decodeDetections`, which drops
///   zero-size boxes.) If the cluster's total score is not positive, T is emitted
///   unchanged.
/// - ``NMSMethod/hard``: walk detections in order, keeping one unless its IoU with an already
///   kept detection exceeds `iouThreshold`.
/// - ``NMSMethod/voting``: as weighted, but the box and keypoints are averaged over the cluster
///   members whose IoU with T is at least `max(0.5, iouThreshold)`; the rest of the cluster is
///   only removed.
///
/// - Parameters:
///   - detections: Candidates, typically from `decodeDetections`.
///   - method: Weighted (MediaPipe) or hard (ST) suppression.
///   - iouThreshold: Overlap above which detections are merged or dropped (MediaPipe 0.3, ST 0.5).
///   - maxDetections: Stop after this many outputs; nil for no limit, 0 or less for none.
///     (MediaPipe's weighted NMS ignores its own limit; here it applies to both methods.)
/// - Returns: The surviving detections, by descending score.
public func nonMaxSuppression(
    _ detections: [Detection],
    method: NMSMethod,
    iouThreshold: Float,
    maxDetections: Int?
) -> [Detection] {
    let limit = maxDetections ?? Int.max
    guard limit > 0 else { return [] }
    let ordered = detections.indices
        .filter { !detections[$0].score.isNaN }
        .sorted { lhs, rhs in
            let left = detections[lhs].score, right = detections[rhs].score
            return left != right ? left > right : lhs < rhs
        }
        .map { detections[$0] }
    switch method {
    case .weighted:
        return clusterSuppression(ordered, iouThreshold: iouThreshold, limit: limit, averagedIoU: 0)
    case .hard:
        return hardSuppression(ordered, iouThreshold: iouThreshold, limit: limit)
    case .voting:
        return clusterSuppression(ordered, iouThreshold: iouThreshold, limit: limit, averagedIoU: max(0.5, iouThreshold))
    }
}

/// Greedy NMS over detections already in descending score order.
private func hardSuppression(_ ordered: [Detection], iouThreshold: Float, limit: Int) -> [Detection] {
    var kept: [Detection] = []
    for candidate in ordered {
        let suppressed = kept.contains {
            $0.box.intersectionOverUnion(with: candidate.box) > iouThreshold
        }
        if !suppressed {
            kept.append(candidate)
            if kept.count >= limit { break }
        }
    }
    return kept
}

/// Weighted NMS (MediaPipe) and its voting variant over detections already in descending score
/// order: take the top remaining detection, remove every remaining one overlapping it by more
/// than `iouThreshold`, and emit it with box and keypoints averaged over itself and the removed
/// ones whose IoU is at least `averagedIoU` (0: all of them, MediaPipe's weighted NMS). One pass
/// of alive flags, no copies: tiled detection feeds it thousands of candidates.
private func clusterSuppression(_ ordered: [Detection], iouThreshold: Float, limit: Int, averagedIoU: Float) -> [Detection] {
    var alive = [Bool](repeating: true, count: ordered.count)
    var output: [Detection] = []
    for i in ordered.indices where alive[i] {
        let top = ordered[i]
        var cluster = [top]
        for j in (i + 1)..<ordered.count where alive[j] {
            let iou = ordered[j].box.intersectionOverUnion(with: top.box)
            if iou > iouThreshold {
                alive[j] = false
                if iou >= averagedIoU { cluster.append(ordered[j]) }
            }
        }
        output.append(weightedMean(of: cluster, top: top))
        if output.count >= limit { break }
    }
    return output
}

/// `top` with box corners and keypoints replaced by the score-weighted means over `cluster`.
///
/// Keypoints are averaged index by index over the members that have that index (BlazeFace
/// detections all have six).
private func weightedMean(of cluster: [Detection], top: Detection) -> Detection {
    let totalScore = cluster.reduce(Float(0)) { $0 + $1.score }
    guard cluster.count > 1, totalScore > 0, totalScore.isFinite else { return top }
    var xMin: Float = 0, yMin: Float = 0, xMax: Float = 0, yMax: Float = 0
    var keypoints = [NormalizedPoint](repeating: NormalizedPoint(x: 0, y: 0), count: top.keypoints.count)
    var keypointWeights = [Float](repeating: 0, count: top.keypoints.count)
    for member in cluster {
        let weight = member.score
        xMin += member.box.xMin * weight
        yMin += member.box.yMin * weight
        xMax += member.box.xMax * weight
        yMax += member.box.yMax * weight
        for index in keypoints.indices where index < member.keypoints.count {
            keypoints[index].x += member.keypoints[index].x * weight
            keypoints[index].y += member.keypoints[index].y * weight
            keypointWeights[index] += weight
        }
    }
    var merged = top
    merged.box = NormalizedBox(
        xMin: xMin / totalScore, yMin: yMin / totalScore,
        xMax: xMax / totalScore, yMax: yMax / totalScore)
    merged.keypoints = zip(keypoints, keypointWeights).map { sum, weight in
        NormalizedPoint(x: sum.x / weight, y: sum.y / weight)
    }
    return merged
}
