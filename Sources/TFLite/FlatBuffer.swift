/// Bounds-checked, zero-copy access to a FlatBuffers binary.
///
/// Every read checks its offset and length against the buffer before it touches memory, and every
/// failure throws a ``ModelError`` carrying a schema path (`subgraphs[0].operators[3].inputs`) and
/// the byte offset. Offsets to children are unsigned and relative, so a hostile file can make a
/// table point at itself; readers built on this type follow the schema's fixed depth and never
/// recurse on data, so such a cycle costs one extra read, never a hang.
///
/// Layout reminders (FlatBuffers wire format, little-endian):
/// - root: `u32` offset to the root table at byte 0; file identifier at bytes 4..<8;
/// - table: `i32` at its start = distance back to its vtable (`vtable = table - soffset`);
/// - vtable: `u16` vtable size, `u16` table size, then one `u16` per field (0 = absent),
///   each an offset from the table's start;
/// - vector / string: `u32` element count, then the elements (strings add a NUL).
struct FlatBuffer {
    let bytes: UnsafeRawBufferPointer

    var count: Int { bytes.count }

    func check(_ offset: Int, _ size: Int, _ path: String) throws {
        guard offset >= 0, size >= 0, offset <= count, size <= count - offset else {
            throw ModelError("\(size) bytes at offset \(offset) run past the end of the \(count)-byte file",
                             location: path, byteOffset: offset)
        }
    }

    func u8(_ offset: Int, _ path: String) throws -> UInt8 {
        try check(offset, 1, path)
        return bytes[offset]
    }

