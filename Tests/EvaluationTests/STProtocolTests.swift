import Testing
@testable import Evaluation

@Suite("ST AP@0.5 protocol")
struct STProtocolTests {
    @Test("Frame mapping: stretch, half-to-even rounding, GT clipping")
    func frame() {
        let size = ImageSize(width: 256, height: 128)
        let a = STProtocol.frameBox(groundTruth: FaceBox(x: 20, y: 10, width: 40, height: 30), imageSize: size)
        #expect(a == FrameBox(x1: 10, y1: 10, x2: 30, y2: 40))
        // 141 / 2 = 70.5 rounds to 70 (half to even); 71.
        let b = STProtocol.frameBox(groundTruth: FaceBox(x: 100, y: 50, width: 41, height: 21), imageSize: size)
        #expect(b == FrameBox(x1: 50, y1: 50, x2: 70, y2: 71))
        // Clipped to 127 for ground truth, not for detections.
        let c = STProtocol.frameBox(groundTruth: FaceBox(x: 250, y: 120, width: 10, height: 10), imageSize: size)
        #expect(c == FrameBox(x1: 125, y1: 120, x2: 127, y2: 127))
        let d = STProtocol.frameBox(detection: ScoredBox(x: 250, y: 120, width: 10, height: 10, score: 1), imageSize: size)
        #expect(d == FrameBox(x1: 125, y1: 120, x2: 130, y2: 130))
        // ST IoU, +1 convention: identical 1; sharing one column: 11 / (121 + 121 - 11).
        let unit = FrameBox(x1: 0, y1: 0, x2: 10, y2: 10)
        #expect(unit.stIoU(unit) == 1)
        #expect(unit.stIoU(FrameBox(x1: 10, y1: 0, x2: 20, y2: 10)) == 11.0 / 231.0)
        #expect(unit.stIoU(FrameBox(x1: 11, y1: 0, x2: 20, y2: 10)) == 0)
    }

    /// Image a (256 x 128): faces A, B, C (frames as in `frame()`) and an all-zero box, dropped as
    /// padding. Image b (128 x 128): face E (0, 0, 10, 10). npos = 4.
    /// Detections: d1 0.9 = A (TP); d2 0.8 = A again (FP); d3 0.8 = E on b (TP; tied with d2, after
    /// it because image a comes first); d4 0.7 far (FP); d5 0.6 = B (TP); d6 on b all zeros (dropped).
    /// Cumulative TP 1 1 2 2 3, FP 0 1 1 2 2: recall .25 .25 .5 .5 .75, precision 1 .5 2/3 .5 .6.
    /// With sentinels the samples are 1 on [0, .25), .5 at .25 then linear to 2/3, .5 at .5 then
    /// linear to .6 at .75, then linear to 0 at 1. Trapezoids: .24 + .0075 + .1392 + .0058 + .1375
    /// + .075 = .605 (float32 precision values shift it by 8.3e-9).
    @Test("Greedy global matching, ties in image order, padding filter, 101-point trapezoid AP")
    func handCase() throws {
        let truth = try WiderGroundTruth(images: [
            WiderImageAnnotation(event: "s", name: "a", faces: [
                FaceBox(x: 20, y: 10, width: 40, height: 30), FaceBox(x: 100, y: 50, width: 41, height: 21),
                FaceBox(x: 250, y: 120, width: 10, height: 10), FaceBox(x: 0, y: 0, width: 0, height: 0),
            ], easy: [], medium: [], hard: []),
            WiderImageAnnotation(event: "s", name: "b", faces: [FaceBox(x: 0, y: 0, width: 10, height: 10)], easy: [], medium: [], hard: []),
        ])
        let predictions = WiderPredictionSet(images: [
            "s/a": ImagePredictions(boxes: [
                ScoredBox(x: 20, y: 10, width: 40, height: 30, score: 0.9),
                ScoredBox(x: 20, y: 10, width: 40, height: 30, score: 0.8),
                ScoredBox(x: 200, y: 0, width: 20, height: 20, score: 0.7),
                ScoredBox(x: 100, y: 50, width: 41, height: 21, score: 0.6),
            ]),
            "s/b": ImagePredictions(boxes: [
                ScoredBox(x: 0, y: 0, width: 10, height: 10, score: 0.8),
                ScoredBox(x: 0, y: 0, width: 0, height: 0, score: 0.95),
            ]),
        ])
        let sizes = ["s/a": ImageSize(width: 256, height: 128), "s/b": ImageSize(width: 128, height: 128)]
        let result = try STProtocol.evaluate(groundTruth: truth, predictions: predictions, imageSizes: sizes)
        #expect(result.groundTruthCount == 4)
        #expect(result.droppedGroundTruthCount == 1)
        #expect(result.detectionCount == 5)
        #expect(result.droppedDetectionCount == 1)
        #expect(result.truePositives == 3)
        #expect(result.curve.map(\.truePositives) == [1, 1, 2, 2, 3])
        #expect(result.curve.map(\.recall) == [0.25, 0.25, 0.5, 0.5, 0.75])
        #expect(result.curve.map(\.precision) == [1, 0.5, Double(Float(2) / Float(3)), 0.5, Double(Float(3) / Float(5))])
        #expect(result.interpolatedPrecision.count == 101)
        #expect(result.interpolatedPrecision[24] == 1)
        #expect(result.interpolatedPrecision[25] == 0.5)
        #expect(result.interpolatedPrecision[50] == 0.5)
        #expect(result.interpolatedPrecision[100] == 0)
        #expect(abs(result.averagePrecision - 0.605) < 1e-7)
        // numpy.trapz(numpy.interp(...)) on the same float32 arrays gives 0.6050000083446503.
        #expect(abs(result.averagePrecision - 0.6050000083446503) < 1e-15)
    }

