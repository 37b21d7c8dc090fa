import Foundation

extension WiderGroundTruth {
    /// Loads the official evaluation ground truth from its four MAT-files.
    ///
    /// From `faceFile` (`wider_face_val.mat`): `event_list` (events x 1 cell of char),
    /// `file_list` (events x 1 cell of images x 1 cells of char) and `face_bbx_list` (the same
    /// nesting, each image a k x 4 array of x, y, w, h). From each difficulty file: `gt_list`
    /// (the same nesting, each image a column of 1-based face indices, possibly empty); its
    /// `event_list` and `file_list` must match the face file's.
    /// - Parameters:
    ///   - faceFile: Path of `wider_face_val.mat`.
    ///   - easyFile: Path of `wider_easy_val.mat`.
    ///   - mediumFile: Path of `wider_medium_val.mat`.
    ///   - hardFile: Path of `wider_hard_val.mat`.
    /// - Throws: ``MATError`` for an unreadable file, ``EvaluationDataError`` for missing
    ///   variables or inconsistent structure.
    public static func loadMAT(faceFile: String, easyFile: String, mediumFile: String, hardFile: String) throws -> WiderGroundTruth {
        let faceMAT = try MATFile(contentsOfFile: faceFile)
        let (events, files) = try eventsAndFiles(in: faceMAT)
        let boxLists = try nestedCells(faceMAT, variable: "face_bbx_list", shape: files)

        var gtLists: [WiderDifficulty: [[MATValue]]] = [:]
        let difficultyFiles: [WiderDifficulty: String] = [.easy: easyFile, .medium: mediumFile, .hard: hardFile]
        for (difficulty, path) in [(WiderDifficulty.easy, easyFile), (.medium, mediumFile), (.hard, hardFile)] {
            let mat = try MATFile(contentsOfFile: path)
            let (otherEvents, otherFiles) = try eventsAndFiles(in: mat)
            guard otherEvents == events, otherFiles == files else {
                throw EvaluationDataError(file: path, reason: "event_list/file_list differ from those of \(faceFile)")
            }
            gtLists[difficulty] = try nestedCells(mat, variable: "gt_list", shape: files)
        }

        var images: [WiderImageAnnotation] = []
        for (eventIndex, event) in events.enumerated() {
            for (imageIndex, name) in files[eventIndex].enumerated() {
                let location = "{\(eventIndex + 1)}{\(imageIndex + 1)}"
                let faces = try boxes(boxLists[eventIndex][imageIndex], file: faceFile, location: "face_bbx_list\(location)")
                var counted: [WiderDifficulty: [Int]] = [:]
                for difficulty in WiderDifficulty.allCases {
                    let value = gtLists[difficulty]?[eventIndex][imageIndex]
                    counted[difficulty] = try indices(value, file: difficultyFiles[difficulty] ?? "", location: "gt_list\(location)")
                }
                images.append(WiderImageAnnotation(
                    event: event, name: name, faces: faces,
                    easy: counted[.easy] ?? [], medium: counted[.medium] ?? [], hard: counted[.hard] ?? []))
            }
        }
        return try WiderGroundTruth(images: images, source: "\(faceFile) + wider_{easy,medium,hard}_val.mat")
    }

    /// Loads the official evaluation ground truth from a folder holding `wider_face_val.mat`,
    /// `wider_easy_val.mat`, `wider_medium_val.mat` and `wider_hard_val.mat`.
    /// - Parameter directory: The folder (the eval tools' `ground_truth`).
    /// - Throws: As ``loadMAT(faceFile:easyFile:mediumFile:hardFile:)``.
    public static func loadMAT(directory: String) throws -> WiderGroundTruth {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        return try loadMAT(
            faceFile: path("wider_face_val.mat"), easyFile: path("wider_easy_val.mat"),
            mediumFile: path("wider_medium_val.mat"), hardFile: path("wider_hard_val.mat"))
    }

    // MARK: - Structure helpers

