import BlazeFace
import Foundation
import Testing
import TestSupport

@Suite("Published reference detections (hollance/BlazeFace-PyTorch)")
struct HollanceReferenceTests {
    static let directory = "data/samples/hollance_blazeface/"

    @Test(.requires(.samples)) func parsesFrontReference() throws {
        let images = try HollanceReference.parse(path: SharedData.path(Self.directory + "reference_front_raw.txt"))
        #expect(images.map(\.name) == ["1face.png", "3faces.png", "4faces.png"])
        #expect(images.map(\.detections.count) == [1, 3, 0])
        let first = try #require(images.first?.detections.first)
        #expect(first.box == NormalizedBox(xMin: 0.3182, yMin: 0.2763, xMax: 0.4884, yMax: 0.4465))
        #expect(first.keypoints[0] == NormalizedPoint(x: 0.3830, y: 0.3150))
        #expect(first.keypoints[5] == NormalizedPoint(x: 0.4769, y: 0.3464))
        #expect(first.score == 0.9308)
    }

    @Test(.requires(.samples)) func parsesBackReference() throws {
        let images = try HollanceReference.parse(path: SharedData.path(Self.directory + "reference_back_raw.txt"))
        #expect(images.map(\.detections.count) == [1, 3, 3])
        #expect(images.flatMap(\.detections).allSatisfy { $0.keypoints.count == 6 })
    }

    @Test(.requires(.samples)) func frontReferenceIsConsistentWithOurPostprocessing() throws {
        let images = try HollanceReference.parse(path: SharedData.path(Self.directory + "reference_front_raw.txt"))
        for image in images {
            let detections = image.detections.map(\.asDetection)
            for detection in detections {
                #expect(detection.score >= 0.75)
                // BlazeFace front boxes are square (w = h in the 128x128 frame), to print precision.
                #expect(isClose(detection.box.width, detection.box.height, tolerance: 2e-4))
                // Eyes, nose and mouth lie inside the box.
                for keypoint in detection.keypoints.prefix(4) {
                    #expect(keypoint.x > detection.box.xMin && keypoint.x < detection.box.xMax)
                    #expect(keypoint.y > detection.box.yMin && keypoint.y < detection.box.yMax)
                }
            }
            // Final detections after weighted NMS at 0.3 no longer overlap above 0.3, so running
            // NMS again changes nothing but the order (by score).
            let again = nonMaxSuppression(detections, method: .weighted, iouThreshold: 0.3, maxDetections: nil)
            #expect(again == detections.sorted { $0.score > $1.score })
        }
    }

    @Test(.requires(.samples)) func facesInPixelsMatchTheAnnotationFile() throws {
        let images = try HollanceReference.parse(path: SharedData.path(Self.directory + "reference_front_raw.txt"))
        let text = try String(
            contentsOfFile: SharedData.path(Self.directory + "annotations_reference_front.txt"), encoding: .utf8)
        // Annotation boxes are `x y width height` in 128x128 pixels, one decimal.
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        var boxes: [[Float]] = []
        for line in lines where !line.hasPrefix("images/") {
            boxes.append(line.split(separator: " ").compactMap { Float($0) })
        }
        let faces = images.flatMap(\.detections).map {
            Face(detection: $0.asDetection) { x, y in (x * 128, y * 128) }
        }
        #expect(faces.count == boxes.count)
        for (face, box) in zip(faces, boxes) {
            let expected = try #require(box.count == 4 ? box : nil)
            #expect(isClose(face.box.x, expected[0], tolerance: 0.051))
            #expect(isClose(face.box.y, expected[1], tolerance: 0.051))
            #expect(isClose(face.box.width, expected[2], tolerance: 0.051))
            #expect(isClose(face.box.height, expected[3], tolerance: 0.051))
        }
    }

    @Test func rejectsMalformedText() {
        #expect(throws: HollanceReference.ParseError.self) {
            try HollanceReference.parse(text: "a.png 1\n0.1 0.2 0.3\n")
        }
        #expect(throws: HollanceReference.ParseError.self) {
            try HollanceReference.parse(text: "a.png 2\n" + Array(repeating: "0.5", count: 17).joined(separator: " "))
        }
        #expect(throws: HollanceReference.ParseError.self) {
            try HollanceReference.parse(text: "a.png x\n")
        }
    }

    @Test func parsesMinimalText() throws {
        let row = (1...17).map { String(Float($0) / 20) }.joined(separator: " ")
        let images = try HollanceReference.parse(text: "# comment\nb.png 1\n\(row)\nc.png 0\n")
        #expect(images.map(\.name) == ["b.png", "c.png"])
        let detection = try #require(images.first?.detections.first)
        #expect(detection.box == NormalizedBox(xMin: 0.1, yMin: 0.05, xMax: 0.2, yMax: 0.15))
        #expect(detection.score == 0.85)
    }
}
