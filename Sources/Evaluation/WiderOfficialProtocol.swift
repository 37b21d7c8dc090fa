/// The official WIDER FACE evaluation (easy / medium / hard AP), as the MATLAB `eval_tools`
/// (`wider_eval.m`, `read_pred.m`, `norm_score.m`, `evaluation.m`) compute it.
///
/// Step by step:
/// 1. **Predictions** of every ground-truth image are read; an image without predictions has none.
///    Within each image they are sorted by descending raw score (stable: ties keep their input
///    order, as MATLAB's `sort(..., 'descend')`).
/// 2. **Scores** are min-max normalised over all predictions of the evaluated images:
///    `(s - min) / (max - min)`, with `max` and `min` started at MATLAB's `realmin('single')` and
///    `realmax('single')` as `norm_score.m` does (so for scores in [0, 1] they are the true extremes,
///    and also agree with the Python port, which starts at 0 and 1). If all scores are equal, every
///    normalised score is 1 (the official code would divide 0 by 0 and count nothing).
///    Arithmetic is in double, like the Python port (in MATLAB the single-precision start values
///    make the normalised scores single precision, which can move a score across a threshold
///    `t/1000` in rare ties).
/// 3. **Per image and setting**, if the image has faces and predictions: for each prediction in
///    order, its overlap with every face is computed with boxes `x ... x + w` and the +1 pixel
///    convention (``overlap(_:_:)``); the face with the largest overlap (the first on ties) is taken.
///    If that overlap is at least `iouThreshold`: a face not counted in the setting marks the face
///    and the prediction as ignored; else a counted face not yet matched becomes matched (a true
///    positive); a counted face already matched leaves the prediction a proposal that adds no
///    recall (a false positive). Otherwise the prediction is a false positive.
///    `pred_recall[h]` is the number of matched faces after prediction h.
/// 4. **Per threshold** `thr = 1 - t/1000`, t = 1 ... 1000: with r the last prediction whose
///    normalised score is at least `thr`, the image contributes the number of non-ignored
///    predictions among the first r (proposals) and `pred_recall[r]` (true positives); nothing if
///    no prediction reaches `thr`.
/// 5. **Dataset**: proposals and true positives are summed over images; precision = TP / proposals,
///    recall = TP / counted faces, where counted faces sums the `gt_list` lengths of *all* images,
///    including images with no faces or no predictions.
/// 6. **AP** = VOC continuous AP of that curve (sentinels, monotone precision envelope, sum of
///    recall steps times precision).
///
/// Boxes with a non-finite coordinate or score are skipped.
///
/// An image whose face list is empty contributes nothing, not even false positives (official
/// behaviour). The WIDER files store images without faces as one all-zero box, which does make
/// their predictions false positives.
public enum WiderOfficialProtocol {
    /// The official overlap (IoU) of a face and a prediction with the +1 pixel convention:
    /// with `x2 = x + w`, `y2 = y + h`, `iw = min(x2) - max(x1) + 1`, `ih` likewise, the overlap is
    /// `iw * ih / ((gx2 - gx1 + 1)(gy2 - gy1 + 1) + (px2 - px1 + 1)(py2 - py1 + 1) - iw * ih)`,
    /// and 0 when `iw <= 0` or `ih <= 0`.
    /// - Parameters:
    ///   - face: The ground-truth box.
    ///   - prediction: The predicted box.
    /// - Returns: The overlap.
    public static func overlap(_ face: FaceBox, _ prediction: ScoredBox) -> Double {
        let gx1 = face.x, gy1 = face.y
        let gx2 = face.x + face.width, gy2 = face.y + face.height
        let px1 = prediction.x, py1 = prediction.y
        let px2 = prediction.x + prediction.width, py2 = prediction.y + prediction.height
        let iw = min(gx2, px2) - max(gx1, px1) + 1
        let ih = min(gy2, py2) - max(gy1, py1) + 1
        guard iw > 0, ih > 0 else { return 0 }
        let intersection = iw * ih
        let faceArea = (gx2 - gx1 + 1) * (gy2 - gy1 + 1)
        let predictionArea = (px2 - px1 + 1) * (py2 - py1 + 1)
        return intersection / (faceArea + predictionArea - intersection)
    }

    /// Evaluates predictions against ground truth in the three settings.
    /// - Parameters:
    ///   - groundTruth: The images to evaluate (use ``WiderGroundTruth/restricted(to:)`` to
    ///     evaluate a subset; faces of every listed image count towards recall).
    ///   - predictions: Detections per image key; keys outside the ground truth are not evaluated
    ///     (reported in ``WiderEvaluationResult/unevaluatedPredictionKeys``).
    ///   - iouThreshold: The overlap needed for a match (0.5 officially).
    ///   - thresholdCount: The number of score thresholds (1000 officially).
    /// - Returns: AP, curve and counts per setting.
    public static func evaluate(groundTruth: WiderGroundTruth, predictions: WiderPredictionSet,
                                iouThreshold: Double = 0.5, thresholdCount: Int = 1000) -> WiderEvaluationResult {
        let steps = max(1, thresholdCount)
        let range = ScoreRange(groundTruth: groundTruth, predictions: predictions)
        var tally = Tally(steps: steps)
        for image in groundTruth.images {
            for (slot, difficulty) in WiderDifficulty.allCases.enumerated() {
                tally.countedFaces[slot] += image.countedIndices(difficulty).count
            }
            let raw = (predictions.images[image.key]?.boxes ?? []).filter(\.isFinite)
            guard !image.faces.isEmpty, !raw.isEmpty else { continue }
            tally.add(image, predictions: raw, range: range, iouThreshold: iouThreshold)
        }
        var settings: [WiderSettingResult] = []
        for (slot, difficulty) in WiderDifficulty.allCases.enumerated() {
            let faces = tally.countedFaces[slot]
            let curve = (0..<steps).map { t -> PRPoint in
                let proposed = tally.proposals[slot][t]
                let positives = tally.truePositives[slot][t]
                return PRPoint(
                    threshold: 1 - Double(t + 1) / Double(steps),
                    proposals: proposed,
                    truePositives: positives,
                    precision: proposed > 0 ? Double(positives) / Double(proposed) : .nan,
                    recall: faces > 0 ? Double(positives) / Double(faces) : .nan)
            }
            let ap = faces > 0 ? AveragePrecision.voc(recall: curve.map(\.recall), precision: curve.map(\.precision)) : .nan
            settings.append(WiderSettingResult(
                difficulty: difficulty, averagePrecision: ap, countedFaces: faces,
                imageCount: groundTruth.images.count, curve: curve))
        }
        let evaluatedKeys = Set(groundTruth.keys)
        let unevaluated = predictions.images.keys.filter { !evaluatedKeys.contains($0) }.sorted()
        return WiderEvaluationResult(
            easy: settings[0], medium: settings[1], hard: settings[2],
            imageCount: groundTruth.images.count, imagesWithPredictions: range.imagesWithPredictions,
            predictionCount: range.predictionCount, unevaluatedPredictionKeys: unevaluated, scoreRange: range.range)
    }

