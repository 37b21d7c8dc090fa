import BlazeFace
import Foundation
import Imaging
import Testing
import TestSupport

/// `FaceDetector.detect(_:options:)`: one entry point for files, decoded images and RGB images,
/// one pass and tiles.
@Suite struct DetectionEntryTests {
    /// A 1024x704 JPEG with three faces the int8 model finds in one pass.
    static let photo = SharedData.path("data/samples/photos/23.jpg")

    @Test(.requires(.samples)) func onePassOnAFileReportsFullResolutionAndOneCall() throws {
        let detector = try FaceDetector(model: .stInt8)
        let result = try detector.detect(.file(Self.photo))
        #expect(result.width == 1024 && result.height == 704 && result.modelCalls == 1)
        #expect(result.faces.count == 3)
        // The wrappers are the same detection.
        #expect(try detector.detect(imageAt: Self.photo) == result.faces)
        let decoded = try detector.decodeImage(at: Self.photo)
        #expect(decoded.image.width < 1024, "one pass decodes a 1024-pixel JPEG at a reduced scale")
        #expect(try detector.detect(.decoded(decoded)) == result)
        #expect(detector.detect(in: decoded) == result.faces)
        for f in result.faces {
            #expect(f.box.x > -f.box.width && f.box.x + f.box.width < 1024 + f.box.width && f.box.y < 704, "\(f.box)")
        }
    }

    @Test(.requires(.samples)) func tilesRunThePlanAndMapToTheFile() throws {
        let detector = try FaceDetector(model: .stInt8, options: DetectorOptions(minScore: 0.3, nms: .voting))
        let options = DetectionOptions(tiling: TilingOptions(mode: .levels(2)), threads: 2)
        let result = try detector.detect(.file(Self.photo), options: options)
        let decoded = try detector.decodeImage(at: Self.photo, for: options)
        #expect(decoded.image.width == 256, "512-pixel tiles need a quarter of the 1024-pixel file")
        let plan = TilePlanner.plan(width: decoded.image.width, height: decoded.image.height, inputSize: 128, options: options.tiling)
        #expect(result.modelCalls == plan.count && result.modelCalls > 1)
        #expect(result.width == 1024 && result.height == 704)
        // The same search on the full-resolution pixels finds faces at the same places.
        let full = try detector.detect(.image(try ImageDecoder.decode(path: Self.photo)), options: options)
        #expect(full.width == 1024 && full.modelCalls == result.modelCalls)
        let matched = result.faces.filter { f in full.faces.contains { abs($0.box.x - f.box.x) < 8 && abs($0.box.y - f.box.y) < 8 } }
        #expect(matched.count * 2 >= result.faces.count, "\(matched.count) of \(result.faces.count)")
    }

    @Test func badSourcesAreNamedErrors() throws {
        let detector = try FaceDetector(model: .front)
        #expect(throws: ImageError.self) { try detector.detect(.file("/nonexistent/x.jpg")) }
        #expect(throws: DetectorError.self) { try detector.detect(rgb: [0, 0], width: 1, height: 1) }
        let none = try detector.detect(.image(RGBImage(width: 64, height: 48, color: RGBColor(red: 90, green: 90, blue: 90))))
        #expect(none == DetectionResult(faces: [], width: 64, height: 48, modelCalls: 1))
    }
}
