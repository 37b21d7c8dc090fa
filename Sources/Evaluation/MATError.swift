/// An error raised while reading a MATLAB level-5 MAT-file.
///
/// Every error names the file, says what was wrong and where: the byte offset in the file, or, for
/// data inside a compressed element, the offset within the inflated data together with the file
/// offset of the compressed element it came from.
public struct MATError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The name of the file being read (as given by the caller).
    public let fileName: String
    /// What went wrong, e.g. "data element extends past the end of its container".
    public let reason: String
    /// The byte offset of the problem: in the file, or in the inflated data if
    /// ``compressedElementOffset`` is set.
    public let offset: Int
    /// The file offset of the miCOMPRESSED element whose inflated data holds the problem, if any.
    public let compressedElementOffset: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - fileName: The file being read.
    ///   - reason: What went wrong.
    ///   - offset: Where, in the file or in the inflated data.
    ///   - compressedElementOffset: The file offset of the enclosing compressed element, if any.
    public init(fileName: String, reason: String, offset: Int, compressedElementOffset: Int? = nil) {
        self.fileName = fileName
        self.reason = reason
        self.offset = offset
        self.compressedElementOffset = compressedElementOffset
    }

    /// A one-line description: file, reason and location.
    public var description: String {
        if let outer = compressedElementOffset {
            return "\(fileName): \(reason) (at byte \(offset) of the data inflated from the compressed element at file byte \(outer))"
        }
        return "\(fileName): \(reason) (at file byte \(offset))"
    }
}
