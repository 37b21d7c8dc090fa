import BlazeFace
import Foundation

/// Parser for the published BlazeFace detections of hollance/BlazeFace-PyTorch
/// (`data/samples/hollance_blazeface/reference_{front,back}_raw.txt`).
///
/// Format: `#` comment lines; per image a header `<file name> <count>` followed by `count` lines
/// of 17 numbers: `ymin xmin ymax xmax`, six keypoints `x y`, `score`, all normalized 0...1.
enum HollanceReference {
    /// One reference detection.
    struct Detection: Equatable {
        var box: NormalizedBox
        var keypoints: [NormalizedPoint]
        var score: Float

        /// As a library ``BlazeFace/Detection`` (anchor index unknown: -1).
        var asDetection: BlazeFace.Detection {
            BlazeFace.Detection(box: box, keypoints: keypoints, score: score, anchorIndex: -1)
        }
    }

    /// The detections published for one image.
    struct Image: Equatable {
        var name: String
        var detections: [Detection]
    }

    /// What went wrong while parsing.
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Parses a reference file.
    static func parse(path: String) throws -> [Image] {
        try parse(text: String(contentsOfFile: path, encoding: .utf8))
    }

    /// Parses reference text.
    static func parse(text: String) throws -> [Image] {
        var images: [Image] = []
        var expected = 0
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if expected == 0 {
                guard fields.count == 2, let count = Int(fields[1]), count >= 0 else {
                    throw ParseError(line: lineNumber, message: "expected '<image> <count>'")
                }
                images.append(Image(name: String(fields[0]), detections: []))
                expected = count
                continue
            }
            let values = fields.compactMap { Float($0) }
            guard fields.count == 17, values.count == 17 else {
                throw ParseError(line: lineNumber, message: "expected 17 numbers")
            }
            let box = NormalizedBox(xMin: values[1], yMin: values[0], xMax: values[3], yMax: values[2])
            let keypoints = (0..<6).map { NormalizedPoint(x: values[4 + 2 * $0], y: values[5 + 2 * $0]) }
            images[images.count - 1].detections.append(
                Detection(box: box, keypoints: keypoints, score: values[16]))
            expected -= 1
        }
        guard expected == 0 else {
            throw ParseError(line: -1, message: "file ends \(expected) detection(s) short")
        }
        return images
    }
}
