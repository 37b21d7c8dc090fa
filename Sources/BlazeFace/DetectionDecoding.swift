/// Decodes raw BlazeFace outputs into scored detections, as MediaPipe's
/// `TensorsToDetectionsCalculator` does (no exponential on box sizes).
///
/// For anchor `a` with regressors `r` (layout in ``DecodeOptions``):
/// ```
/// x_centre = r[x] / xScale * a.width  + a.xCenter
/// y_centre = r[y] / yScale * a.height + a.yCenter
/// w        = r[w] / wScale * a.width
/// h        = r[h] / hScale * a.height
/// box      = centre -/+ size / 2
/// keypoint = (r[kx] / xScale * a.width + a.xCenter, r[ky] / yScale * a.height + a.yCenter)
/// score    = sigmoid(clamp(logit, -scoreClippingThresh, scoreClippingThresh))
/// ```
/// A detection is kept when `score >= minScore`, `w > 0`, `h > 0` and every decoded value is
/// finite (MediaPipe only drops negative or NaN sizes; zero sizes and infinities are dropped here
/// too, as they cannot be a face and would poison NMS averages). Output is in anchor order.
///
/// - Parameters:
///   - regressors: `anchors.count * numCoords` values, anchor-major (shape `[1, N, 16]`).
///   - scores: One raw logit per anchor (shape `[1, N, 1]`).
///   - anchors: The anchors, in the model's output order (see ``generateAnchors(_:)``).
///   - options: Layout, scales and score threshold.
/// - Returns: The kept detections, `anchorIndex` being the position in `anchors`.
/// - Throws: ``DecodeError`` when buffer sizes do not match the anchors or the options are invalid.
public func decodeDetections(
    regressors: UnsafeBufferPointer<Float>,
    scores: UnsafeBufferPointer<Float>,
    anchors: [Anchor],
    options: DecodeOptions
) throws(DecodeError) -> [Detection] {
    try validate(options)
    let expectedRegressors = anchors.count * options.numCoords
    guard regressors.count == expectedRegressors else {
        throw .regressorCountMismatch(expected: expectedRegressors, actual: regressors.count)
    }
    guard scores.count == anchors.count else {
        throw .scoreCountMismatch(expected: anchors.count, actual: scores.count)
    }
    var detections: [Detection] = []
    for index in anchors.indices {
        let score = clippedSigmoid(scores[index], clip: options.scoreClippingThresh)
        guard score >= options.minScore else { continue }
        let base = index * options.numCoords
        let raw = UnsafeBufferPointer(rebasing: regressors[base..<(base + options.numCoords)])
        if let detection = decodeOne(raw, anchor: anchors[index], score: score,
                                     anchorIndex: index, options: options) {
            detections.append(detection)
        }
    }
    return detections
}

/// Array convenience for the buffer-pointer variant of `decodeDetections`; same semantics.
///
/// - Throws: ``DecodeError`` when sizes do not match or the options are invalid.
public func decodeDetections(
    regressors: [Float],
    scores: [Float],
    anchors: [Anchor],
    options: DecodeOptions
) throws(DecodeError) -> [Detection] {
    try regressors.withUnsafeBufferPointer { (boxes) throws(DecodeError) in
        try scores.withUnsafeBufferPointer { (logits) throws(DecodeError) in
            try decodeDetections(regressors: boxes, scores: logits, anchors: anchors, options: options)
        }
    }
}

/// Decodes a model whose outputs come as several heads, each a `(regressors, scores)` pair
/// covering a consecutive block of anchors (the int8 BlazeFace model has a 512-anchor head and a
/// 384-anchor head).
///
/// The heads are taken in the given order and must together cover `anchors` exactly; a head's
/// anchor count is `scores.count`. The result equals decoding the concatenated buffers, and
/// `anchorIndex` counts across all heads.
///
/// - Throws: ``DecodeError`` when a head's regressors do not match its scores, the heads do not
///   cover the anchors, or the options are invalid.
public func decodeDetections(
    heads: [(regressors: [Float], scores: [Float])],
    anchors: [Anchor],
    options: DecodeOptions
) throws(DecodeError) -> [Detection] {
    let total = heads.reduce(0) { $0 + $1.scores.count }
    guard total == anchors.count else {
        throw .scoreCountMismatch(expected: anchors.count, actual: total)
    }
    var detections: [Detection] = []
    var start = 0
    for head in heads {
        let end = start + head.scores.count
        var part = try decodeDetections(
            regressors: head.regressors, scores: head.scores,
            anchors: Array(anchors[start..<end]), options: options)
        for position in part.indices {
            part[position].anchorIndex += start
        }
        detections += part
        start = end
    }
    return detections
}

/// Checks that the options address values inside one anchor's regressors.
private func validate(_ options: DecodeOptions) throws(DecodeError) {
    guard options.numCoords > 0 else { throw .invalidOptions("numCoords must be positive") }
    guard options.boxCoordOffset >= 0, options.boxCoordOffset + 4 <= options.numCoords else {
        throw .invalidOptions("box coordinates lie outside numCoords")
    }
    guard options.numKeypoints >= 0 else { throw .invalidOptions("numKeypoints is negative") }
    if options.numKeypoints > 0 {
        let last = options.keypointCoordOffset
            + (options.numKeypoints - 1) * options.valuesPerKeypoint + 1
        guard options.keypointCoordOffset >= 0, options.valuesPerKeypoint >= 2,
              last < options.numCoords else {
            throw .invalidOptions("keypoint coordinates lie outside numCoords")
        }
    }
}

/// Decodes one anchor's regressors; nil when the box is empty, inverted or not finite.
private func decodeOne(
    _ raw: UnsafeBufferPointer<Float>,
    anchor: Anchor,
    score: Float,
    anchorIndex: Int,
    options: DecodeOptions
) -> Detection? {
    let offset = options.boxCoordOffset
    let xCenter = raw[offset] / options.xScale * anchor.width + anchor.xCenter
    let yCenter = raw[offset + 1] / options.yScale * anchor.height + anchor.yCenter
    let width = raw[offset + 2] / options.wScale * anchor.width
    let height = raw[offset + 3] / options.hScale * anchor.height
    guard width > 0, height > 0, width.isFinite, height.isFinite,
          xCenter.isFinite, yCenter.isFinite else { return nil }

    var keypoints: [NormalizedPoint] = []
    keypoints.reserveCapacity(options.numKeypoints)
    for keypoint in 0..<options.numKeypoints {
        let base = options.keypointCoordOffset + keypoint * options.valuesPerKeypoint
        let x = raw[base] / options.xScale * anchor.width + anchor.xCenter
        let y = raw[base + 1] / options.yScale * anchor.height + anchor.yCenter
        guard x.isFinite, y.isFinite else { return nil }
        keypoints.append(NormalizedPoint(x: x, y: y))
    }
    let box = NormalizedBox(xCenter: xCenter, yCenter: yCenter, width: width, height: height)
    return Detection(box: box, keypoints: keypoints, score: score, anchorIndex: anchorIndex)
}
