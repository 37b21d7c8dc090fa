import Foundation

extension WiderGroundTruth {
    /// Loads ground truth from the WIDER split text files.
    ///
    /// `boxFile` (`wider_face_val_bbx_gt.txt`) repeats: a line `event/name.jpg`, a line with the face
    /// count n, then n lines `x y w h blur expression illumination invalid occlusion pose` (only
    /// the first four numbers are used). An image with n = 0 is followed by one line of zeros,
    /// which is kept as a single zero box, exactly as `wider_face_val.mat` stores such images.
    ///
    /// Each keep file (`keep_easy.txt`, ...) has one line per image: `event/name.jpg k i1 ... ik`,
    /// the k 1-based indices of the faces counted in that setting (the `gt_list` of the MAT-files).
    /// Every image of `boxFile` must have exactly one line in every keep file, and vice versa.
    /// - Parameters:
    ///   - boxFile: Path of `wider_face_val_bbx_gt.txt`.
    ///   - easyKeepFile: Path of `keep_easy.txt`.
    ///   - mediumKeepFile: Path of `keep_medium.txt`.
    ///   - hardKeepFile: Path of `keep_hard.txt`.
    /// - Throws: ``EvaluationDataError`` naming the file and line of any malformed content.
    public static func loadText(boxFile: String, easyKeepFile: String, mediumKeepFile: String, hardKeepFile: String) throws -> WiderGroundTruth {
        let boxes = try parseBoxFile(text: readText(boxFile), file: boxFile)
        var keeps: [WiderDifficulty: [String: [Int]]] = [:]
        for (difficulty, path) in [(WiderDifficulty.easy, easyKeepFile), (.medium, mediumKeepFile), (.hard, hardKeepFile)] {
            let keep = try parseKeepFile(text: readText(path), file: path)
            let boxKeys = Set(boxes.map(\.key))
            if let extra = keep.keys.sorted().first(where: { !boxKeys.contains($0) }) {
                throw EvaluationDataError(file: path, reason: "image \(extra) is not in \(boxFile)")
            }
            if let missing = boxes.first(where: { keep[$0.key] == nil }) {
                throw EvaluationDataError(file: path, reason: "no line for image \(missing.key)")
            }
            keeps[difficulty] = keep
        }
        let images = boxes.map { entry in
            WiderImageAnnotation(
                event: entry.event, name: entry.name, faces: entry.faces,
                easy: keeps[.easy]?[entry.key] ?? [], medium: keeps[.medium]?[entry.key] ?? [], hard: keeps[.hard]?[entry.key] ?? [])
        }
        return try WiderGroundTruth(images: images, source: "\(boxFile) + keep_{easy,medium,hard}.txt")
    }

    /// Loads ground truth from a `wider_face_split` folder holding `wider_face_val_bbx_gt.txt` and
    /// `keep_easy.txt`, `keep_medium.txt`, `keep_hard.txt`.
    /// - Parameter splitDirectory: The folder.
    /// - Throws: As ``loadText(boxFile:easyKeepFile:mediumKeepFile:hardKeepFile:)``.
    public static func loadText(splitDirectory: String) throws -> WiderGroundTruth {
        func path(_ name: String) -> String { (splitDirectory as NSString).appendingPathComponent(name) }
        return try loadText(
            boxFile: path("wider_face_val_bbx_gt.txt"), easyKeepFile: path("keep_easy.txt"),
            mediumKeepFile: path("keep_medium.txt"), hardKeepFile: path("keep_hard.txt"))
    }

    // MARK: - Parsing

    /// One image of the box file.
    struct BoxFileEntry {
        let event: String
        let name: String
        let faces: [FaceBox]
        var key: String { "\(event)/\(name)" }
    }

    static func readText(_ path: String) throws -> String {
        try EvaluationFile.text(path, kind: "ground-truth text")
    }

    /// Splits text into lines (LF, CRLF or CR ends) with trailing whitespace removed.
    static func lines(of text: String) -> [Substring] {
        // "\r\n" is a single Character in Swift, so it must be matched as a separator of its own.
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map { line in
            var end = line.endIndex
            while end > line.startIndex, let last = line[line.index(before: end)...].first, last.isWhitespace {
                end = line.index(before: end)
            }
            return line[line.startIndex..<end]
        }
    }

