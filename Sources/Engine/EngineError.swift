import TFLite

/// Why a model cannot be prepared or run: which operator (execution index and op name) and what
/// about it is unsupported or inconsistent.
public struct EngineError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Operator execution index, when the problem belongs to one.
    public var opIndex: Int?
    /// Operator name, e.g. `CONV_2D`.
    public var opName: String?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(opIndex: Int? = nil, opName: String? = nil, _ message: String) {
        self.opIndex = opIndex
        self.opName = opName
        self.message = message
    }

    /// `op 12 (CONV_2D): message`.
    public var description: String {
        switch (opIndex, opName) {
        case let (i?, n?): return "op \(i) (\(n)): \(message)"
        case let (i?, nil): return "op \(i): \(message)"
        default: return message
        }
    }
}
