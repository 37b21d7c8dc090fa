import Foundation
import Engine
import TFLite

/// A NumPy `.npy` array (format versions 1-3): dtype, shape and raw little-endian row-major data.
///
/// Supported dtypes: `<f4` (float32), `|u1` (uint8), `|i1` (int8), `<i4` (int32), `<f8`
/// (float64, read only). Fortran order is rejected.
public struct NumpyArray: Sendable, Equatable {
    /// Element type.
    public var type: TensorType
    /// Shape (empty for a scalar).
    public var shape: [Int]
    /// Raw little-endian bytes, `elementCount * type.byteSize` of them.
    public var data: [UInt8]

    /// An array from parts; the data size must match the shape.
    public init(type: TensorType, shape: [Int], data: [UInt8]) throws {
        guard let es = type.byteSize, Self.descr(type) != nil else { throw NumpyError("dtype \(type) is not supported") }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) * es == data.count else {
            throw NumpyError("\(data.count) bytes do not fill shape \(shape) of \(type)")
        }
        self.type = type
        self.shape = shape
        self.data = data
    }

    /// Float32 values from a float array.
    public init(shape: [Int], floats: [Float]) throws {
        try self.init(type: .float32, shape: shape, data: floats.withUnsafeBytes { Array($0) })
    }

    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// The values as float32 (float32 data as is; integer and float64 data converted).
    public var floats: [Float] {
        data.withUnsafeBytes { b in
            switch type {
            case .float32: return (0..<elementCount).map { Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            case .float64: return (0..<elementCount).map { Float(Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
            case .uint8: return b.map { Float($0) }
            case .int8: return b.map { Float(Int8(bitPattern: $0)) }
            case .int32: return (0..<elementCount).map { Float(Int32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
            default: return []
            }
        }
    }

    static func descr(_ t: TensorType) -> String? {
        switch t {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .uint8: return "|u1"
        case .int8: return "|i1"
        case .int32: return "<i4"
        default: return nil
        }
    }

    // MARK: - Reading

    /// Reads an `.npy` file.
    ///
    /// - Throws: ``NumpyError`` naming the file and what is malformed.
    public init(contentsOfFile path: String) throws {
        let storage: ByteStorage
        do {
            storage = try ByteStorage(contentsOfFile: path, kind: ".npy")
        } catch {
            throw NumpyError("\(error)")
        }
        do {
            try self.init(npyBytes: [UInt8](storage.bytes))
        } catch let e as NumpyError {
            throw NumpyError("\(path): \(e.message)")
        }
    }

    /// Parses `.npy` bytes.
    public init(npyBytes b: [UInt8]) throws {
        guard b.count >= 10, Array(b[0..<6]) == [0x93] + Array("NUMPY".utf8) else {
            throw NumpyError("not a .npy file (missing \\x93NUMPY magic)")
        }
        let major = b[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(b[8]) | Int(b[9]) << 8
            headerStart = 10
        case 2, 3:
            guard b.count >= 12 else { throw NumpyError("truncated header") }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            headerStart = 12
        default:
            throw NumpyError("unsupported .npy version \(major)")
        }
        guard headerLength <= b.count - headerStart, headerLength < 1 << 20 else { throw NumpyError("header length \(headerLength) runs past the end of the file") }
        let header = String(decoding: b[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let fields = try NumpyHeader.parse(header)
        let types: [String: TensorType] = ["<f4": .float32, "<f8": .float64, "|u1": .uint8, "<u1": .uint8, "u1": .uint8,
                                           "|i1": .int8, "<i1": .int8, "i1": .int8, "<i4": .int32]
        guard let type = types[fields.descr] else {
            throw NumpyError("unsupported dtype \(NumpyHeader.quoted(fields.descr)) (supported: float32, float64, uint8, int8, int32, little-endian)")
        }
        if fields.fortranOrder { throw NumpyError("Fortran-order arrays are not supported") }
        let shape = fields.shape
        var count = 1
        for d in shape {
            let (p, o) = count.multipliedReportingOverflow(by: d)
            guard !o, p < 1 << 34 else { throw NumpyError("shape \(shape) is too large") }
            count = p
        }
        let es = type.byteSize ?? 1
        let start = headerStart + headerLength
        guard b.count - start == count * es else {
            throw NumpyError("data is \(b.count - start) bytes; shape \(shape) of \(type) needs \(count * es)")
        }
        self.type = type
        self.shape = shape
        data = Array(b[start...])
    }

    // MARK: - Writing

    /// The `.npy` (version 1.0) encoding of this array.
    public func npyBytes() -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(Self.descr(type) ?? "|u1")', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad with spaces so that the data starts at a multiple of 64, ending in a newline.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let n = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xff), UInt8(n >> 8)] + Array(header.utf8) + data
    }

    /// Writes the array to an `.npy` file.
    public func write(to path: String) throws {
        do {
            try Data(npyBytes()).write(to: URL(fileURLWithPath: path))
        } catch {
            throw NumpyError("\(path): cannot write: \(error.localizedDescription)")
        }
    }
}

/// A malformed or unsupported `.npy` file.
public struct NumpyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong (starting with the file's path when read from a file).
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