    /// Splits "event/name.jpg" into event and name without the image extension.
    static func splitImagePath(_ path: Substring, file: String, line: Int) throws -> (event: String, name: String) {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw EvaluationDataError(file: file, line: line, reason: "expected an image path event/name.jpg, found \"\(trimmed)\"")
        }
        var name = String(parts[1])
        for ext in [".jpg", ".jpeg", ".png"] where name.lowercased().hasSuffix(ext) {
            name = String(name.dropLast(ext.count))
            break
        }
        return (String(parts[0]), name)
    }

    static func parseBoxFile(text: String, file: String) throws -> [BoxFileEntry] {
        let allLines = lines(of: text)
        var entries: [BoxFileEntry] = []
        var index = 0
        func isNumeric(_ line: Substring) -> Bool {
            let fields = line.split(whereSeparator: \.isWhitespace)
            return !fields.isEmpty && fields.allSatisfy { DecimalField.value($0) != nil }
        }
        while index < allLines.count {
            if allLines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1; continue }
            let (event, name) = try splitImagePath(allLines[index], file: file, line: index + 1)
            index += 1
            guard index < allLines.count, let count = Int(allLines[index].trimmingCharacters(in: .whitespaces)), count >= 0 else {
                throw EvaluationDataError(file: file, line: index + 1, reason: "expected the face count of \(event)/\(name)")
            }
            index += 1
            guard count <= allLines.count - index else {
                throw EvaluationDataError(file: file, line: index, reason: "face count \(count) of \(event)/\(name) is more than the \(allLines.count - index) lines left")
            }
            // A zero count is followed by one placeholder line of zeros in the official file.
            let boxLines = count == 0 ? (index < allLines.count && isNumeric(allLines[index]) ? 1 : 0) : count
            var faces: [FaceBox] = []
            for _ in 0..<boxLines {
                guard index < allLines.count else {
                    throw EvaluationDataError(file: file, line: index + 1, reason: "file ends inside the boxes of \(event)/\(name)")
                }
                let fields = allLines[index].split(whereSeparator: \.isWhitespace).map { DecimalField.value($0) }
                guard fields.count >= 4, let x = fields[0], let y = fields[1], let w = fields[2], let h = fields[3] else {
                    throw EvaluationDataError(
                        file: file, line: index + 1,
                        reason: "expected a box line \"x y w h ...\" of decimal numbers (at most 1e6 in size) for \(event)/\(name)")
                }
                guard w >= 0, h >= 0 else {
                    throw EvaluationDataError(file: file, line: index + 1, reason: "negative box size \(w) x \(h) for \(event)/\(name)")
                }
                faces.append(FaceBox(x: x, y: y, width: w, height: h))
                index += 1
            }
            entries.append(BoxFileEntry(event: event, name: name, faces: faces))
        }
        return entries
    }

    static func parseKeepFile(text: String, file: String) throws -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for (lineIndex, line) in lines(of: text).enumerated() {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let first = fields.first else { continue }
            let (event, name) = try splitImagePath(first, file: file, line: lineIndex + 1)
            guard fields.count >= 2, let count = Int(fields[1]), count >= 0 else {
                throw EvaluationDataError(file: file, line: lineIndex + 1, reason: "expected \"event/name.jpg count indices...\"")
            }
            guard fields.count == 2 + count else {
                throw EvaluationDataError(file: file, line: lineIndex + 1, reason: "count says \(count) indices but \(fields.count - 2) follow")
            }
            let indices = try fields.dropFirst(2).map { field -> Int in
                guard let value = Int(field), value >= 1 else {
                    throw EvaluationDataError(file: file, line: lineIndex + 1, reason: "\"\(field)\" is not a 1-based face index")
                }
                return value
            }
            let key = "\(event)/\(name)"
            guard result[key] == nil else {
                throw EvaluationDataError(file: file, line: lineIndex + 1, reason: "second line for image \(key)")
            }
            result[key] = indices
        }
        return result
    }
}
