/// A MATLAB structure array: each element maps the same field names to values.
public struct MATStructArray: Sendable, Equatable {
    /// The dimensions, at least two.
    public let dimensions: [Int]
    /// The field names, in file order.
    public let fieldNames: [String]
    /// The elements, column-major; each holds one value per field name.
    public let elements: [[String: MATValue]]

    /// Creates a structure array.
    /// - Parameters:
    ///   - dimensions: The dimensions.
    ///   - fieldNames: The field names.
    ///   - elements: The elements, column-major.
    public init(dimensions: [Int], fieldNames: [String], elements: [[String: MATValue]]) {
        self.dimensions = dimensions
        self.fieldNames = fieldNames
        self.elements = elements
    }
}
