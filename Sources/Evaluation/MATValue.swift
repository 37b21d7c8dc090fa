/// A value read from a MAT-file: a numeric, character, cell or structure array.
public indirect enum MATValue: Sendable, Equatable {
    /// A numeric or logical array.
    case numeric(MATNumericArray)
    /// A character array.
    case char(MATCharArray)
    /// A cell array.
    case cell(MATCellArray)
    /// A structure array.
    case structure(MATStructArray)

    /// The dimensions of the array.
    public var dimensions: [Int] {
        switch self {
        case .numeric(let array): return array.dimensions
        case .char(let array): return array.dimensions
        case .cell(let array): return array.dimensions
        case .structure(let array): return array.dimensions
        }
    }

    /// The number of elements (product of the dimensions).
    public var elementCount: Int {
        dimensions.reduce(1, *)
    }

    /// The numeric array, or nil for other kinds.
    public var numeric: MATNumericArray? {
        if case .numeric(let array) = self { return array }
        return nil
    }

    /// The cell array, or nil for other kinds.
    public var cell: MATCellArray? {
        if case .cell(let array) = self { return array }
        return nil
    }

    /// The structure array, or nil for other kinds.
    public var structure: MATStructArray? {
        if case .structure(let array) = self { return array }
        return nil
    }

    /// The character array as a string (see ``MATCharArray/string``), or nil for other kinds.
    public var string: String? {
        if case .char(let array) = self { return array.string }
        return nil
    }

    /// A short description of the kind, e.g. "1x3 cell" or "126x4 int32", for error messages.
    public var summary: String {
        let dims = dimensions.map(String.init).joined(separator: "x")
        switch self {
        case .numeric(let array): return "\(dims) \(array.isLogical ? "logical" : "\(array.matClass)")"
        case .char: return "\(dims) char"
        case .cell: return "\(dims) cell"
        case .structure: return "\(dims) struct"
        }
    }
}
