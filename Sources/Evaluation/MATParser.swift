/// Bounds-checked parser of level-5 data elements held in one byte buffer: the file itself, or
/// the inflated body of one miCOMPRESSED element.
///
/// Every read checks its range against the buffer and against the enclosing element, so corrupt
/// input fails with a ``MATError`` and never traps. Sizes read from the input are checked against
/// the bytes actually present before anything is allocated.
struct MATParser {
    /// One data element: its tag and where its data lie.
    struct Element {
        /// The raw type from the tag.
        let rawType: UInt32
        /// The known type, or nil for an unknown one.
        var type: MATDataType? { MATDataType(rawValue: rawType) }
        /// Offset of the tag.
        let tagOffset: Int
        /// Offset of the first data byte.
        let dataStart: Int
        /// Number of data bytes.
        let dataCount: Int
        /// Offset just past the data and its padding (where the next element starts).
        let next: Int

        /// Offset just past the data.
        var dataEnd: Int { dataStart + dataCount }
    }

    /// A parsed miMATRIX: the array name, its value and the global flag.
    struct NamedValue {
        let name: String
        let value: MATValue
        let isGlobal: Bool
    }

    let bytes: [UInt8]
    let fileName: String
    let littleEndian: Bool
    /// The file offset of the compressed element `bytes` were inflated from, or nil for the file.
    let compressedElementOffset: Int?
    let limits: MATReadLimits

    /// An error at `offset` of this buffer.
    func failure(_ reason: String, at offset: Int) -> MATError {
        MATError(fileName: fileName, reason: reason, offset: offset, compressedElementOffset: compressedElementOffset)
    }

    // MARK: - Scalars

    /// Reads `size` bytes at `offset` as an unsigned integer in the file's byte order.
    func unsignedValue(at offset: Int, size: Int) throws -> UInt64 {
        guard offset >= 0, size <= bytes.count, offset <= bytes.count - size else {
            throw failure("unexpected end of data reading \(size) bytes", at: offset)
        }
        var value: UInt64 = 0
        if littleEndian {
            for index in stride(from: size - 1, through: 0, by: -1) {
                value = (value << 8) | UInt64(bytes[offset + index])
            }
        } else {
            for index in 0..<size {
                value = (value << 8) | UInt64(bytes[offset + index])
            }
        }
        return value
    }

    /// Reads a 32-bit unsigned integer.
    func uint32(at offset: Int) throws -> UInt32 {
        UInt32(truncatingIfNeeded: try unsignedValue(at: offset, size: 4))
    }

    // MARK: - Elements

    /// Reads the element whose tag starts at `offset`; the element must end by `end`.
    ///
    /// Handles the small data element format (type and size packed into the first four bytes,
    /// up to four data bytes in the next four). Data are padded to 8 bytes except for
    /// miCOMPRESSED; padding missing at the very end of the container is tolerated.
    func element(at offset: Int, end: Int) throws -> Element {
        guard offset >= 0, offset <= end, end - offset >= 8 else {
            throw failure("truncated data element tag (need 8 bytes, \(max(0, end - offset)) left)", at: offset)
        }
        let first = try uint32(at: offset)
        if first >> 16 != 0 {
            // Small data element: size in the upper half, type in the lower half.
            let count = Int(first >> 16)
            let rawType = first & 0xFFFF
            guard count <= 4 else {
                throw failure("small data element claims \(count) bytes (at most 4 allowed)", at: offset)
            }
            return Element(rawType: rawType, tagOffset: offset, dataStart: offset + 4, dataCount: count, next: offset + 8)
        }
        let count = Int(try uint32(at: offset + 4))
        let dataStart = offset + 8
        guard count <= end - dataStart else {
            throw failure(
                "data element of \(count) bytes extends past the end of its container (\(end - dataStart) bytes left)",
                at: offset)
        }
        var next = dataStart + count
        if first != MATDataType.compressed.rawValue {
            let padded = dataStart + (count + 7) / 8 * 8
            next = min(padded, end)
        }
        return Element(rawType: first, tagOffset: offset, dataStart: dataStart, dataCount: count, next: next)
    }

    // MARK: - Numbers and text

