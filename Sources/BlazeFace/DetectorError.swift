/// A model that cannot serve as a BlazeFace detector, or a bad detection request.
public struct DetectorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, naming the model or input.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
