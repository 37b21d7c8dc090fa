import BlazeFace
import Foundation
import Quantizer
import Testing
import TestSupport

/// Calibration inputs are made as detection makes them, with or without black padding.
@Suite struct CalibrationImagesTests {
    @Test(.requires(.calibration)) func contentOnlyInputsHaveNoBlackPadding() throws {
        let files = try CalibrationImages.imageFiles(in: SharedData.path("data/wider_train_calib/images"))
        #expect(files.count == 300)
        let detector = try FaceDetector(modelPath: SharedData.floatModel)
        let paths = Array(files.prefix(3))
        let letterboxed = try CalibrationImages(paths: paths, detector: detector, tilesPerImage: 2, contentOnly: false)
        let content = try CalibrationImages(paths: paths, detector: detector, tilesPerImage: 2, contentOnly: true)
        #expect(letterboxed.source.prefix(3) == [0, 0, 0] && content.source.filter { $0 == 0 }.count == 3)
        #expect(content.scale == 1 / 127.5 && content.offset == -1)
        /// True when the first or last row of a 128x128 input is all black (letterbox padding).
        func blackBorder(_ p: [UInt8]) -> Bool {
            let row = 128 * 3
            return p[0..<row].allSatisfy { $0 == 0 } || p[(p.count - row)...].allSatisfy { $0 == 0 }
        }
        // WIDER photos are wider than tall: letterboxes have black rows, content-only inputs none.
        let wholeLetterboxed = letterboxed.pixels.indices.filter { k in k == 0 || letterboxed.source[k] != letterboxed.source[k - 1] }
        let wholeContent = content.pixels.indices.filter { k in k == 0 || content.source[k] != content.source[k - 1] }
        #expect(wholeLetterboxed.allSatisfy { blackBorder(letterboxed.pixels[$0]) })
        #expect(wholeContent.count == paths.count && !content.pixels.contains { blackBorder($0) })
        #expect(content.pixels.allSatisfy { $0.count == 128 * 128 * 3 })
        #expect(throws: QuantizerError.self) { try CalibrationImages.imageFiles(in: "/nonexistent-calibration-folder") }
    }
}
