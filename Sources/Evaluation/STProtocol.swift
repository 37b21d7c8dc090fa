/// ST's face-detection evaluation (AP@0.5), as the STM32 model zoo computes it for BlazeFace
/// (`face_detection/tf/src/evaluation/evaluate.py` with `calculate_objdet_metrics` in
/// `utils/objdet_metrics.py`, boxes from `utils/bounding_boxes_utils.py`).
///
/// What is implemented, exactly:
/// 1. **Frame.** Every image is stretched to `frameSize x frameSize` (128). A box `x, y, w, h` in
///    source pixels of a `W x H` image maps to corners `x1 = round(x / W * S)`,
///    `x2 = round((x + w) / W * S)` (y likewise with H), where `round` rounds half to even like
///    `tf.round`. Ground-truth corners are then clipped to `[0, S - 1]` (ST's data loader);
///    detection corners are not clipped (ST's `bbox_normalized_to_abs_coords`).
/// 2. **Padding filter.** Boxes whose four corner coordinates sum to 0 or less are dropped, ground
///    truth and detections alike (ST uses such boxes as padding). This also drops WIDER's all-zero
///    placeholder box of images without faces.
/// 3. **No ignore.** Every remaining ground-truth face counts (the WIDER easy/medium/hard lists
///    are not used); `npos` is their number.
/// 4. **Greedy matching over the whole dataset.** All detections of all images are sorted by
///    descending score (stable: ties keep image order, then the order given). For each, the IoU
///    with every ground-truth box of its image is computed (``FrameBox/stIoU(_:)``, +1 pixel
///    convention), the first box with the largest IoU is taken (matched boxes included); if the
///    IoU is at least `iouThreshold` and that box is unmatched, the detection is a true positive
///    and the box becomes matched; otherwise it is a false positive.
/// 5. **Curve.** Cumulative TP and FP in that order; `recall = TP / npos` and
///    `precision = TP / (TP + FP)`, both computed in float32 as numpy does on ST's float32 arrays.
///    Without detections both are the single value 0.
/// 6. **AP.** Sentinels: recall `[0, r..., 1]`, precision `[1, p..., 0]` (no monotone envelope);
///    the precision is linearly interpolated (`numpy.interp` semantics) at the 101 recall points
///    `numpy.linspace(0, 1, 101)`, and AP is the trapezoid area under those samples (`numpy.trapz`).
///
/// Detections with a non-finite coordinate or score are skipped.
///
/// Not part of the evaluation but of ST's set-up: detections come from the model run on the
/// stretched image with NMS at IoU 0.5, confidence 0.001 and at most 100 boxes per image.
public enum STProtocol {
    /// ST's input size for BlazeFace front: 128.
    public static let defaultFrameSize = 128

    /// Rounds half to even, like `tf.round` and `numpy.round`.
    static func roundHalfEven(_ value: Double) -> Double {
        value.rounded(.toNearestOrEven)
    }

    /// Maps a ground-truth face into the frame: scaled, rounded half to even, clipped to `[0, S - 1]`.
    /// - Parameters:
    ///   - face: The face in source pixels.
    ///   - size: The source image size.
    ///   - frameSize: S.
    public static func frameBox(groundTruth face: FaceBox, imageSize size: ImageSize, frameSize: Int = defaultFrameSize) -> FrameBox {
        let s = Double(frameSize)
        let w = Double(size.width), h = Double(size.height)
        func clip(_ value: Double) -> Double { min(max(value, 0), s - 1) }
        return FrameBox(
            x1: clip(roundHalfEven(face.x / w * s)), y1: clip(roundHalfEven(face.y / h * s)),
            x2: clip(roundHalfEven((face.x + face.width) / w * s)), y2: clip(roundHalfEven((face.y + face.height) / h * s)))
    }

    /// Maps a detection into the frame: scaled and rounded half to even, not clipped.
    /// - Parameters:
    ///   - detection: The detection in source pixels.
    ///   - size: The source image size.
    ///   - frameSize: S.
    public static func frameBox(detection: ScoredBox, imageSize size: ImageSize, frameSize: Int = defaultFrameSize) -> FrameBox {
        let s = Double(frameSize)
        let w = Double(size.width), h = Double(size.height)
        return FrameBox(
            x1: roundHalfEven(detection.x / w * s), y1: roundHalfEven(detection.y / h * s),
            x2: roundHalfEven((detection.x + detection.width) / w * s), y2: roundHalfEven((detection.y + detection.height) / h * s))
    }