    /// Reads `event_list` and `file_list`: event names, and per event the image names.
    private static func eventsAndFiles(in mat: MATFile) throws -> (events: [String], files: [[String]]) {
        let eventCells = try cellArray(mat["event_list"], file: mat.fileName, location: "event_list")
        let fileCells = try cellArray(mat["file_list"], file: mat.fileName, location: "file_list")
        guard eventCells.count == fileCells.count else {
            throw EvaluationDataError(file: mat.fileName, reason: "event_list has \(eventCells.count) entries but file_list \(fileCells.count)")
        }
        var events: [String] = []
        var files: [[String]] = []
        for (index, eventValue) in eventCells.elements.enumerated() {
            guard let event = eventValue.string else {
                throw EvaluationDataError(file: mat.fileName, reason: "event_list{\(index + 1)} is \(eventValue.summary), expected char")
            }
            events.append(event)
            let names = try cellArray(fileCells.elements[index], file: mat.fileName, location: "file_list{\(index + 1)}")
            files.append(try names.elements.enumerated().map { imageIndex, value in
                guard let name = value.string else {
                    throw EvaluationDataError(
                        file: mat.fileName, reason: "file_list{\(index + 1)}{\(imageIndex + 1)} is \(value.summary), expected char")
                }
                return name
            })
        }
        return (events, files)
    }

    /// Reads a variable nested like `file_list`: per event, per image, one value.
    private static func nestedCells(_ mat: MATFile, variable: String, shape: [[String]]) throws -> [[MATValue]] {
        let outer = try cellArray(mat[variable], file: mat.fileName, location: variable)
        guard outer.count == shape.count else {
            throw EvaluationDataError(file: mat.fileName, reason: "\(variable) has \(outer.count) events, expected \(shape.count)")
        }
        return try outer.elements.enumerated().map { eventIndex, value in
            let inner = try cellArray(value, file: mat.fileName, location: "\(variable){\(eventIndex + 1)}")
            guard inner.count == shape[eventIndex].count else {
                throw EvaluationDataError(
                    file: mat.fileName,
                    reason: "\(variable){\(eventIndex + 1)} has \(inner.count) images, expected \(shape[eventIndex].count)")
            }
            return inner.elements
        }
    }

    private static func cellArray(_ value: MATValue?, file: String, location: String) throws -> MATCellArray {
        guard let value else {
            throw EvaluationDataError(file: file, reason: "variable \(location) is missing")
        }
        guard let cell = value.cell else {
            throw EvaluationDataError(file: file, reason: "\(location) is \(value.summary), expected a cell array")
        }
        return cell
    }

    /// Converts a k x 4 numeric array into boxes (an empty array gives no boxes).
    private static func boxes(_ value: MATValue, file: String, location: String) throws -> [FaceBox] {
        guard let array = value.numeric else {
            throw EvaluationDataError(file: file, reason: "\(location) is \(value.summary), expected a numeric k x 4 array")
        }
        if array.count == 0 { return [] }
        guard array.dimensions.count == 2, array.columns == 4 else {
            throw EvaluationDataError(file: file, reason: "\(location) is \(value.summary), expected k x 4")
        }
        return (0..<array.rows).map { row in
            let rows = array.rows
            return FaceBox(x: array.real[row], y: array.real[row + rows], width: array.real[row + 2 * rows], height: array.real[row + 3 * rows])
        }
    }

    /// Converts a numeric array of 1-based indices into integers.
    private static func indices(_ value: MATValue?, file: String, location: String) throws -> [Int] {
        guard let value, let array = value.numeric else {
            throw EvaluationDataError(file: file, reason: "\(location) is \(value?.summary ?? "missing"), expected numeric indices")
        }
        return try array.real.map { number in
            guard number.isFinite, number == number.rounded(), number >= 1, number <= Double(Int32.max) else {
                throw EvaluationDataError(file: file, reason: "\(location) holds \(number), not a 1-based index")
            }
            return Int(number)
        }
    }
}