    /// The normalisation range over the predictions of evaluated images (norm_score.m).
    struct ScoreRange {
        var maxScore = Double(Float.leastNormalMagnitude)
        var minScore = Double(Float.greatestFiniteMagnitude)
        var predictionCount = 0
        var imagesWithPredictions = 0

        init(groundTruth: WiderGroundTruth, predictions: WiderPredictionSet) {
            for image in groundTruth.images {
                let boxes = (predictions.images[image.key]?.boxes ?? []).filter(\.isFinite)
                guard !boxes.isEmpty else { continue }
                imagesWithPredictions += 1
                predictionCount += boxes.count
                for box in boxes {
                    maxScore = max(maxScore, box.score)
                    minScore = min(minScore, box.score)
                }
            }
        }

        var range: ClosedRange<Double>? { predictionCount > 0 && minScore <= maxScore ? minScore...maxScore : nil }

        func normalise(_ score: Double) -> Double {
            maxScore == minScore ? 1.0 : (score - minScore) / (maxScore - minScore)
        }
    }

    /// Proposals and true positives per setting and threshold, summed over images.
    struct Tally {
        let steps: Int
        var proposals: [[Int]]
        var truePositives: [[Int]]
        var countedFaces = [Int](repeating: 0, count: WiderDifficulty.allCases.count)

        init(steps: Int) {
            self.steps = steps
            proposals = Array(repeating: [Int](repeating: 0, count: steps), count: WiderDifficulty.allCases.count)
            truePositives = proposals
        }

        /// Adds one image's predictions (finite, at least one) against its faces (at least one).
        mutating func add(_ image: WiderImageAnnotation, predictions raw: [ScoredBox], range: ScoreRange, iouThreshold: Double) {
            // Stable sort by descending raw score (read_pred.m).
            let order = raw.indices.sorted { raw[$0].score > raw[$1].score || (raw[$0].score == raw[$1].score && $0 < $1) }
            let sorted = order.map { raw[$0] }
            let scores = sorted.map { range.normalise($0.score) }
            // Best face per prediction; independent of the setting.
            let best: [(face: Int, overlap: Double)] = sorted.map { prediction in
                var bestFace = 0
                var bestOverlap = -Double.infinity
                for (faceIndex, face) in image.faces.enumerated() {
                    let value = WiderOfficialProtocol.overlap(face, prediction)
                    if value > bestOverlap {
                        bestOverlap = value
                        bestFace = faceIndex
                    }
                }
                return (bestFace, bestOverlap)
            }
            // Number of predictions with normalised score >= thr, for each threshold (scores are
            // non-increasing, so this is the official "last index" r).
            var kept = [Int](repeating: 0, count: steps)
            var cursor = 0
            for t in 1...steps {
                let threshold = 1 - Double(t) / Double(steps)
                while cursor < scores.count && scores[cursor] >= threshold { cursor += 1 }
                kept[t - 1] = cursor
            }
            for (slot, difficulty) in WiderDifficulty.allCases.enumerated() {
                let (proposalPrefix, predRecall) = match(best, counted: image.countedMask(difficulty), faces: image.faces.count,
                                                         iouThreshold: iouThreshold)
                for t in 0..<steps where kept[t] > 0 {
                    proposals[slot][t] += proposalPrefix[kept[t]]
                    truePositives[slot][t] += predRecall[kept[t] - 1]
                }
            }
        }

        /// For predictions in score order: how many of the first h are proposals (prefix sums),
        /// and how many counted faces the first h + 1 have matched.
        func match(_ best: [(face: Int, overlap: Double)], counted: [Bool], faces: Int, iouThreshold: Double) -> ([Int], [Int]) {
            var faceState = [Int8](repeating: 0, count: faces)  // 0 free, 1 matched, -1 ignored
            var proposalPrefix = [Int](repeating: 0, count: best.count + 1)
            var predRecall = [Int](repeating: 0, count: best.count)
            var matched = 0
            for h in best.indices {
                var isProposal = true
                let (face, value) = best[h]
                if value >= iouThreshold {
                    if !counted[face] {
                        faceState[face] = -1
                        isProposal = false
                    } else if faceState[face] == 0 {
                        faceState[face] = 1
                        matched += 1
                    }
                }
                proposalPrefix[h + 1] = proposalPrefix[h] + (isProposal ? 1 : 0)
                predRecall[h] = matched
            }
            return (proposalPrefix, predRecall)
        }
    }
}
