import CZlib

/// Builds small level-5 MAT-files in memory for reader tests.
struct MATBuilder {
    var littleEndian = true

    func uint32(_ value: UInt32) -> [UInt8] {
        let bytes = [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
        return littleEndian ? bytes : bytes.reversed()
    }

    func uint16(_ value: UInt16) -> [UInt8] {
        let bytes = [UInt8(value & 0xFF), UInt8(value >> 8)]
        return littleEndian ? bytes : bytes.reversed()
    }

    func uint64(_ value: UInt64) -> [UInt8] {
        let bytes = (0..<8).map { UInt8(value >> (8 * UInt64($0)) & 0xFF) }
        return littleEndian ? bytes : bytes.reversed()
    }

    /// The 128-byte header.
    func header(text: String = "MATLAB 5.0 MAT-file, test") -> [UInt8] {
        var bytes = Array(text.utf8.prefix(116))
        bytes += [UInt8](repeating: 0x20, count: 116 - bytes.count)
        bytes += [UInt8](repeating: 0, count: 8)
        bytes += uint16(0x0100)
        bytes += littleEndian ? Array("IM".utf8) : Array("MI".utf8)
        return bytes
    }

    /// A data element in the normal format, padded to 8 bytes (unless compressed).
    func element(type: UInt32, data: [UInt8]) -> [UInt8] {
        var bytes = uint32(type) + uint32(UInt32(data.count)) + data
        if type != 15 {
            while bytes.count % 8 != 0 { bytes.append(0) }
        }
        return bytes
    }

    /// A data element in the small format (at most 4 bytes of data).
    func smallElement(type: UInt16, data: [UInt8]) -> [UInt8] {
        precondition(data.count <= 4)
        let word = UInt32(data.count) << 16 | UInt32(type)
        return uint32(word) + data + [UInt8](repeating: 0, count: 4 - data.count)
    }

    func doubles(_ values: [Double]) -> [UInt8] { values.flatMap { uint64($0.bitPattern) } }
    func int32s(_ values: [Int32]) -> [UInt8] { values.flatMap { uint32(UInt32(bitPattern: $0)) } }

    /// A miMATRIX with the given flags, dimensions, name and class-specific body.
    func matrix(classCode: UInt8, flags: UInt32 = 0, dimensions: [Int32], name: String, body: [UInt8]) -> [UInt8] {
        var content = element(type: 6, data: uint32(flags | UInt32(classCode)) + uint32(0))
        content += element(type: 5, data: int32s(dimensions))
        content += name.isEmpty ? element(type: 1, data: []) : element(type: 1, data: Array(name.utf8))
        content += body
        return element(type: 14, data: content)
    }

    /// A double matrix stored as miDOUBLE.
    func doubleMatrix(name: String, rows: Int32, columns: Int32, values: [Double]) -> [UInt8] {
        matrix(classCode: 6, dimensions: [rows, columns], name: name, body: element(type: 9, data: doubles(values)))
    }

    /// A 1 x n char array stored as miUINT16.
    func charMatrix(name: String, _ text: String) -> [UInt8] {
        let units = Array(text.utf16)
        return matrix(classCode: 4, dimensions: [1, Int32(units.count)], name: name,
                      body: element(type: 4, data: units.flatMap { uint16($0) }))
    }

    /// Wraps a miMATRIX element into a miCOMPRESSED one.
    func compressed(_ matrixElement: [UInt8]) -> [UInt8] {
        var destinationLength = compressBound(uLong(matrixElement.count))
        var destination = [UInt8](repeating: 0, count: Int(destinationLength))
        let status = matrixElement.withUnsafeBufferPointer { source in
            destination.withUnsafeMutableBufferPointer { target in
                compress(target.baseAddress, &destinationLength, source.baseAddress, uLong(source.count))
            }
        }
        precondition(status == Z_OK)
        return element(type: 15, data: Array(destination.prefix(Int(destinationLength))))
    }
}
