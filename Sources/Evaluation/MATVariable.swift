/// A named top-level variable of a MAT-file.
public struct MATVariable: Sendable, Equatable {
    /// The variable name.
    public let name: String
    /// The value.
    public let value: MATValue
    /// Whether MATLAB flagged the variable as global.
    public let isGlobal: Bool

    /// Creates a variable.
    /// - Parameters:
    ///   - name: The name.
    ///   - value: The value.
    ///   - isGlobal: The global flag.
    public init(name: String, value: MATValue, isGlobal: Bool = false) {
        self.name = name
        self.value = value
        self.isGlobal = isGlobal
    }
}
