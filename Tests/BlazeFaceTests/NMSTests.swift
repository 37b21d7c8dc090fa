import BlazeFace
import Testing

@Suite("Non-max suppression")
struct NMSTests {
    static func detection(
        _ xMin: Float, _ yMin: Float, _ xMax: Float, _ yMax: Float,
        score: Float, anchor: Int, keypoint: Float = 0
    ) -> Detection {
        Detection(
            box: NormalizedBox(xMin: xMin, yMin: yMin, xMax: xMax, yMax: yMax),
            keypoints: Array(repeating: NormalizedPoint(x: keypoint, y: keypoint), count: 6),
            score: score, anchorIndex: anchor)
    }

    @Test(arguments: NMSMethod.allCases)
    func emptyInputGivesEmptyOutput(method: NMSMethod) {
        #expect(nonMaxSuppression([], method: method, iouThreshold: 0.3, maxDetections: nil).isEmpty)
    }

    @Test(arguments: NMSMethod.allCases)
    func singleDetectionPassesUnchanged(method: NMSMethod) {
        let only = Self.detection(0.1, 0.2, 0.3, 0.4, score: 0.9, anchor: 5, keypoint: 0.25)
        #expect(nonMaxSuppression([only], method: method, iouThreshold: 0.3, maxDetections: nil) == [only])
    }

    @Test func weightedMergesOverlapIntoScoreWeightedMean() throws {
        // IoU = 0.1875 / 0.3125 = 0.6.
        let a = Self.detection(0, 0, 0.5, 0.5, score: 0.75, anchor: 1, keypoint: 0.25)
        let b = Self.detection(0.125, 0, 0.625, 0.5, score: 0.25, anchor: 2, keypoint: 0.5)
        #expect(a.box.intersectionOverUnion(with: b.box) == 0.6)
        let merged = nonMaxSuppression([b, a], method: .weighted, iouThreshold: 0.3, maxDetections: nil)
        let result = try #require(merged.first)
        #expect(merged.count == 1)
        // xMin = 0 * 0.75 + 0.125 * 0.25; xMax = 0.5 * 0.75 + 0.625 * 0.25 (total weight 1).
        #expect(result.box == NormalizedBox(xMin: 0.03125, yMin: 0, xMax: 0.53125, yMax: 0.5))
        #expect(result.keypoints == Array(repeating: NormalizedPoint(x: 0.3125, y: 0.3125), count: 6))
        #expect(result.score == 0.75)
        #expect(result.anchorIndex == 1)
    }

