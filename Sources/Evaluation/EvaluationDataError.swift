/// An error in an evaluation input file other than a MAT-file: a WIDER ground-truth text file, a
/// keep list, a prediction file, or ground truth whose parts disagree.
public struct EvaluationDataError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file (or, for inconsistent ground truth, the files) concerned.
    public let file: String
    /// The 1-based line number, when the problem is on one line.
    public let line: Int?
    /// What is wrong.
    public let reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - file: The file concerned.
    ///   - line: The 1-based line, if known.
    ///   - reason: What is wrong.
    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// "file:line: reason" or "file: reason".
    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
