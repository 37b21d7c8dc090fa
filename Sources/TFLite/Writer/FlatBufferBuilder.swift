/// A value to serialise as FlatBuffers: a table, a string, a vector of scalars, or a vector of
/// tables. ``FlatBufferBuilder`` lays the tree out front to back, every child after the field
/// that refers to it (FlatBuffers offsets are unsigned and point forward).
indirect enum FBNode {
    /// A table; element `i` is field `i` of the schema (nil = absent, the reader's default).
    case table([FBField?])
    /// A NUL-terminated UTF-8 string.
    case string(String)
    /// A vector of little-endian scalars of `elementSize` bytes whose first element is aligned to
    /// `alignment` bytes (16 for constant buffers).
    case scalars(bytes: [UInt8], elementSize: Int, alignment: Int)
    /// A vector of offsets to tables (or strings).
    case vector([FBNode])

    static func int32s<S: Sequence>(_ values: S) -> FBNode where S.Element: BinaryInteger {
        var b: [UInt8] = []
        for v in values { appendLE(Int32(truncatingIfNeeded: v), to: &b) }
        return .scalars(bytes: b, elementSize: 4, alignment: 4)
    }

    static func int64s(_ values: [Int64]) -> FBNode {
        var b: [UInt8] = []
        for v in values { appendLE(v, to: &b) }
        return .scalars(bytes: b, elementSize: 8, alignment: 8)
    }

    static func floats(_ values: [Float]) -> FBNode {
        var b: [UInt8] = []
        for v in values { appendLE(v.bitPattern, to: &b) }
        return .scalars(bytes: b, elementSize: 4, alignment: 4)
    }
}

/// One field of a table: an inline scalar or an offset to a child.
enum FBField {
    /// Little-endian bytes of a scalar of 1, 2, 4 or 8 bytes.
    case scalar([UInt8])
    case child(FBNode)

    static func i8(_ v: Int8) -> FBField { .scalar([UInt8(bitPattern: v)]) }
    static func u8(_ v: UInt8) -> FBField { .scalar([v]) }
    static func bool(_ v: Bool) -> FBField { .scalar([v ? 1 : 0]) }
    static func i32(_ v: Int32) -> FBField { var b: [UInt8] = []; appendLE(v, to: &b); return .scalar(b) }
    static func u32(_ v: UInt32) -> FBField { var b: [UInt8] = []; appendLE(v, to: &b); return .scalar(b) }
}

func appendLE<T: FixedWidthInteger>(_ v: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
}

/// Serialises an ``FBNode`` tree into a FlatBuffers binary with a file identifier.
///
/// Layout: root offset, identifier, then the root table; each table is preceded by its own
/// vtable and followed by its children, depth first. Scalars sit at offsets aligned to their size,
/// vectors' elements to their element size (or the requested alignment), so the output passes
/// the FlatBuffers verifier's alignment checks.
struct FlatBufferBuilder {
    private(set) var bytes: [UInt8] = []

    /// The finished buffer for `root` with the 4-character `identifier`.
    static func build(root: FBNode, identifier: String) throws -> [UInt8] {
        var b = FlatBufferBuilder()
        b.bytes = [0, 0, 0, 0] + Array(identifier.utf8.prefix(4))
        guard b.bytes.count == 8 else { throw ModelError("file identifier '\(identifier)' must have 4 bytes") }
        let pos = try b.place(root)
        b.patchOffset(at: 0, to: pos)
        b.pad(to: 16)
        return b.bytes
    }

    private mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    private mutating func patchOffset(at field: Int, to target: Int) {
        let v = UInt32(target - field).littleEndian
        withUnsafeBytes(of: v) { for (i, x) in $0.enumerated() { bytes[field + i] = x } }
    }

    /// Writes `node` (and its children) at the end; returns where it starts.
    private mutating func place(_ node: FBNode) throws -> Int {
        switch node {
        case .string(let s):
            pad(to: 4)
            let pos = bytes.count
            let utf8 = Array(s.utf8)
            appendLE(UInt32(utf8.count), to: &bytes)
            bytes += utf8
            bytes.append(0)
            return pos
        case .scalars(let data, let elementSize, let alignment):
            guard elementSize > 0, data.count % elementSize == 0 else {
                throw ModelError("vector of \(data.count) bytes is not a whole number of \(elementSize)-byte elements")
            }
            let align = max(4, alignment, elementSize)
            while bytes.count % 4 != 0 || (bytes.count + 4) % align != 0 { bytes.append(0) }
            let pos = bytes.count
            appendLE(UInt32(data.count / elementSize), to: &bytes)
            bytes += data
            return pos
        case .vector(let children):
            pad(to: 4)
            let pos = bytes.count
            appendLE(UInt32(children.count), to: &bytes)
            let slots = children.indices.map { pos + 4 + 4 * $0 }
            bytes += [UInt8](repeating: 0, count: 4 * children.count)
            for (slot, child) in zip(slots, children) {
                patchOffset(at: slot, to: try place(child))
            }
            return pos
        case .table(let fields):
            return try placeTable(fields)
        }
    }

    private mutating func placeTable(_ fields: [FBField?]) throws -> Int {
        // Inline layout: the soffset at 0, then fields in order, each aligned to its size.
        var layout: [Int?] = []
        var size = 4
        var tableAlign = 4
        for f in fields {
            guard let f else { layout.append(nil); continue }
            let width: Int
            switch f {
            case .scalar(let b):
                guard [1, 2, 4, 8].contains(b.count) else { throw ModelError("scalar field of \(b.count) bytes") }
                width = b.count
            case .child: width = 4
            }
            tableAlign = max(tableAlign, width)
            size = (size + width - 1) / width * width
            layout.append(size)
            size += width
        }
        size = (size + 3) / 4 * 4
        guard size < 1 << 16, fields.count < 1 << 14 else { throw ModelError("table too large to serialise") }
        // The vtable, then the table aligned so that its fields are.
        pad(to: 2)
        let vtable = bytes.count
        appendLE(UInt16(4 + 2 * fields.count), to: &bytes)
        appendLE(UInt16(size), to: &bytes)
        for l in layout { appendLE(UInt16(l ?? 0), to: &bytes) }
        pad(to: tableAlign)
        let table = bytes.count
        appendLE(Int32(table - vtable), to: &bytes)
        bytes += [UInt8](repeating: 0, count: size - 4)
        var children: [(Int, FBNode)] = []
        for (f, l) in zip(fields, layout) {
            guard let f, let l else { continue }
            switch f {
            case .scalar(let b):
                for (i, x) in b.enumerated() { bytes[table + l + i] = x }
            case .child(let node):
                children.append((table + l, node))
            }
        }
        for (slot, node) in children {
            patchOffset(at: slot, to: try place(node))
        }
        return table
    }
}
