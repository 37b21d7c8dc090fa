/// The element type of a tensor (`tflite.TensorType`).
public enum TensorType: Sendable, Hashable, CustomStringConvertible {
    case float32, float16, int32, uint8, int64, string, bool, int16, complex64, int8, float64
    case complex128, uint64, resource, variant, uint32, uint16, int4
    /// A value this reader does not know.
    case unknown(Int8)

    /// Decodes the schema's byte value.
    public init(rawValue: Int8) {
        let all: [TensorType] = [.float32, .float16, .int32, .uint8, .int64, .string, .bool, .int16, .complex64,
                                 .int8, .float64, .complex128, .uint64, .resource, .variant, .uint32, .uint16, .int4]
        self = (rawValue >= 0 && Int(rawValue) < all.count) ? all[Int(rawValue)] : .unknown(rawValue)
    }

    /// Bytes per element, or nil for types without a fixed size (string, int4, resource, unknown).
    public var byteSize: Int? {
        switch self {
        case .float32, .int32, .uint32: return 4
        case .float16, .int16, .uint16: return 2
        case .uint8, .int8, .bool: return 1
        case .int64, .uint64, .float64, .complex64: return 8
        case .complex128: return 16
        case .string, .resource, .variant, .int4, .unknown: return nil
        }
    }

    /// NumPy-style name: `float32`, `int8`, ...
    public var description: String {
        switch self {
        case .float32: return "float32"
        case .float16: return "float16"
        case .int32: return "int32"
        case .uint8: return "uint8"
        case .int64: return "int64"
        case .string: return "string"
        case .bool: return "bool"
        case .int16: return "int16"
        case .complex64: return "complex64"
        case .int8: return "int8"
        case .float64: return "float64"
        case .complex128: return "complex128"
        case .uint64: return "uint64"
        case .resource: return "resource"
        case .variant: return "variant"
        case .uint32: return "uint32"
        case .uint16: return "uint16"
        case .int4: return "int4"
        case .unknown(let v): return "unknown type \(v)"
        }
    }
}
