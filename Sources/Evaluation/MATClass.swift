/// The MATLAB array class of a miMATRIX element (the low byte of its array flags).
public enum MATClass: UInt8, Sendable, CaseIterable {
    /// Cell array (mxCELL_CLASS).
    case cell = 1
    /// Structure (mxSTRUCT_CLASS).
    case structure = 2
    /// Object (mxOBJECT_CLASS); not supported by the reader.
    case object = 3
    /// Character array (mxCHAR_CLASS).
    case char = 4
    /// Sparse array (mxSPARSE_CLASS); not supported by the reader.
    case sparse = 5
    /// Double precision (mxDOUBLE_CLASS).
    case double = 6
    /// Single precision (mxSINGLE_CLASS).
    case single = 7
    /// 8-bit signed integer (mxINT8_CLASS).
    case int8 = 8
    /// 8-bit unsigned integer (mxUINT8_CLASS); also the class of logical arrays.
    case uint8 = 9
    /// 16-bit signed integer (mxINT16_CLASS).
    case int16 = 10
    /// 16-bit unsigned integer (mxUINT16_CLASS).
    case uint16 = 11
    /// 32-bit signed integer (mxINT32_CLASS).
    case int32 = 12
    /// 32-bit unsigned integer (mxUINT32_CLASS).
    case uint32 = 13
    /// 64-bit signed integer (mxINT64_CLASS).
    case int64 = 14
    /// 64-bit unsigned integer (mxUINT64_CLASS).
    case uint64 = 15

    /// Whether arrays of this class hold numbers (double, single or an integer type).
    public var isNumeric: Bool {
        rawValue >= MATClass.double.rawValue
    }
}