    /// Evaluates predictions with ST's protocol.
    /// - Parameters:
    ///   - groundTruth: The images to evaluate (all their faces count).
    ///   - predictions: Detections in source pixels per image key; keys outside the ground truth are ignored.
    ///   - imageSizes: The source size of every ground-truth image, by key.
    ///   - frameSize: The square frame size (128).
    ///   - iouThreshold: The IoU needed for a true positive (0.5).
    /// - Returns: AP, curve and counts.
    /// - Throws: ``EvaluationDataError`` when an image has no size or a non-positive one.
    public static func evaluate(groundTruth: WiderGroundTruth, predictions: WiderPredictionSet, imageSizes: [String: ImageSize],
                                frameSize: Int = defaultFrameSize, iouThreshold: Double = 0.5) throws -> STEvaluationResult {
        let (groundTruthBoxes, detections, droppedGroundTruth, droppedDetections) =
            try frames(groundTruth: groundTruth, predictions: predictions, imageSizes: imageSizes, frameSize: frameSize)
        let positives = groundTruthBoxes.reduce(0) { $0 + $1.count }
        // Stable sort by descending score (Python's sorted(..., reverse=True) keeps tie order).
        let order = detections.indices.sorted {
            detections[$0].score > detections[$1].score || (detections[$0].score == detections[$1].score && $0 < $1)
        }
        var matched = groundTruthBoxes.map { [Bool](repeating: false, count: $0.count) }
        var cumulativeTP: Float = 0
        var cumulativeFP: Float = 0
        var truePositives = 0
        var recall: [Double] = []
        var precision: [Double] = []
        var curve: [PRPoint] = []
        for index in order {
            let detection = detections[index]
            let boxes = groundTruthBoxes[detection.image]
            var bestIoU = -1.0
            var bestBox = 0
            for (boxIndex, box) in boxes.enumerated() {
                let iou = detection.box.stIoU(box)
                if iou > bestIoU {
                    bestIoU = iou
                    bestBox = boxIndex
                }
            }
            if bestIoU >= iouThreshold && !matched[detection.image][bestBox] {
                matched[detection.image][bestBox] = true
                cumulativeTP += 1
                truePositives += 1
            } else {
                cumulativeFP += 1
            }
            let r = positives > 0 ? Double(cumulativeTP / Float(positives)) : 0
            let p = Double(cumulativeTP / (cumulativeFP + cumulativeTP))
            recall.append(r)
            precision.append(p)
            curve.append(PRPoint(threshold: detection.score, proposals: truePositives + Int(cumulativeFP),
                                 truePositives: truePositives, precision: p, recall: r))
        }
        if order.isEmpty {
            recall = [0]
            precision = [0]
        }
        let mrec = [0.0] + recall + [1.0]
        let mpre = [1.0] + precision + [0.0]
        let samples = AveragePrecision.cocoRecallPoints
        let interpolated = samples.map { AveragePrecision.numpyInterp($0, xp: mrec, fp: mpre) }
        let ap = positives > 0 ? AveragePrecision.trapezoid(y: interpolated, x: samples) : .nan
        return STEvaluationResult(
            averagePrecision: ap, groundTruthCount: positives, droppedGroundTruthCount: droppedGroundTruth,
            detectionCount: detections.count, droppedDetectionCount: droppedDetections, truePositives: truePositives,
            imageCount: groundTruth.images.count, curve: curve, interpolatedPrecision: interpolated)
    }

    /// A detection in the frame, with its image's position.
    struct FrameDetection {
        let image: Int
        let score: Double
        let box: FrameBox
    }

    /// Ground truth and detections in the square frame, per image; boxes whose coordinates sum
    /// to zero or less are dropped and counted.
    static func frames(groundTruth: WiderGroundTruth, predictions: WiderPredictionSet, imageSizes: [String: ImageSize],
                       frameSize: Int) throws -> ([[FrameBox]], [FrameDetection], Int, Int) {
        var groundTruthBoxes: [[FrameBox]] = []
        var detections: [FrameDetection] = []
        var droppedGroundTruth = 0
        var droppedDetections = 0
        for (imageIndex, image) in groundTruth.images.enumerated() {
            guard let size = imageSizes[image.key] else {
                throw EvaluationDataError(file: image.key, reason: "no image size given for this image")
            }
            guard size.width > 0, size.height > 0 else {
                throw EvaluationDataError(file: image.key, reason: "image size \(size.width)x\(size.height) is not positive")
            }
            var boxes: [FrameBox] = []
            for face in image.faces {
                let box = frameBox(groundTruth: face, imageSize: size, frameSize: frameSize)
                if box.coordinateSum > 0 { boxes.append(box) } else { droppedGroundTruth += 1 }
            }
            groundTruthBoxes.append(boxes)
            for detection in (predictions.images[image.key]?.boxes ?? []).filter(\.isFinite) {
                let box = frameBox(detection: detection, imageSize: size, frameSize: frameSize)
                if box.coordinateSum > 0 {
                    detections.append(FrameDetection(image: imageIndex, score: detection.score, box: box))
                } else {
                    droppedDetections += 1
                }
            }
        }
        return (groundTruthBoxes, detections, droppedGroundTruth, droppedDetections)
    }
}
