/// A MATLAB cell array: an array of arbitrary values.
public struct MATCellArray: Sendable, Equatable {
    /// The dimensions, at least two.
    public let dimensions: [Int]
    /// The cells, column-major.
    public let elements: [MATValue]

    /// Creates a cell array from its dimensions and its cells, column-major.
    public init(dimensions: [Int], elements: [MATValue]) {
        (self.dimensions, self.elements) = (dimensions, elements)
    }

    /// The number of cells.
    public var count: Int { elements.count }

    /// The cell at a linear (column-major) index, or nil when out of range.
    /// - Parameter index: Zero-based linear index.
    public subscript(index: Int) -> MATValue? {
        elements.indices.contains(index) ? elements[index] : nil
    }
}
