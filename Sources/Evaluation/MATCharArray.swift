/// A MATLAB character array.
///
/// Characters are stored column-major like every MATLAB array; ``rowStrings`` reads them back as
/// one string per row, which for the usual `1 x n` array is the single string ``string``.
public struct MATCharArray: Sendable, Equatable {
    /// The dimensions, at least two.
    public let dimensions: [Int]
    /// The characters as code units (UTF-16 units, or code points for UTF-8/UTF-32 data), column-major.
    public let codeUnits: [UInt32]

    /// Creates a character array.
    /// - Parameters:
    ///   - dimensions: The dimensions.
    ///   - codeUnits: Characters, column-major.
    public init(dimensions: [Int], codeUnits: [UInt32]) {
        self.dimensions = dimensions
        self.codeUnits = codeUnits
    }

    /// One string per row (trailing padding spaces kept, as MATLAB stores them).
    public var rowStrings: [String] {
        let rowCount = dimensions.first ?? 0
        guard rowCount > 0 else { return [] }
        let columnCount = codeUnits.count / rowCount
        return (0..<rowCount).map { row in
            let units = (0..<columnCount).map { codeUnits[row + rowCount * $0] }
            return MATCharArray.decode(units)
        }
    }

    /// All characters as one string: the only row for a `1 x n` array, the empty string for an
    /// empty array, and the rows joined by newlines otherwise.
    public var string: String {
        rowStrings.joined(separator: "\n")
    }

    /// Decodes code units: UTF-16 when all fit in 16 bits (surrogate pairs joined), code points otherwise.
    static func decode(_ units: [UInt32]) -> String {
        if units.allSatisfy({ $0 <= 0xFFFF }) {
            return String(decoding: units.map { UInt16($0) }, as: UTF16.self)
        }
        var result = ""
        for unit in units {
            result.unicodeScalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
        }
        return result
    }
}
