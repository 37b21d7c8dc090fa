import FaceFormats
import Foundation

/// Detections for a set of images, keyed like the ground truth by "event/name".
///
/// Reads and writes the WIDER FACE submission layout: `<folder>/<event>/<name>.txt`, each file
/// holding the image name on line 1, the number of boxes n on line 2, then n lines
/// `x y w h score` (left, top, width, height in source pixels; any finite score).
public struct WiderPredictionSet: Sendable, Equatable {
    /// The detections per image key "event/name".
    public var images: [String: ImagePredictions]

    /// Creates a prediction set.
    /// - Parameter images: Detections per image key "event/name".
    public init(images: [String: ImagePredictions] = [:]) {
        self.images = images
    }

    /// The total number of boxes.
    public var boxCount: Int {
        images.values.reduce(0) { $0 + $1.boxes.count }
    }

    /// Reads a submission folder `<folder>/<event>/<name>.txt`.
    ///
    /// The key of each file is its path ("event/name"), not its first line (the official MATLAB
    /// code does the same; the first line is only required to be present). Trailing whitespace,
    /// CR line ends and trailing blank lines are accepted. Hidden files and files not ending in
    /// `.txt` are skipped.
    /// - Parameter folder: The submission folder.
    /// - Throws: ``EvaluationDataError`` naming the file and line of the first malformed file.
    public static func load(from folder: String) throws -> WiderPredictionSet {
        let manager = FileManager.default
        let events: [String]
        do {
            events = try manager.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw EvaluationDataError(file: folder, reason: "cannot list the prediction folder: \(error.localizedDescription)")
        }
        var images: [String: ImagePredictions] = [:]
        for event in events where !event.hasPrefix(".") {
            let eventPath = (folder as NSString).appendingPathComponent(event)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: eventPath, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let files: [String]
            do {
                files = try manager.contentsOfDirectory(atPath: eventPath).sorted()
            } catch {
                throw EvaluationDataError(file: eventPath, reason: "cannot list the folder: \(error.localizedDescription)")
            }
            for file in files where !file.hasPrefix(".") && file.hasSuffix(".txt") {
                let path = (eventPath as NSString).appendingPathComponent(file)
                let predictions = try parse(text: EvaluationFile.text(path, kind: "prediction"), file: path)
                images["\(event)/\(String(file.dropLast(4)))"] = predictions
            }
        }
        return WiderPredictionSet(images: images)
    }

    /// Parses one prediction file.
    /// - Parameters:
    ///   - text: The file contents.
    ///   - file: The name used in error messages.
    /// - Returns: The detections.
    /// - Throws: ``EvaluationDataError`` for a missing name or count line, a count that is not a
    ///   non-negative integer, fewer box lines than the count, a box line that is not five finite
    ///   numbers, or non-blank lines after the boxes.
    public static func parse(text: String, file: String) throws -> ImagePredictions {
        let lines = WiderGroundTruth.lines(of: text)
        guard lines.count >= 2 else {
            throw EvaluationDataError(file: file, line: lines.count + 1, reason: "expected the image name on line 1 and the box count on line 2")
        }
        let countText = lines[1].trimmingCharacters(in: .whitespaces)
        guard let count = Int(countText), count >= 0 else {
            throw EvaluationDataError(file: file, line: 2, reason: "box count \"\(countText)\" is not a non-negative integer")
        }
        var boxes: [ScoredBox] = []
        boxes.reserveCapacity(min(count, lines.count))
        // Trailing blank lines do not count as lines of the file.
        let contentEnd = (lines.lastIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? -1) + 1
        for index in 0..<count {
            let lineNumber = index + 3
            guard lineNumber - 1 < contentEnd else {
                throw EvaluationDataError(file: file, line: lineNumber, reason: "count says \(count) boxes but the file ends after \(index)")
            }
            let fields = lines[lineNumber - 1].split(whereSeparator: \.isWhitespace)
            let values = fields.compactMap { DecimalField.value($0) }
            guard fields.count == 5, values.count == 5 else {
                throw EvaluationDataError(
                    file: file, line: lineNumber,
                    reason: "expected \"x y w h score\" (five decimal numbers, at most 1e6 in size), found \"\(lines[lineNumber - 1])\"")
            }
            guard values[2] > 0, values[3] > 0 else {
                throw EvaluationDataError(file: file, line: lineNumber, reason: "box width and height must be positive, found \"\(lines[lineNumber - 1])\"")
            }
            boxes.append(ScoredBox(x: values[0], y: values[1], width: values[2], height: values[3], score: values[4]))
        }
        if let extra = lines.indices.dropFirst(count + 2).first(where: { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw EvaluationDataError(file: file, line: extra + 1, reason: "unexpected content after the \(count) boxes")
        }
        return ImagePredictions(boxes: boxes)
    }

    /// Formats one image's file: the name, the count, then one `x y w h score` line per box.
    ///
    /// This is FaceFormats' one WIDER formatter (``FaceFormats/WiderFile``), which `detect --format
    /// wider` also uses: numbers are written in Swift's shortest round-trip form, so reading the
    /// file back gives the same doubles.
    /// - Parameters:
    ///   - name: The image name written on line 1 (the official tools ignore it).
    ///   - predictions: The detections.
    public static func format(name: String, predictions: ImagePredictions) -> String {
        WiderFile.text(name: name, boxes: predictions.boxes.map { ($0.x, $0.y, $0.width, $0.height, $0.score) })
    }

    /// Writes the set as a submission folder `<folder>/<event>/<name>.txt` (folders created as
    /// needed, existing files replaced). Line 1 of each file is the image name without extension.
    /// - Parameter folder: The destination folder.
    /// - Throws: ``EvaluationDataError`` for a key that is not "event/name" or a failed write.
    public func write(to folder: String) throws {
        let manager = FileManager.default
        for key in images.keys.sorted() {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, let predictions = images[key] else {
                throw EvaluationDataError(file: folder, reason: "image key \"\(key)\" is not event/name")
            }
            let eventPath = (folder as NSString).appendingPathComponent(String(parts[0]))
            let path = (eventPath as NSString).appendingPathComponent("\(parts[1]).txt")
            do {
                try manager.createDirectory(atPath: eventPath, withIntermediateDirectories: true)
                let text = WiderPredictionSet.format(name: String(parts[1]), predictions: predictions)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw EvaluationDataError(file: path, reason: "cannot write: \(error.localizedDescription)")
            }
        }
    }
}
