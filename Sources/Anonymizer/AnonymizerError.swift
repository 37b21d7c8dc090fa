/// A failure of video or file processing, with a message naming the input and the problem.
public struct AnonymizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The message.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
