import Foundation

/// A MATLAB level-5 MAT-file (the format of `save -v6`/`-v7`), read entirely into memory.
///
/// Supported: both byte orders; miINT8 ... miUINT64, miSINGLE, miDOUBLE, miUTF8/16/32 data;
/// the small data element format; miCOMPRESSED elements (inflated with zlib, size-capped by
/// ``MATReadLimits``); numeric, logical, complex, character, cell and structure arrays.
/// Not supported (they throw): sparse arrays, objects, and v7.3 files (HDF5).
///
/// All reads are bounds-checked: truncated or corrupt input throws a ``MATError`` naming the
/// file, what is wrong and the byte offset; it never traps or hangs.
public struct MATFile: Sendable {
    /// The name used in error messages (the path when read from disk).
    public let fileName: String
    /// The descriptive text of the 116-byte header, trailing spaces and NULs removed.
    public let headerText: String
    /// Whether the file is little-endian (`IM` indicator).
    public let isLittleEndian: Bool
    /// The top-level variables in file order.
    public let variables: [MATVariable]

    /// Reads and parses a MAT-file from disk.
    ///
    /// Only a regular file of at most 1 GiB is read: a FIFO, a device or a directory is refused
    /// at once ("is a FIFO (named pipe), not a regular file") instead of blocking.
    /// - Parameters:
    ///   - path: The file path.
    ///   - limits: Resource limits.
    /// - Throws: ``MATError`` when the file cannot be read or is not a valid level-5 MAT-file.
    public init(contentsOfFile path: String, limits: MATReadLimits = .default) throws {
        switch EvaluationFile.read(path, kind: "MAT") {
        case .success(let storage):
            try self.init(bytes: [UInt8](storage.bytes), fileName: path, limits: limits)
        case .failure(let error):
            throw MATError(fileName: path, reason: error.message, offset: 0)
        }
    }

    /// Parses a MAT-file held in memory.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - fileName: The name to use in error messages.
    ///   - limits: Resource limits.
    /// - Throws: ``MATError`` when the bytes are not a valid level-5 MAT-file.
    public init(bytes: [UInt8], fileName: String, limits: MATReadLimits = .default) throws {
        self.fileName = fileName
        guard bytes.count >= 128 else {
            throw MATError(fileName: fileName, reason: "file of \(bytes.count) bytes is shorter than the 128-byte MAT header", offset: 0)
        }
        let text = String(decoding: bytes[0..<116], as: UTF8.self)
        headerText = String(text.reversed().drop { $0 == " " || $0 == "\0" }.reversed())
        let indicator = (bytes[126], bytes[127])
        switch indicator {
        case (UInt8(ascii: "I"), UInt8(ascii: "M")): isLittleEndian = true
        case (UInt8(ascii: "M"), UInt8(ascii: "I")): isLittleEndian = false
        default:
            if headerText.hasPrefix("MATLAB 7.3") {
                throw MATError(fileName: fileName, reason: "v7.3 (HDF5) MAT-files are not supported", offset: 0)
            }
            throw MATError(fileName: fileName, reason: "missing endian indicator: not a level-5 MAT-file", offset: 126)
        }
        let fileParser = MATParser(bytes: bytes, fileName: fileName, littleEndian: isLittleEndian, compressedElementOffset: nil, limits: limits)
        let version = try fileParser.unsignedValue(at: 124, size: 2)
        guard version == 0x0100 else {
            if headerText.hasPrefix("MATLAB 7.3") || version == 0x0200 {
                throw MATError(fileName: fileName, reason: "v7.3 (HDF5) MAT-files are not supported", offset: 124)
            }
            throw MATError(fileName: fileName, reason: "unsupported MAT-file version 0x\(String(version, radix: 16))", offset: 124)
        }

        var variables: [MATVariable] = []
        var offset = 128
        var inflatedTotal = 0
        while offset < bytes.count {
            let element = try fileParser.element(at: offset, end: bytes.count)
            switch element.type {
            case .compressed:
                let budget = min(limits.maxInflatedBytesPerElement, limits.maxInflatedBytesTotal - inflatedTotal)
                let inflated: [UInt8]
                switch ZlibInflater.inflate(bytes[element.dataStart..<element.dataEnd], limit: max(0, budget)) {
                case .success(let output):
                    inflated = output
                case .failure(.truncated):
                    throw fileParser.failure("compressed element is truncated (zlib stream ends early)", at: element.tagOffset)
                case .failure(.corrupt(let message)):
                    throw fileParser.failure("compressed element is corrupt (zlib: \(message))", at: element.tagOffset)
                case .failure(.tooLarge(let limit)):
                    throw fileParser.failure("compressed element inflates to more than \(limit) bytes", at: element.tagOffset)
                case .failure(.unavailable(let message)):
                    throw fileParser.failure("cannot inflate: \(message)", at: element.tagOffset)
                }
                inflatedTotal += inflated.count
                let inner = MATParser(bytes: inflated, fileName: fileName, littleEndian: isLittleEndian,
                                      compressedElementOffset: element.tagOffset, limits: limits)
                let matrix = try inner.element(at: 0, end: inflated.count)
                guard matrix.type == .matrix else {
                    throw inner.failure("compressed element must hold a miMATRIX, found \(matrix.type?.name ?? "type \(matrix.rawType)")", at: 0)
                }
                let named = try inner.matrix(matrix, depth: 0)
                variables.append(MATVariable(name: named.name, value: named.value, isGlobal: named.isGlobal))
            case .matrix:
                let named = try fileParser.matrix(element, depth: 0)
                variables.append(MATVariable(name: named.name, value: named.value, isGlobal: named.isGlobal))
            default:
                throw fileParser.failure("unexpected top-level element of type \(element.type?.name ?? "\(element.rawType)")", at: element.tagOffset)
            }
            offset = element.next
        }
        self.variables = variables
    }

    /// The value of the first variable called `name`, or nil.
    /// - Parameter name: The variable name.
    public subscript(name: String) -> MATValue? {
        variables.first { $0.name == name }?.value
    }
}