    /// Decodes the data of a numeric element into doubles.
    func numbers(of element: Element) throws -> [Double] {
        guard let type = element.type, let size = type.elementSize, type != .utf8, type != .utf16, type != .utf32 else {
            throw failure("expected numeric data, found element type \(element.type?.name ?? "\(element.rawType)")", at: element.tagOffset)
        }
        guard element.dataCount % size == 0 else {
            throw failure("\(type.name) data of \(element.dataCount) bytes is not a multiple of \(size)", at: element.tagOffset)
        }
        let count = element.dataCount / size
        var values = [Double]()
        values.reserveCapacity(count)
        var offset = element.dataStart
        for _ in 0..<count {
            let raw = try unsignedValue(at: offset, size: size)
            offset += size
            switch type {
            case .int8: values.append(Double(Int8(truncatingIfNeeded: raw)))
            case .uint8: values.append(Double(UInt8(truncatingIfNeeded: raw)))
            case .int16: values.append(Double(Int16(truncatingIfNeeded: raw)))
            case .uint16: values.append(Double(UInt16(truncatingIfNeeded: raw)))
            case .int32: values.append(Double(Int32(truncatingIfNeeded: raw)))
            case .uint32: values.append(Double(UInt32(truncatingIfNeeded: raw)))
            case .int64: values.append(Double(Int64(bitPattern: raw)))
            case .uint64: values.append(Double(raw))
            case .single: values.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))))
            case .double: values.append(Double(bitPattern: raw))
            case .matrix, .compressed, .utf8, .utf16, .utf32:
                throw failure("expected numeric data, found \(type.name)", at: element.tagOffset)
            }
        }
        return values
    }

    /// Decodes character data: UTF-16 units, code points, or bytes (Latin-1).
    func characters(of element: Element) throws -> [UInt32] {
        guard let type = element.type else {
            throw failure("unknown character data type \(element.rawType)", at: element.tagOffset)
        }
        switch type {
        case .utf8:
            let slice = bytes[element.dataStart..<element.dataEnd]
            var units: [UInt32] = []
            var decoder = UTF8()
            var iterator = slice.makeIterator()
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): units.append(scalar.value)
                case .emptyInput: break decoding
                case .error: throw failure("invalid UTF-8 in character data", at: element.tagOffset)
                }
            }
            return units
        case .int8, .uint8, .int16, .uint16, .utf16, .int32, .uint32, .utf32:
            return try numbers(of: element.with(type: type.plainNumericType)).map { UInt32(truncatingIfNeeded: Int64($0)) }
        case .single, .double, .int64, .uint64, .matrix, .compressed:
            throw failure("character data stored as \(type.name) is not supported", at: element.tagOffset)
        }
    }

    /// Reads an element's bytes as an ASCII name, stopping at the first NUL.
    func name(of element: Element) throws -> String {
        guard let type = element.type, type == .int8 || type == .uint8 || type == .utf8 else {
            throw failure("expected an array name (miINT8), found \(element.type?.name ?? "type \(element.rawType)")", at: element.tagOffset)
        }
        let slice = bytes[element.dataStart..<element.dataEnd]
        let trimmed = slice.prefix { $0 != 0 }
        return String(decoding: trimmed, as: UTF8.self)
    }

    // MARK: - Arrays

    /// The dimensions in a dimensions element, and their product (checked for overflow).
    func dimensions(of dimsElement: Element) throws -> (dimensions: [Int], count: Int) {
        var dimensions: [Int] = []
        var elementCount = 1
        for value in try numbers(of: dimsElement) {
            guard value >= 0 else { throw failure("negative dimension \(Int(value))", at: dimsElement.tagOffset) }
            let dimension = Int(value)
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw failure("dimensions overflow", at: dimsElement.tagOffset) }
            elementCount = product
            dimensions.append(dimension)
        }
        return (dimensions, elementCount)
    }

    /// Parses the body of a miMATRIX element (the data range of `element`).
    /// - Parameters:
    ///   - element: The miMATRIX element.
    ///   - depth: Current nesting depth (0 for a top-level variable).
    func matrix(_ element: Element, depth: Int) throws -> NamedValue {
        guard depth <= limits.maxNestingDepth else {
            throw failure("arrays nested deeper than \(limits.maxNestingDepth) levels", at: element.tagOffset)
        }
        let end = element.dataEnd
        if element.dataCount == 0 {
            // An empty miMATRIX stands for an empty 0x0 double array.
            return NamedValue(name: "", value: .numeric(MATNumericArray(matClass: .double, dimensions: [0, 0], real: [])), isGlobal: false)
        }
        // Array flags.
        let flags = try self.element(at: element.dataStart, end: end)
        guard flags.type == .uint32, flags.dataCount == 8 else {
            throw failure("array flags must be 8 bytes of miUINT32", at: flags.tagOffset)
        }
        let flagWord = try uint32(at: flags.dataStart)
        let classCode = UInt8(flagWord & 0xFF)
        let isComplex = flagWord & 0x0800 != 0
        let isGlobal = flagWord & 0x0400 != 0
        let isLogical = flagWord & 0x0200 != 0
        guard let matClass = MATClass(rawValue: classCode) else {
            throw failure("unknown array class \(classCode)", at: flags.tagOffset)
        }
        // Dimensions.
        let dimsElement = try self.element(at: flags.next, end: end)
        guard dimsElement.type == .int32, dimsElement.dataCount % 4 == 0, dimsElement.dataCount >= 8 else {
            throw failure("dimensions must be at least two miINT32 values", at: dimsElement.tagOffset)
        }
        let (dimensions, elementCount) = try self.dimensions(of: dimsElement)
        // Name.
        let nameElement = try self.element(at: dimsElement.next, end: end)
        let arrayName = try name(of: nameElement)
        var cursor = nameElement.next

        let value: MATValue
        switch matClass {
        case .double, .single, .int8, .uint8, .int16, .uint16, .int32, .uint32, .int64, .uint64:
            let real = try numericPart(at: &cursor, end: end, count: elementCount, what: "real part")
            let imaginary = isComplex ? try numericPart(at: &cursor, end: end, count: elementCount, what: "imaginary part") : nil
            value = .numeric(MATNumericArray(matClass: matClass, dimensions: dimensions, real: real, imaginary: imaginary, isLogical: isLogical))
        case .char:
            var units: [UInt32] = []
            if cursor < end {
                let data = try self.element(at: cursor, end: end)
                units = try characters(of: data)
                cursor = data.next
            }
            guard units.count == elementCount else {
                throw failure("character array of \(elementCount) characters holds \(units.count)", at: element.tagOffset)
            }
            value = .char(MATCharArray(dimensions: dimensions, codeUnits: units))
        case .cell:
            guard elementCount <= (end - cursor) / 8 else {
                throw failure("cell array of \(elementCount) cells cannot fit in \(end - cursor) bytes", at: element.tagOffset)
            }
            var cells: [MATValue] = []
            cells.reserveCapacity(elementCount)
            for _ in 0..<elementCount {
                let child = try self.element(at: cursor, end: end)
                guard child.type == .matrix else {
                    throw failure("cell contents must be miMATRIX, found \(child.type?.name ?? "type \(child.rawType)")", at: child.tagOffset)
                }
                cells.append(try matrix(child, depth: depth + 1).value)
                cursor = child.next
            }
            value = .cell(MATCellArray(dimensions: dimensions, elements: cells))
        case .structure:
            value = .structure(try structure(at: &cursor, end: end, dimensions: dimensions, count: elementCount, depth: depth, arrayOffset: element.tagOffset))
        case .object:
            throw failure("MATLAB objects are not supported", at: element.tagOffset)
        case .sparse:
            throw failure("sparse arrays are not supported", at: element.tagOffset)
        }
        return NamedValue(name: arrayName, value: value, isGlobal: isGlobal)
    }

    /// Reads one numeric part of `count` values at `cursor` (a missing part is accepted when empty).
    private func numericPart(at cursor: inout Int, end: Int, count: Int, what: String) throws -> [Double] {
        if cursor >= end && count == 0 { return [] }
        let data = try element(at: cursor, end: end)
        let values = try numbers(of: data)
        guard values.count == count else {
            throw failure("\(what) holds \(values.count) values for an array of \(count) elements", at: data.tagOffset)
        }
        cursor = data.next
        return values
    }

    /// Reads the field names and field values of a structure array.
    private func structure(at cursor: inout Int, end: Int, dimensions: [Int], count: Int, depth: Int, arrayOffset: Int) throws -> MATStructArray {
        let lengthElement = try element(at: cursor, end: end)
        let lengths = try numbers(of: lengthElement)
        guard lengthElement.type == .int32, lengths.count == 1, let first = lengths.first, first >= 1, first <= 4096 else {
            throw failure("structure field name length must be one positive miINT32", at: lengthElement.tagOffset)
        }
        let nameLength = Int(first)
        let namesElement = try element(at: lengthElement.next, end: end)
        guard namesElement.type == .int8 || namesElement.type == .uint8, namesElement.dataCount % nameLength == 0 else {
            throw failure("structure field names must be miINT8 in blocks of \(nameLength) bytes", at: namesElement.tagOffset)
        }
        let fieldCount = namesElement.dataCount / nameLength
        var fieldNames: [String] = []
        for index in 0..<fieldCount {
            let start = namesElement.dataStart + index * nameLength
            let raw = bytes[start..<(start + nameLength)].prefix { $0 != 0 }
            fieldNames.append(String(decoding: raw, as: UTF8.self))
        }
        cursor = namesElement.next
        let (valueCount, overflow) = count.multipliedReportingOverflow(by: fieldCount)
        guard !overflow, valueCount <= (end - cursor) / 8 else {
            throw failure("structure of \(count) elements x \(fieldCount) fields cannot fit in \(end - cursor) bytes", at: arrayOffset)
        }
        var elements: [[String: MATValue]] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            var fields: [String: MATValue] = [:]
            for fieldName in fieldNames {
                let child = try element(at: cursor, end: end)
                guard child.type == .matrix else {
                    throw failure("structure field contents must be miMATRIX", at: child.tagOffset)
                }
                fields[fieldName] = try matrix(child, depth: depth + 1).value
                cursor = child.next
            }
            elements.append(fields)
        }
        return MATStructArray(dimensions: dimensions, fieldNames: fieldNames, elements: elements)
    }
}

extension MATParser.Element {
    /// The same element read as another type (used to decode text stored in numeric types).
    func with(type: MATDataType) -> MATParser.Element {
        MATParser.Element(rawType: type.rawValue, tagOffset: tagOffset, dataStart: dataStart, dataCount: dataCount, next: next)
    }
}

extension MATDataType {
    /// The numeric type of the same width used to decode text units.
    var plainNumericType: MATDataType {
        switch self {
        case .utf8: return .uint8
        case .utf16: return .uint16
        case .utf32: return .uint32
        default: return self
        }
    }
}
