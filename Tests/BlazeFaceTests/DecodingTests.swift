import BlazeFace
import Foundation
import Testing

@Suite("Decoding")
struct DecodingTests {
    static let centre = Anchor(xCenter: 0.5, yCenter: 0.5, width: 1, height: 1)

    /// Regressors for one anchor: box, then keypoint i at raw (8 i, -8 i).
    static func raw(x: Float, y: Float, w: Float, h: Float) -> [Float] {
        [x, y, w, h] + (0..<6).flatMap { [Float(8 * $0), Float(-8 * $0)] }
    }

    @Test func decodesBoxAndKeypointsRelativeToAnchor() throws {
        let detections = try decodeDetections(
            regressors: Self.raw(x: 16, y: -32, w: 64, h: 32), scores: [0],
            anchors: [Self.centre], options: .blazeFaceFront)
        let detection = try #require(detections.first)
        #expect(detections.count == 1)
        // Centre (0.5 + 16/128, 0.5 - 32/128) = (0.625, 0.25); size (0.5, 0.25).
        #expect(detection.box == NormalizedBox(xMin: 0.375, yMin: 0.125, xMax: 0.875, yMax: 0.375))
        #expect(detection.keypoints == (0..<6).map {
            NormalizedPoint(x: 0.5 + Float($0) / 16, y: 0.5 - Float($0) / 16)
        })
        #expect(detection.score == 0.5)
        #expect(detection.anchorIndex == 0)
    }

    @Test func nonUnitAnchorsScaleOffsetsAndSizes() throws {
        let anchor = Anchor(xCenter: 0.25, yCenter: 0.75, width: 0.5, height: 0.25)
        let detections = try decodeDetections(
            regressors: Self.raw(x: 64, y: 128, w: 128, h: 64), scores: [10],
            anchors: [anchor], options: .blazeFaceFront)
        let detection = try #require(detections.first)
        // x = 0.5 * 0.5 + 0.25 = 0.5; y = 1 * 0.25 + 0.75 = 1; w = 0.5; h = 0.125.
        #expect(detection.box == NormalizedBox(xCenter: 0.5, yCenter: 1, width: 0.5, height: 0.125))
        // Keypoint 2: raw (16, -16) -> (0.125 * 0.5 + 0.25, -0.125 * 0.25 + 0.75).
        #expect(detection.keypoints[2] == NormalizedPoint(x: 0.3125, y: 0.71875))
    }

    @Test func scoreIsSigmoidAndMinScoreIsInclusive() throws {
        let regressors = Array(repeating: Self.raw(x: 0, y: 0, w: 16, h: 16), count: 3).flatMap { $0 }
        var options = DecodeOptions.blazeFaceFront
        options.minScore = 0.5
        let detections = try decodeDetections(
            regressors: regressors, scores: [0, -0.01, 2],
            anchors: Array(repeating: Self.centre, count: 3), options: options)
        #expect(detections.map(\.anchorIndex) == [0, 2])
        #expect(detections[0].score == 0.5)
        #expect(isClose(detections[1].score, 1 / (1 + exp(Float(-2))), tolerance: 1e-7))
    }

    @Test func extremeLogitsAreClippedWithoutNaN() throws {
        let logits: [Float] = [1e30, -1e30, .infinity, -.infinity, 100, -100, .nan]
        let regressors = Array(repeating: Self.raw(x: 0, y: 0, w: 16, h: 16), count: logits.count)
            .flatMap { $0 }
        var options = DecodeOptions.blazeFaceFront
        options.minScore = 0
        let detections = try decodeDetections(
            regressors: regressors, scores: logits,
            anchors: Array(repeating: Self.centre, count: logits.count), options: options)
        // The NaN logit fails `score >= minScore`; all others are clipped to +-100.
        #expect(detections.map(\.anchorIndex) == [0, 1, 2, 3, 4, 5])
        #expect(detections.allSatisfy { $0.score.isFinite && $0.score >= 0 && $0.score <= 1 })
        #expect(detections[0].score == 1)
        // exp(100) overflows Float to infinity, so sigmoid(-100) is exactly 0 (as in MediaPipe).
        #expect(detections[1].score == 0)
        #expect(detections[0].score == detections[2].score && detections[2].score == detections[4].score)
        #expect(detections[1].score == detections[3].score && detections[3].score == detections[5].score)
    }

    @Test func emptyInvertedAndNonFiniteBoxesAreDropped() throws {
        let cases: [[Float]] = [
            Self.raw(x: 0, y: 0, w: 0, h: 16),          // zero width
            Self.raw(x: 0, y: 0, w: 16, h: 0),          // zero height
            Self.raw(x: 0, y: 0, w: -16, h: 16),        // negative width
            Self.raw(x: 0, y: 0, w: 16, h: -1e-3),      // negative height
            Self.raw(x: .nan, y: 0, w: 16, h: 16),      // NaN centre
            Self.raw(x: 0, y: 0, w: .infinity, h: 16),  // infinite width
            Self.raw(x: 0, y: 0, w: 16, h: .nan),       // NaN height
            Self.raw(x: 0, y: 0, w: 16, h: 16),         // valid
        ]
        var lastBroken = Self.raw(x: 0, y: 0, w: 16, h: 16)
        lastBroken[15] = .infinity                       // infinite keypoint
        let all = cases + [lastBroken]
        let detections = try decodeDetections(
            regressors: all.flatMap { $0 }, scores: Array(repeating: 5, count: all.count),
            anchors: Array(repeating: Self.centre, count: all.count), options: .blazeFaceFront)
        #expect(detections.map(\.anchorIndex) == [7])
    }

    @Test func mismatchedSizesThrow() {
        #expect(throws: DecodeError.regressorCountMismatch(expected: 32, actual: 16)) {
            try decodeDetections(
                regressors: Self.raw(x: 0, y: 0, w: 1, h: 1), scores: [0, 0],
                anchors: [Self.centre, Self.centre], options: .blazeFaceFront)
        }
        #expect(throws: DecodeError.scoreCountMismatch(expected: 1, actual: 2)) {
            try decodeDetections(
                regressors: Self.raw(x: 0, y: 0, w: 1, h: 1), scores: [0, 0],
                anchors: [Self.centre], options: .blazeFaceFront)
        }
    }

    @Test func optionsOutsideTheRegressorsThrow() {
        var options = DecodeOptions.blazeFaceFront
        options.numKeypoints = 7
        #expect(throws: DecodeError.self) {
            try decodeDetections(
                regressors: Self.raw(x: 0, y: 0, w: 1, h: 1), scores: [0],
                anchors: [Self.centre], options: options)
        }
    }

    @Test func bufferAndArrayVariantsAgree() throws {
        let anchors = generateAnchors(.blazeFaceFront)
        let (regressors, logits) = Self.pseudoRandomOutputs(count: anchors.count)
        var options = DecodeOptions.blazeFaceFront
        options.minScore = 0.3
        let fromArrays = try decodeDetections(
            regressors: regressors, scores: logits, anchors: anchors, options: options)
        let fromBuffers = try regressors.withUnsafeBufferPointer { boxes in
            try logits.withUnsafeBufferPointer { scores in
                try decodeDetections(regressors: boxes, scores: scores, anchors: anchors, options: options)
            }
        }
        #expect(!fromArrays.isEmpty)
        #expect(fromArrays == fromBuffers)
        #expect(fromArrays.map(\.anchorIndex) == fromArrays.map(\.anchorIndex).sorted())
    }

    @Test func twoHeadsDecodeLikeTheirConcatenation() throws {
        let anchors = generateAnchors(.blazeFaceFront)
        let (regressors, logits) = Self.pseudoRandomOutputs(count: anchors.count)
        var options = DecodeOptions.blazeFaceFront
        options.minScore = 0.3
        let whole = try decodeDetections(
            regressors: regressors, scores: logits, anchors: anchors, options: options)
        let split = try decodeDetections(
            heads: [
                (regressors: Array(regressors[..<(512 * 16)]), scores: Array(logits[..<512])),
                (regressors: Array(regressors[(512 * 16)...]), scores: Array(logits[512...])),
            ],
            anchors: anchors, options: options)
        #expect(split == whole)
        #expect(split.contains { $0.anchorIndex >= 512 })
        #expect(throws: DecodeError.scoreCountMismatch(expected: 896, actual: 512)) {
            try decodeDetections(
                heads: [(regressors: Array(regressors[..<(512 * 16)]), scores: Array(logits[..<512]))],
                anchors: anchors, options: options)
        }
    }

    /// Deterministic pseudo-random raw outputs (LCG): positive sizes, logits in -3...3.
    static func pseudoRandomOutputs(count: Int) -> (regressors: [Float], logits: [Float]) {
        var state: UInt32 = 12345
        func next() -> Float {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 24)
        }
        var regressors: [Float] = []
        var logits: [Float] = []
        for _ in 0..<count {
            regressors += [next() * 20 - 10, next() * 20 - 10, next() * 40 + 1, next() * 40 + 1]
            regressors += (0..<12).map { _ in next() * 40 - 20 }
            logits.append(next() * 6 - 3)
        }
        return (regressors, logits)
    }
}
