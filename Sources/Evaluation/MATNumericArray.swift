/// A numeric or logical MATLAB array, its values widened to `Double`.
///
/// Values are stored in MATLAB's column-major order: element `(r, c)` of an `m x n` array is
/// `real[r + m * c]`. 64-bit integers beyond 2^53 lose precision in the conversion.
public struct MATNumericArray: Sendable, Equatable {
    /// The array class (double, single or an integer class).
    public let matClass: MATClass
    /// The dimensions, at least two (MATLAB never has fewer).
    public let dimensions: [Int]
    /// The real parts, column-major, `dimensions.reduce(1, *)` of them.
    public let real: [Double]
    /// The imaginary parts when the array is complex.
    public let imaginary: [Double]?
    /// Whether the array is logical (class uint8 with the logical flag).
    public let isLogical: Bool

    /// Creates an array.
    /// - Parameters:
    ///   - matClass: The class.
    ///   - dimensions: The dimensions.
    ///   - real: Real parts, column-major.
    ///   - imaginary: Imaginary parts, or nil.
    ///   - isLogical: The logical flag.
    public init(matClass: MATClass, dimensions: [Int], real: [Double], imaginary: [Double]? = nil, isLogical: Bool = false) {
        self.matClass = matClass
        self.dimensions = dimensions
        self.real = real
        self.imaginary = imaginary
        self.isLogical = isLogical
    }

    /// The number of elements.
    public var count: Int { real.count }

    /// The number of rows (first dimension).
    public var rows: Int { dimensions.first ?? 0 }

    /// The number of columns (product of all dimensions after the first).
    public var columns: Int { dimensions.dropFirst().reduce(1, *) }

    /// The element at `(row, column)` of a two-dimensional view, or nil when out of range.
    /// - Parameters:
    ///   - row: Zero-based row.
    ///   - column: Zero-based column.
    /// - Returns: The real part of the element.
    public func value(row: Int, column: Int) -> Double? {
        guard row >= 0, row < rows, column >= 0, column < columns else { return nil }
        return real[row + rows * column]
    }
}