    func u16(_ offset: Int, _ path: String) throws -> UInt16 {
        try check(offset, 2, path)
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    func u32(_ offset: Int, _ path: String) throws -> UInt32 {
        try check(offset, 4, path)
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    func i32(_ offset: Int, _ path: String) throws -> Int32 {
        Int32(bitPattern: try u32(offset, path))
    }

    func u64(_ offset: Int, _ path: String) throws -> UInt64 {
        try check(offset, 8, path)
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Follows the `u32` relative offset stored at `offset`.
    func indirect(_ offset: Int, _ path: String) throws -> Int {
        let rel = Int(try u32(offset, path))
        let target = offset + rel
        guard target < count else {
            throw ModelError("offset \(rel) at byte \(offset) points outside the \(count)-byte file",
                             location: path, byteOffset: offset)
        }
        return target
    }

    /// The root table.
    func root() throws -> FBTable {
        guard count >= 8 else {
            throw ModelError("file is \(count) bytes, too short for a FlatBuffer (needs at least 8)", byteOffset: 0)
        }
        return try FBTable(self, at: try indirect(0, "root"), path: "model")
    }
}

/// A table inside a ``FlatBuffer``, with its vtable validated.
struct FBTable {
    let fb: FlatBuffer
    let position: Int
    let vtable: Int
    let vtableSize: Int
    let tableSize: Int
    let path: String

    init(_ fb: FlatBuffer, at position: Int, path: String) throws {
        self.fb = fb
        self.position = position
        self.path = path
        let soffset = Int(try fb.i32(position, path))
        let vtable = position - soffset
        guard vtable >= 0, vtable < fb.count else {
            throw ModelError("vtable offset \(soffset) points outside the file", location: path, byteOffset: position)
        }
        let vtableSize = Int(try fb.u16(vtable, path + " vtable"))
        let tableSize = Int(try fb.u16(vtable + 2, path + " vtable"))
        guard vtableSize >= 4, vtableSize % 2 == 0 else {
            throw ModelError("vtable size \(vtableSize) is invalid", location: path, byteOffset: vtable)
        }
        try fb.check(vtable, vtableSize, path + " vtable")
        guard tableSize >= 4 else {
            throw ModelError("table size \(tableSize) is invalid", location: path, byteOffset: vtable)
        }
        try fb.check(position, tableSize, path)
        self.vtable = vtable
        self.vtableSize = vtableSize
        self.tableSize = tableSize
    }

    /// Byte offset of field `index` in the file, or nil when absent.
    func fieldOffset(_ index: Int, size: Int, name: String) throws -> Int? {
        let slot = 4 + 2 * index
        guard slot + 2 <= vtableSize else { return nil }
        let rel = Int(try fb.u16(vtable + slot, path))
        if rel == 0 { return nil }
        guard rel + size <= tableSize else {
            throw ModelError("field '\(name)' (\(size) bytes at +\(rel)) lies outside its \(tableSize)-byte table",
                             location: path, byteOffset: position)
        }
        return position + rel
    }

    func u8(_ index: Int, _ name: String, default value: UInt8 = 0) throws -> UInt8 {
        guard let o = try fieldOffset(index, size: 1, name: name) else { return value }
        return try fb.u8(o, path + "." + name)
    }

    func i8(_ index: Int, _ name: String, default value: Int8 = 0) throws -> Int8 {
        Int8(bitPattern: try u8(index, name, default: UInt8(bitPattern: value)))
    }

    func bool(_ index: Int, _ name: String, default value: Bool = false) throws -> Bool {
        try u8(index, name, default: value ? 1 : 0) != 0
    }

    func u32(_ index: Int, _ name: String, default value: UInt32 = 0) throws -> UInt32 {
        guard let o = try fieldOffset(index, size: 4, name: name) else { return value }
        return try fb.u32(o, path + "." + name)
    }

    func i32(_ index: Int, _ name: String, default value: Int32 = 0) throws -> Int32 {
        Int32(bitPattern: try u32(index, name, default: UInt32(bitPattern: value)))
    }

    func u64(_ index: Int, _ name: String, default value: UInt64 = 0) throws -> UInt64 {
        guard let o = try fieldOffset(index, size: 8, name: name) else { return value }
        return try fb.u64(o, path + "." + name)
    }

    func table(_ index: Int, _ name: String) throws -> FBTable? {
        guard let o = try fieldOffset(index, size: 4, name: name) else { return nil }
        let p = path + "." + name
        return try FBTable(fb, at: try fb.indirect(o, p), path: p)
    }

    func string(_ index: Int, _ name: String) throws -> String? {
        guard let o = try fieldOffset(index, size: 4, name: name) else { return nil }
        let p = path + "." + name
        let start = try fb.indirect(o, p)
        let length = Int(try fb.u32(start, p))
        try fb.check(start + 4, length, p)
        let slice = UnsafeRawBufferPointer(rebasing: fb.bytes[(start + 4)..<(start + 4 + length)])
        return String(decoding: slice, as: UTF8.self)
    }

    /// A vector field: its first element's byte offset and element count, with the whole extent
    /// checked against the file.
    func vector(_ index: Int, _ name: String, elementSize: Int) throws -> FBVector? {
        guard let o = try fieldOffset(index, size: 4, name: name) else { return nil }
        let p = path + "." + name
        let start = try fb.indirect(o, p)
        let length = Int(try fb.u32(start, p))
        guard length <= (fb.count - start - 4) / elementSize else {
            throw ModelError("vector of \(length) elements of \(elementSize) bytes runs past the end of the file",
                             location: p, byteOffset: start)
        }
        return FBVector(fb: fb, start: start + 4, count: length, elementSize: elementSize, path: p)
    }

    func int32s(_ index: Int, _ name: String) throws -> [Int32] {
        guard let v = try vector(index, name, elementSize: 4) else { return [] }
        return try (0..<v.count).map { try fb.i32(v.start + 4 * $0, v.path) }
    }

    func int64s(_ index: Int, _ name: String) throws -> [Int64] {
        guard let v = try vector(index, name, elementSize: 8) else { return [] }
        return try (0..<v.count).map { Int64(bitPattern: try fb.u64(v.start + 8 * $0, v.path)) }
    }

    func floats(_ index: Int, _ name: String) throws -> [Float] {
        guard let v = try vector(index, name, elementSize: 4) else { return [] }
        return try (0..<v.count).map { Float(bitPattern: try fb.u32(v.start + 4 * $0, v.path)) }
    }

    /// The tables of a vector-of-tables field.
    func tables(_ index: Int, _ name: String) throws -> [FBTable] {
        guard let v = try vector(index, name, elementSize: 4) else { return [] }
        return try (0..<v.count).map { i in
            let p = "\(v.path)[\(i)]"
            return try FBTable(fb, at: try fb.indirect(v.start + 4 * i, p), path: p)
        }
    }

    /// The table at vector element `i` (for vector elements read one at a time).
    func descend(_ i: Int, of v: FBVector) throws -> FBTable {
        let p = "\(v.path)[\(i)]"
        return try FBTable(fb, at: try fb.indirect(v.start + 4 * i, p), path: p)
    }
}

/// A validated vector: `count` elements of `elementSize` bytes from byte `start`.
struct FBVector {
    let fb: FlatBuffer
    let start: Int
    let count: Int
    let elementSize: Int
    let path: String

    var byteRange: Range<Int> { start..<(start + count * elementSize) }
}
