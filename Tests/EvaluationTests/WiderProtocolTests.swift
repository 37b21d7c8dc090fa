import Testing
@testable import Evaluation

/// Hand-made cases whose curves and AP are worked out in the comments.
@Suite("Official WIDER protocol")
struct WiderProtocolTests {
    func box(_ x: Double, _ y: Double, _ score: Double, w: Double = 9, h: Double = 9) -> ScoredBox {
        ScoredBox(x: x, y: y, width: w, height: h, score: score)
    }

    func face(_ x: Double, _ y: Double, _ w: Double = 9, _ h: Double = 9) -> FaceBox {
        FaceBox(x: x, y: y, width: w, height: h)
    }

    func image(_ name: String, _ faces: [FaceBox], counted: [Int]) -> WiderImageAnnotation {
        WiderImageAnnotation(event: "e", name: name, faces: faces, easy: counted, medium: counted, hard: counted)
    }

    @Test("Overlap uses the +1 pixel convention")
    func overlap() {
        #expect(WiderOfficialProtocol.overlap(face(0, 0), box(0, 0, 0)) == 1)
        #expect(WiderOfficialProtocol.overlap(face(0, 0), box(10, 0, 0)) == 0)
        // Touching at x = 9: one pixel column shared: 10 / (100 + 100 - 10).
        #expect(WiderOfficialProtocol.overlap(face(0, 0), box(9, 0, 0)) == 10.0 / 190.0)
        // Shifted by 3: 7 x 10 = 70 over 130.
        #expect(WiderOfficialProtocol.overlap(face(0, 0), box(3, 0, 0)) == 70.0 / 130.0)
    }