    @Test func weightedMeanNormalizesByTotalScore() throws {
        let a = Self.detection(0, 0, 1, 1, score: 0.5, anchor: 0, keypoint: 0)
        let b = Self.detection(0, 0, 1, 0.75, score: 0.25, anchor: 1, keypoint: 0.75)
        let result = try #require(
            nonMaxSuppression([a, b], method: .weighted, iouThreshold: 0.3, maxDetections: nil).first)
        // yMax = (1 * 0.5 + 0.75 * 0.25) / 0.75; keypoints = (0.75 * 0.25) / 0.75 = 0.25.
        #expect(isClose(result.box.yMax, 0.6875 / 0.75, tolerance: 1e-6))
        #expect(isClose(result.keypoints, Array(repeating: NormalizedPoint(x: 0.25, y: 0.25), count: 6),
                        tolerance: 1e-6))
        #expect(result.score == 0.5)
    }

    /// Box voting averages the near-duplicates (IoU >= 0.5) of the kept detection, drops the
    /// merely overlapping ones (IoU 0.33) without averaging them in, and keeps the rest.
    @Test func votingAveragesOnlyNearDuplicates() throws {
        let a = Self.detection(0, 0, 1, 1, score: 0.9, anchor: 1, keypoint: 0.5)
        let b = Self.detection(0.05, 0, 1.05, 1, score: 0.8, anchor: 2, keypoint: 0.6)   // IoU 0.905
        let c = Self.detection(0.5, 0, 1.5, 1, score: 0.7, anchor: 3, keypoint: 0.9)     // IoU 0.333
        let d = Self.detection(3, 3, 4, 4, score: 0.6, anchor: 4)
        let out = nonMaxSuppression([c, d, b, a], method: .voting, iouThreshold: 0.3, maxDetections: nil)
        #expect(out.count == 2)
        let top = try #require(out.first)
        #expect(top.score == 0.9 && top.anchorIndex == 1)
        #expect(abs(top.box.xMin - 0.04 / 1.7) < 1e-6 && abs(top.box.xMax - 1.74 / 1.7) < 1e-6, "\(top.box)")
        #expect(abs(top.keypoints[0].x - (0.45 + 0.48) / 1.7) < 1e-6)
        #expect(out.last == d)
        // Weighted NMS would have averaged c in too; hard NMS averages nothing.
        let weighted = nonMaxSuppression([c, d, b, a], method: .weighted, iouThreshold: 0.3, maxDetections: nil)
        #expect(abs((weighted.first?.box.xMin ?? 0) - (0.04 + 0.35) / 2.4) < 1e-6)
        #expect(nonMaxSuppression([c, d, b, a], method: .hard, iouThreshold: 0.3, maxDetections: nil) == [a, d])
        // A threshold above 0.5 votes over what it suppresses.
        let strict = nonMaxSuppression([c, d, b, a], method: .voting, iouThreshold: 0.95, maxDetections: 1)
        #expect(strict == [a])
    }

    @Test func hardKeepsTopAndDropsOverlap() {
        let a = Self.detection(0, 0, 0.5, 0.5, score: 0.75, anchor: 1)
        let b = Self.detection(0.125, 0, 0.625, 0.5, score: 0.25, anchor: 2)
        #expect(nonMaxSuppression([b, a], method: .hard, iouThreshold: 0.5, maxDetections: nil) == [a])
    }

    @Test(arguments: NMSMethod.allCases)
    func tiesKeepInputOrder(method: NMSMethod) {
        let first = Self.detection(0, 0, 0.5, 0.5, score: 0.5, anchor: 7)
        let second = Self.detection(0, 0, 0.5, 0.5, score: 0.5, anchor: 3)
        let forward = nonMaxSuppression([first, second], method: method, iouThreshold: 0.3, maxDetections: nil)
        let backward = nonMaxSuppression([second, first], method: method, iouThreshold: 0.3, maxDetections: nil)
        #expect(forward.map(\.anchorIndex) == [7])
        #expect(backward.map(\.anchorIndex) == [3])
        // Disjoint ties come out in input order.
        let far = Self.detection(0.75, 0.75, 1, 1, score: 0.5, anchor: 9)
        let disjoint = nonMaxSuppression([far, first], method: method, iouThreshold: 0.3, maxDetections: nil)
        #expect(disjoint.map(\.anchorIndex) == [9, 7])
    }

    @Test(arguments: NMSMethod.allCases)
    func zeroAreaBoxesNeverProduceNaN(method: NMSMethod) {
        let point = Self.detection(0.25, 0.25, 0.25, 0.25, score: 0.9, anchor: 0)
        let samePoint = Self.detection(0.25, 0.25, 0.25, 0.25, score: 0.8, anchor: 1)
        let line = Self.detection(0.25, 0, 0.25, 1, score: 0.7, anchor: 2)
        let real = Self.detection(0, 0, 0.5, 0.5, score: 0.6, anchor: 3)
        #expect(point.box.intersectionOverUnion(with: samePoint.box) == 0)
        #expect(point.box.intersectionOverUnion(with: real.box) == 0)
        #expect(line.box.intersectionOverUnion(with: real.box) == 0)
        let output = nonMaxSuppression(
            [point, samePoint, line, real], method: method, iouThreshold: 0.3, maxDetections: nil)
        // IoU with a zero-area box is 0, so nothing is suppressed or merged.
        #expect(output.map(\.anchorIndex) == [0, 1, 2, 3])
        #expect(output == [point, samePoint, line, real])
    }

    @Test(arguments: NMSMethod.allCases)
    func disjointBoxesAllSurviveInScoreOrder(method: NMSMethod) {
        let input = [
            Self.detection(0, 0, 0.25, 0.25, score: 0.6, anchor: 0),
            Self.detection(0.5, 0.5, 0.75, 0.75, score: 0.9, anchor: 1),
            Self.detection(0.25, 0.25, 0.5, 0.5, score: 0.7, anchor: 2), // touches corners only
        ]
        let output = nonMaxSuppression(input, method: method, iouThreshold: 0, maxDetections: nil)
        #expect(output.map(\.anchorIndex) == [1, 2, 0])
        #expect(output.map(\.box) == [input[1].box, input[2].box, input[0].box])
    }

    @Test(arguments: NMSMethod.allCases)
    func maxDetectionsCapsOutput(method: NMSMethod) {
        let input = (0..<5).map {
            Self.detection(Float($0) * 0.2, 0, Float($0) * 0.2 + 0.1, 0.1, score: Float($0) / 10, anchor: $0)
        }
        let capped = nonMaxSuppression(input, method: method, iouThreshold: 0.3, maxDetections: 2)
        #expect(capped.map(\.anchorIndex) == [4, 3])
        #expect(nonMaxSuppression(input, method: method, iouThreshold: 0.3, maxDetections: 0).isEmpty)
        #expect(nonMaxSuppression(input, method: method, iouThreshold: 0.3, maxDetections: nil).count == 5)
        #expect(nonMaxSuppression(input, method: method, iouThreshold: 0.3, maxDetections: 9).count == 5)
    }

    @Test func hardAndWeightedKeepSameLeadersButDifferInGeometry() {
        // a overlaps b (IoU 0.6); b overlaps c (IoU 0.45); a and c only by 0.23.
        let a = Self.detection(0, 0, 0.5, 0.5, score: 0.75, anchor: 0, keypoint: 0)
        let b = Self.detection(0.125, 0, 0.625, 0.5, score: 0.25, anchor: 1, keypoint: 1)
        let c = Self.detection(0.3125, 0, 0.8125, 0.5, score: 0.125, anchor: 2, keypoint: 0.5)
        #expect(a.box.intersectionOverUnion(with: c.box) <= 0.3)
        let hard = nonMaxSuppression([a, b, c], method: .hard, iouThreshold: 0.3, maxDetections: nil)
        let weighted = nonMaxSuppression([a, b, c], method: .weighted, iouThreshold: 0.3, maxDetections: nil)
        #expect(hard == [a, c])
        #expect(weighted.map(\.anchorIndex) == [0, 2])
        #expect(weighted[0].box == NormalizedBox(xMin: 0.03125, yMin: 0, xMax: 0.53125, yMax: 0.5))
        #expect(weighted[0].keypoints[0] == NormalizedPoint(x: 0.25, y: 0.25))
        #expect(weighted[1] == c)
        #expect(weighted[0] != hard[0])
    }

    @Test(arguments: NMSMethod.allCases)
    func iouEqualToThresholdDoesNotSuppress(method: NMSMethod) {
        // Intersection 0.125, union 0.25: IoU exactly 0.5.
        let a = Self.detection(0, 0, 0.75, 0.25, score: 0.9, anchor: 0)
        let b = Self.detection(0.25, 0, 1, 0.25, score: 0.8, anchor: 1)
        #expect(a.box.intersectionOverUnion(with: b.box) == 0.5)
        let atThreshold = nonMaxSuppression([a, b], method: method, iouThreshold: 0.5, maxDetections: nil)
        #expect(atThreshold == [a, b])
        let below = nonMaxSuppression([a, b], method: method, iouThreshold: 0.4999, maxDetections: nil)
        #expect(below.map(\.anchorIndex) == [0])
    }

    @Test(arguments: NMSMethod.allCases)
    func nanScoresAreDiscarded(method: NMSMethod) {
        let good = Self.detection(0, 0, 0.5, 0.5, score: 0.6, anchor: 0)
        let bad = Self.detection(0, 0, 0.5, 0.5, score: .nan, anchor: 1)
        #expect(nonMaxSuppression([bad, good], method: method, iouThreshold: 0.3, maxDetections: nil) == [good])
    }

    @Test func nestedBoxesCollapseIntoOneCluster() {
        // Three nested boxes: each pair overlaps; all collapse into one output.
        let input = [
            Self.detection(0, 0, 1, 1, score: 0.9, anchor: 0),
            Self.detection(0, 0, 0.9, 0.9, score: 0.8, anchor: 1),
            Self.detection(0, 0, 0.8, 0.8, score: 0.7, anchor: 2),
            Self.detection(0, 0, 0.1, 0.1, score: 0.95, anchor: 3), // small: IoU 0.01 with all
        ]
        let output = nonMaxSuppression(input, method: .weighted, iouThreshold: 0.3, maxDetections: nil)
        #expect(output.map(\.anchorIndex) == [3, 0])
        #expect(output[0] == input[3])
        #expect(isClose(output[1].box.xMax, (0.9 + 0.72 + 0.56) / 2.4, tolerance: 1e-6))
    }
}