    @Test("No detections give AP 0; a missing image size throws")
    func edges() throws {
        let truth = try WiderGroundTruth(images: [
            WiderImageAnnotation(event: "s", name: "a", faces: [FaceBox(x: 10, y: 10, width: 10, height: 10)], easy: [], medium: [], hard: []),
        ])
        let sizes = ["s/a": ImageSize(width: 100, height: 100)]
        let empty = try STProtocol.evaluate(groundTruth: truth, predictions: WiderPredictionSet(), imageSizes: sizes)
        #expect(empty.averagePrecision == 0)
        #expect(empty.groundTruthCount == 1)
        // One perfect detection: samples 1 up to 0.99 then 0 at recall 1 -> 0.99 + 0.005.
        let perfect = WiderPredictionSet(images: ["s/a": ImagePredictions(boxes: [ScoredBox(x: 10, y: 10, width: 10, height: 10, score: 0.5)])])
        let best = try STProtocol.evaluate(groundTruth: truth, predictions: perfect, imageSizes: sizes)
        #expect(abs(best.averagePrecision - 0.995) < 1e-12)
        // Non-finite detections are skipped.
        var withNaN = perfect
        withNaN.images["s/a"]?.boxes.append(ScoredBox(x: 10, y: 10, width: 10, height: 10, score: .nan))
        #expect(try STProtocol.evaluate(groundTruth: truth, predictions: withNaN, imageSizes: sizes) == best)
        #expect(throws: EvaluationDataError.self) {
            _ = try STProtocol.evaluate(groundTruth: truth, predictions: perfect, imageSizes: [:])
        }
    }

    @Test("numpy.interp semantics on duplicated abscissae")
    func interp() {
        let xp = [0.0, 0.25, 0.25, 0.5, 1.0]
        let fp = [1.0, 1.0, 0.5, 0.7, 0.0]
        #expect(AveragePrecision.numpyInterp(0.25, xp: xp, fp: fp) == 0.5)
        #expect(AveragePrecision.numpyInterp(0.1, xp: xp, fp: fp) == 1.0)
        #expect(abs(AveragePrecision.numpyInterp(0.375, xp: xp, fp: fp) - 0.6) < 1e-15)
        #expect(AveragePrecision.numpyInterp(1.0, xp: xp, fp: fp) == 0)
        #expect(AveragePrecision.numpyInterp(-1, xp: xp, fp: fp) == 1)
        #expect(AveragePrecision.cocoRecallPoints.count == 101)
        #expect(AveragePrecision.cocoRecallPoints[25] == 0.25)
        #expect(AveragePrecision.cocoRecallPoints[100] == 1)
    }
}
