import BlazeFace
import Foundation
import Testing

@Suite("Face and keypoints")
struct FaceTests {
    static let detection = Detection(
        box: NormalizedBox(xMin: 0.25, yMin: 0.5, xMax: 0.75, yMax: 1),
        keypoints: (0..<6).map { NormalizedPoint(x: Float($0) / 8, y: 0.5) },
        score: 0.875, anchorIndex: 12)

    @Test func keypointNamesAndIndices() {
        #expect(FaceKeypoint.allCases.map(\.rawValue) == [
            "right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion", "left_ear_tragion",
        ])
        #expect(FaceKeypoint.allCases.map(\.index) == Array(0..<6))
        #expect(FaceKeypoint(index: 3) == .mouthCenter)
        #expect(FaceKeypoint(index: 6) == nil)
        #expect(FaceKeypoint(index: -1) == nil)
    }

    @Test func stretchMappingToSourcePixels() throws {
        let face = Face(detection: Self.detection) { x, y in (x * 640, y * 480) }
        #expect(face.box == Face.Box(x: 160, y: 240, width: 320, height: 240))
        #expect(face.score == 0.875)
        #expect(face.keypoints.count == 6)
        #expect(face.keypoints[.rightEye] == Face.Point(x: 0, y: 240))
        #expect(face.keypoints[.noseTip] == Face.Point(x: 160, y: 240))
        #expect(face.keypoints[.leftEarTragion] == Face.Point(x: 400, y: 240))
    }

    @Test func mirroringMappingKeepsSizeNonNegative() {
        let face = Face(detection: Self.detection) { x, y in ((1 - x) * 100, y * 100) }
        #expect(face.box == Face.Box(x: 25, y: 50, width: 50, height: 50))
    }

    @Test func letterboxMapping() {
        // Source 200x100 letterboxed into a square: pad 0.25 top and bottom.
        let padTop: Float = 0.25, padBottom: Float = 0.25
        let face = Face(detection: Self.detection) { x, y in
            (x * 200, (y - padTop) / (1 - padTop - padBottom) * 100)
        }
        #expect(face.box == Face.Box(x: 50, y: 50, width: 100, height: 100))
    }

    @Test func encodesToTheDocumentedJSONShape() throws {
        let face = Face(detection: Self.detection) { x, y in (x * 8, y * 8) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(face)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["box", "score", "keypoints"])
        let box = try #require(object["box"] as? [String: Double])
        #expect(box == ["x": 2, "y": 4, "width": 4, "height": 4])
        #expect(object["score"] as? Double == 0.875)
        let keypoints = try #require(object["keypoints"] as? [String: [String: Double]])
        #expect(Set(keypoints.keys) == Set(FaceKeypoint.allCases.map(\.rawValue)))
        #expect(keypoints["mouth_center"] == ["x": 3, "y": 4])
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.hasPrefix(#"{"box":{"height":4,"width":4,"x":2,"y":4},"keypoints":{"left_ear_tragion""#))
        #expect(try JSONDecoder().decode(Face.self, from: data) == face)
    }
}
