/// An error raised while decoding, encoding or constructing an image.
///
/// Its `description` always starts with the file path (or `"<memory>"` for
/// in-memory data without a name) followed by the problem, e.g.
/// `"photos/a.jpg: truncated JPEG (Premature end of JPEG file)"`.
public struct ImageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The broad category of the problem, for programmatic handling.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The file could not be read (missing, unreadable, not a regular file: a directory,
        /// a FIFO, a device...).
        case io
        /// The file or buffer is zero bytes long.
        case empty
        /// The data is not in a supported format or uses an unsupported variant.
        case unsupportedFormat
        /// The data ends before the image is complete.
        case truncated
        /// The data is malformed.
        case corrupt
        /// The file exceeds `ImageDecoder.maximumFileSize`, the declared image size exceeds
        /// `ImageDecoder.maximumPixelCount`, or decoding it needs more than the whole
        /// decoder memory budget (`ImageDecoder.memoryBudget`).
        case tooLarge
        /// An argument (size, buffer length, quality...) is invalid.
        case invalidArgument
        /// Encoding or writing an image failed.
        case encodingFailed
    }

    /// The path used for in-memory data that has no name.
    public static let memoryPath = "<memory>"

    /// The file path (or name given for in-memory data) the problem concerns.
    public let path: String
    /// The category of the problem.
    public let kind: Kind
    /// A human-readable description of the problem, without the path.
    public let reason: String

    /// Creates an error.
    public init(path: String, kind: Kind, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }

    /// `"<path>: <reason>"`.
    public var description: String { "\(path): \(reason)" }
}
