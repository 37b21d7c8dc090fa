/// An error reading or preparing a model: what is wrong, where (a path through the schema such as
/// `subgraphs[0].tensors[12].quantization.scale`), and at which byte offset when that is known.
public struct ModelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The model file, or `<memory>` for models read from bytes.
    public var file: String
    /// What is wrong, in words.
    public var message: String
    /// Where in the schema the problem was found, if known.
    public var location: String?
    /// The byte offset in the file, if known.
    public var byteOffset: Int?

    /// Creates an error.
    public init(file: String = "<memory>", _ message: String, location: String? = nil, byteOffset: Int? = nil) {
        self.file = file
        self.message = message
        self.location = location
        self.byteOffset = byteOffset
    }

    /// `file: message (at location, byte N)`.
    public var description: String {
        var s = "\(file): \(message)"
        switch (location, byteOffset) {
        case let (l?, o?): s += " (at \(l), byte \(o))"
        case let (l?, nil): s += " (at \(l))"
        case let (nil, o?): s += " (at byte \(o))"
        case (nil, nil): break
        }
        return s
    }

    /// The same error attributed to `file`.
    public func inFile(_ file: String) -> ModelError {
        var copy = self
        copy.file = file
        return copy
    }
}