    /// Image a: faces F1 (counted), F2 (ignored), F3 (counted); image b: one counted face and no
    /// predictions; image c: no faces, one prediction (ignored entirely, official behaviour).
    /// Predictions of a, scores already in [0, 1] with min 0 and max 1 (normalisation is identity):
    ///   p1 1.00 on F1 -> TP;  p2 0.75 on F1 again -> repeat hit, FP;  p3 0.50 on F2 -> ignored;
    ///   p4 0.25 nowhere -> FP;  p5 0.00 on F3 -> TP.  Counted faces: 2 + 1 = 3.
    /// Curve: {p1} P 1 R 1/3; {p1,p2} P 1/2 R 1/3; {+p3} P 1/2 R 1/3; {+p4} P 1/3 R 1/3;
    /// {+p5} (only at thr 0) P 2/4 R 2/3.  VOC AP = 1/3 * 1 + 1/3 * 1/2 = 0.5.
    @Test("Ignored faces, repeat hits, an image without predictions, an image without faces")
    func mainCase() throws {
        let truth = try WiderGroundTruth(images: [
            image("a", [face(0, 0), face(100, 0), face(200, 0)], counted: [1, 3]),
            image("b", [face(0, 0, 19, 19)], counted: [1]),
            image("c", [], counted: []),
        ])
        let predictions = WiderPredictionSet(images: [
            // Given out of order: the protocol sorts by score.
            "e/a": ImagePredictions(boxes: [box(300, 300, 0.25), box(0, 0, 1.0), box(200, 0, 0.0), box(1, 0, 0.75), box(100, 0, 0.5)]),
            "e/c": ImagePredictions(boxes: [box(0, 0, 0.6)]),
            "other/x": ImagePredictions(boxes: [box(0, 0, 5.0)]),
        ])
        let result = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: predictions)
        #expect(result.imageCount == 3)
        #expect(result.imagesWithPredictions == 2)
        #expect(result.predictionCount == 6)
        #expect(result.unevaluatedPredictionKeys == ["other/x"])
        #expect(result.scoreRange == 0.0...1.0)
        for difficulty in WiderDifficulty.allCases {
            let setting = result[difficulty]
            #expect(setting.countedFaces == 3)
            #expect(setting.curve.count == 1000)
            #expect(abs(setting.averagePrecision - 0.5) < 1e-15)
            // thr 0.999 (t = 1): only p1.
            #expect(setting.curve[0].proposals == 1 && setting.curve[0].truePositives == 1)
            #expect(setting.curve[0].threshold == 0.999)
            // thr 0.75 (t = 250): p1, p2 (a score equal to the threshold is kept).
            #expect(setting.curve[249].proposals == 2 && setting.curve[249].truePositives == 1)
            // thr 0.5 (t = 500): p3 joins, ignored.
            #expect(setting.curve[499].proposals == 2 && setting.curve[499].truePositives == 1)
            // thr 0.25: p4 joins, FP.
            #expect(setting.curve[749].proposals == 3 && setting.curve[749].truePositives == 1)
            // thr 0.001: still no p5.
            #expect(setting.curve[998].proposals == 3)
            // thr 0: p5 joins, TP.
            #expect(setting.curve[999].proposals == 4 && setting.curve[999].truePositives == 2)
            #expect(setting.curve[999].precision == 0.5)
            #expect(setting.curve[999].recall == 2.0 / 3.0)
        }
    }

    /// Settings differ only by which faces count: the same predictions give different AP.
    /// Faces F1, F2 far apart; easy counts F1 only, hard counts both. Predictions: d1 1.0 on F2,
    /// d2 0.0 on F1.  Easy: d1 ignored, so {d1}: no proposal (precision NaN, recall 0);
    /// {d1, d2}: P 1 R 1 -> AP 1.  Hard: {d1}: P 1 R 1/2; {d1, d2}: P 1 R 1 -> AP 1.
    /// Medium counts nothing: recall undefined, AP NaN.
    @Test("Settings use their own counted lists")
    func settings() throws {
        let truth = try WiderGroundTruth(images: [
            WiderImageAnnotation(event: "e", name: "a", faces: [face(0, 0), face(100, 0)], easy: [1], medium: [], hard: [1, 2]),
        ])
        let predictions = WiderPredictionSet(images: ["e/a": ImagePredictions(boxes: [box(100, 0, 1.0), box(0, 0, 0.0)])])
        let result = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: predictions)
        #expect(result.easy.averagePrecision == 1)
        #expect(result.easy.curve[0].proposals == 0)
        #expect(result.easy.curve[0].precision.isNaN)
        #expect(result.easy.curve[0].recall == 0)
        #expect(result.hard.averagePrecision == 1)
        #expect(result.hard.curve[0].recall == 0.5)
        #expect(result.medium.averagePrecision.isNaN)
        #expect(result.medium.countedFaces == 0)
    }

    /// Ties: q2 (TP) and q3 (FP) share score 0.5, so they enter the curve together; no threshold
    /// keeps exactly two predictions. Faces F1, F2 counted.
    /// q1 1.0 FP; q2 0.5 on F1 TP; q3 0.5 FP; q4 0.0 on F2 TP.
    /// Curve: {q1} P 0 R 0; {q1,q2,q3} P 1/3 R 1/2; all: P 1/2 R 1.  AP = 1/2 * 1/2 + 1/2 * 1/2 = 0.5.
    @Test("Score ties enter the curve together")
    func ties() throws {
        let truth = try WiderGroundTruth(images: [image("a", [face(0, 0), face(50, 0)], counted: [1, 2])])
        let predictions = WiderPredictionSet(images: ["e/a": ImagePredictions(boxes: [
            box(300, 300, 1.0), box(400, 400, 0.5), box(0, 0, 0.5), box(50, 0, 0.0),
        ])])
        let hard = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: predictions).hard
        #expect(abs(hard.averagePrecision - 0.5) < 1e-15)
        #expect(!hard.curve.contains { $0.proposals == 2 })
        #expect(hard.curve[499].proposals == 3 && hard.curve[499].truePositives == 1)
        #expect(hard.curve[0].precision == 0)
    }

    /// A prediction overlapping two counted faces equally (70/130 each) is matched to the first;
    /// a second identical prediction hits the same face again and is a false positive, although
    /// the other face is free: the official protocol never falls back to the second-best face.
    /// {r1}: P 1 R 1/2; {r1, r2}: P 1/2 R 1/2.  AP = 1/2.
    @Test("A prediction overlapping two faces takes the first best one; no fallback")
    func twoFaces() throws {
        let truth = try WiderGroundTruth(images: [image("a", [face(0, 0), face(6, 0)], counted: [1, 2])])
        let predictions = WiderPredictionSet(images: ["e/a": ImagePredictions(boxes: [box(3, 0, 1.0), box(3, 0, 0.0)])])
        let hard = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: predictions).hard
        #expect(hard.averagePrecision == 0.5)
        #expect(hard.curve[999].proposals == 2 && hard.curve[999].truePositives == 1)
    }

    /// The best face decides even when it is ignored: s1 overlaps ignored F1 (80/120) more than
    /// counted F2 (70/130), so s1 is ignored; s2 then matches F2.
    /// {s1}: no proposal; {s1, s2}: P 1 R 1.  AP = 1.
    @Test("A prediction whose best face is ignored is ignored even if it also covers a counted face")
    func ignoredBest() throws {
        let truth = try WiderGroundTruth(images: [image("a", [face(0, 0), face(5, 0)], counted: [2])])
        let predictions = WiderPredictionSet(images: ["e/a": ImagePredictions(boxes: [box(2, 0, 1.0), box(5, 0, 0.0)])])
        let hard = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: predictions).hard
        #expect(hard.averagePrecision == 1)
        #expect(hard.curve[0].proposals == 0)
    }

    /// Raw scores are min-max normalised over all evaluated predictions: logits -2 and 2 become 0
    /// and 1; an image with no predictions still counts its faces (AP = 1/2 * 1).
    @Test("Min-max normalisation over the whole set; empty images count their faces")
    func normalisation() throws {
        let truth = try WiderGroundTruth(images: [image("a", [face(0, 0)], counted: [1]), image("b", [face(0, 0)], counted: [1])])
        let predictions = WiderPredictionSet(images: [
            "e/a": ImagePredictions(boxes: [box(0, 0, 2.0), box(500, 0, -2.0)]),
            "e/b": ImagePredictions(boxes: []),
        ])
        let result = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: predictions)
        #expect(result.scoreRange == -2.0...2.0)
        #expect(result.hard.averagePrecision == 0.5)
        #expect(result.hard.curve[998].proposals == 1)
        #expect(result.hard.curve[999].proposals == 2)
        // Equal scores: all normalised to 1, everything kept from the first threshold.
        let flat = WiderPredictionSet(images: ["e/a": ImagePredictions(boxes: [box(0, 0, 0.3)])])
        var withNaN = flat
        withNaN.images["e/b"] = ImagePredictions(boxes: [box(0, 0, .nan), box(.infinity, 0, 0.9)])
        let nanResult = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: withNaN)
        #expect(nanResult.predictionCount == 1)
        #expect(nanResult.hard.averagePrecision == 0.5)
        #expect(nanResult.hard.curve.map(\.proposals) == [Int](repeating: 1, count: 1000))
        let flatResult = WiderOfficialProtocol.evaluate(groundTruth: truth, predictions: flat)
        #expect(flatResult.hard.curve[0].truePositives == 1)
        #expect(flatResult.hard.averagePrecision == 0.5)
    }

    @Test("VOC AP with sentinels and envelope")
    func voc() {
        // Points (0.2, 0.5), (0.4, 1.0), (0.6, 0.25): envelope 1, 1, 0.25 -> 0.2 + 0.2 + 0.05.
        #expect(abs(AveragePrecision.voc(recall: [0.2, 0.4, 0.6], precision: [0.5, 1.0, 0.25]) - 0.45) < 1e-15)
        #expect(AveragePrecision.voc(recall: [0, 0.5], precision: [.nan, 1]) == 0.5)
    }
}
