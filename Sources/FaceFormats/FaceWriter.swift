import BlazeFace
import Foundation

/// The faces found in one image, as the output formats record them.
public struct ImageFaces: Sendable, Equatable {
    /// The image's path as given.
    public var path: String
    /// The image's full-resolution width (0 when it could not be read).
    public var width: Int
    /// The image's full-resolution height (0 when it could not be read).
    public var height: Int
    /// The faces, in full-resolution pixels.
    public var faces: [Face]
    /// Why the image could not be processed; nil when it was.
    public var error: String?
    /// Model invocations made for the image, when the output reports them (tiling).
    public var modelCalls: Int?

    /// Creates a record.
    public init(path: String, width: Int, height: Int, faces: [Face], error: String? = nil, modelCalls: Int? = nil) {
        self.path = path
        self.width = width
        self.height = height
        self.faces = faces
        self.error = error
        self.modelCalls = modelCalls
    }
}

/// Writes the faces of a run of images in one output format. Records arrive in input order;
/// ``finish()`` completes the output (closing brackets, whole-run documents).
public protocol FaceWriter {
    /// Writes (or keeps, for formats that need the whole run) one image's record.
    mutating func write(_ record: ImageFaces) throws
    /// Completes the output and closes any file.
    mutating func finish() throws
}

/// The output formats, and the one place that makes their writers.
///
/// To add a format: a `FaceWriter` in its own file in `Sources/FaceFormats`, a case here (its
/// name is the CLI's `--format` value), and a test in `Tests/FaceFormatsTests`.
public enum FaceFormat: String, CaseIterable, Sendable {
    /// One JSON array of image records.
    case json
    /// One JSON image record per line.
    case jsonl
    /// One row per face, with a header.
    case csv
    /// WIDER FACE's submission layout: `<folder>/<event>/<image>.txt`.
    case wider
    /// One COCO-style JSON document: images, annotations (bbox, score, keypoints), categories.
    case coco

    /// One line for help texts.
    public var summary: String {
        switch self {
        case .json: "a JSON array of image records"
        case .jsonl: "one JSON image record per line"
        case .csv: "one row per face, and one for each image without faces"
        case .wider: "WIDER FACE submission folder, one text file per image"
        case .coco: "one COCO-style JSON document (images, annotations, categories)"
        }
    }

    /// Whether the output is a folder (else a file, or standard output when none is given).
    public var writesFolder: Bool { self == .wider }

    /// A writer to `output`: a file, or standard output when nil; a folder for ``writesFolder``.
    ///
    /// - Throws: ``FaceFormatError`` when the output cannot be created.
    /// With `append` (JSON lines only: `detect --resume`), an existing file is added to instead
    /// of truncated.
    public func makeWriter(output: String?, append: Bool = false) throws -> any FaceWriter {
        switch self {
        case .json: try JSONFaceWriter(to: TextOutput(output), lines: false)
        case .jsonl: try JSONFaceWriter(to: TextOutput(output, append: append), lines: true)
        case .csv: try CSVFaceWriter(to: TextOutput(output))
        case .wider: try WiderFaceWriter(folder: output)
        case .coco: try COCOFaceWriter(to: TextOutput(output))
        }
    }
}

/// An output that cannot be written, naming it and the problem.
public struct FaceFormatError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// A text stream: standard output, or a file created (or truncated) on opening.
///
/// A write that fails (a full disk, a closed pipe) does not stop the run: the first failure is
/// kept and ``close()`` reports it, so the caller ends with an error instead of a silent loss.
public final class TextOutput {
    private let handle: FileHandle
    private let path: String?
    private var failure: Error?
    /// True when this is standard output and it is a terminal.
    public let isTerminal: Bool

    /// Opens `path`, or standard output when nil; with `append`, an existing file is written
    /// after its end instead of truncated.
    ///
    /// - Throws: ``FaceFormatError`` naming the file and the reason it cannot be created
    ///   (missing folder, a folder of that name, no permission).
    public init(_ path: String?, append: Bool = false) throws {
        self.path = path
        guard let path else {
            handle = FileHandle.standardOutput
            isTerminal = isatty(1) != 0
            return
        }
        isTerminal = false
        if let problem = OutputPath.fileProblem(path) { throw FaceFormatError("\(path): cannot write the output: \(problem)") }
        if append, FileManager.default.fileExists(atPath: path), let h = FileHandle(forWritingAtPath: path) {
            handle = h
            _ = try? h.seekToEnd()
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw FaceFormatError("\(path): cannot create the output file: \(String(cString: strerror(errno)))")
        }
        handle = h
    }

    /// Writes `text` as UTF-8.
    public func write(_ text: String) {
        guard failure == nil else { return }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { failure = error }
    }

    /// Closes a file (standard output stays open); reports the first failed write.
    public func close() throws {
        if path != nil { try handle.close() }
        if let failure { throw FaceFormatError("\(path ?? "standard output"): writing failed: \(failure.localizedDescription)") }
    }
}
