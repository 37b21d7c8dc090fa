/// The data type of a level-5 data element tag (miINT8 ... miUTF32).
enum MATDataType: UInt32 {
    case int8 = 1
    case uint8 = 2
    case int16 = 3
    case uint16 = 4
    case int32 = 5
    case uint32 = 6
    case single = 7
    case double = 9
    case int64 = 12
    case uint64 = 13
    case matrix = 14
    case compressed = 15
    case utf8 = 16
    case utf16 = 17
    case utf32 = 18

    /// The size in bytes of one value, for numeric and text types.
    var elementSize: Int? {
        switch self {
        case .int8, .uint8, .utf8: return 1
        case .int16, .uint16, .utf16: return 2
        case .int32, .uint32, .single, .utf32: return 4
        case .double, .int64, .uint64: return 8
        case .matrix, .compressed: return nil
        }
    }

    /// The miXXX name used in error messages.
    var name: String {
        switch self {
        case .int8: return "miINT8"
        case .uint8: return "miUINT8"
        case .int16: return "miINT16"
        case .uint16: return "miUINT16"
        case .int32: return "miINT32"
        case .uint32: return "miUINT32"
        case .single: return "miSINGLE"
        case .double: return "miDOUBLE"
        case .int64: return "miINT64"
        case .uint64: return "miUINT64"
        case .matrix: return "miMATRIX"
        case .compressed: return "miCOMPRESSED"
        case .utf8: return "miUTF8"
        case .utf16: return "miUTF16"
        case .utf32: return "miUTF32"
        }
    }
}
