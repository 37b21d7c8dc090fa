/// A tiny FlatBuffers writer for tests: lays objects out front to back (every child after its
/// parent, as unsigned offsets require) so that hostile variants are easy to make by hand.
public final class FlatBufferWriter {
    public var bytes: [UInt8] = []
    public init() {}

    public func pad(to alignment: Int) { while bytes.count % alignment != 0 { bytes.append(0) } }

    public func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }

    public func set<T: FixedWidthInteger>(_ v: T, at pos: Int) {
        withUnsafeBytes(of: v.littleEndian) { for (i, x) in $0.enumerated() { bytes[pos + i] = x } }
    }

    /// Points the u32 offset field at `field` to `target`.
    public func link(_ field: Int, to target: Int) { set(UInt32(target - field), at: field) }

    /// Starts a buffer: root offset placeholder + "TFL3". Returns the root field position.
    public func header() -> Int {
        put(UInt32(0))
        bytes += Array("TFL3".utf8)
        return 0
    }

    /// Writes a vtable and a table whose fields are byte strings (nil = absent), each 4-byte
    /// aligned. Returns the table position and each field's byte position.
    @discardableResult
    public func table(_ fields: [[UInt8]?]) -> (pos: Int, field: [Int?]) {
        pad(to: 2)
        let vt = bytes.count
        var layout: [Int?] = []
        var size = 4
        for f in fields {
            if let f {
                size = (size + 3) / 4 * 4
                layout.append(size)
                size += f.count
            } else {
                layout.append(nil)
            }
        }
        size = (size + 3) / 4 * 4
        put(UInt16(4 + 2 * fields.count))
        put(UInt16(size))
        for l in layout { put(UInt16(l ?? 0)) }
        pad(to: 4)
        let pos = bytes.count
        put(Int32(pos - vt))
        var positions: [Int?] = []
        for (f, l) in zip(fields, layout) {
            if let f, let l {
                while bytes.count < pos + l { bytes.append(0) }
                positions.append(bytes.count)
                bytes += f
            } else {
                positions.append(nil)
            }
        }
        while bytes.count < pos + size { bytes.append(0) }
        return (pos, positions)
    }

    /// A vector of u32 placeholders (for offsets) or values. Returns its position and elements'.
    @discardableResult
    public func vector(_ values: [UInt32]) -> (pos: Int, element: [Int]) {
        pad(to: 4)
        let pos = bytes.count
        put(UInt32(values.count))
        var els: [Int] = []
        for v in values {
            els.append(bytes.count)
            put(v)
        }
        return (pos, els)
    }

    public func string(_ s: String) -> Int {
        pad(to: 4)
        let pos = bytes.count
        put(UInt32(s.utf8.count))
        bytes += Array(s.utf8) + [0]
        return pos
    }

    public static func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    public static let offset: [UInt8] = [0, 0, 0, 0]
}

/// A valid one-op model: float32 ADD of two [1, 2, 2, 1] inputs, written by hand.
public struct TinyAddModel {
    public var bytes: [UInt8]
    /// Byte positions of interesting places, for making hostile variants.
    public var subgraphsVector = 0
    public var tensorsVector = 0
    public var firstTensor = 0
    public var operatorInputsVector = 0
    public var opcodeIndexField = 0
    public var tensorBufferField = 0

    public init(activation: UInt8 = 0) {
        let w = FlatBufferWriter()
        let root = w.header()
        // Model: version, operator_codes, subgraphs, description, buffers
        let model = w.table([FlatBufferWriter.u32(3), FlatBufferWriter.offset, FlatBufferWriter.offset, nil, FlatBufferWriter.offset])
        w.link(root, to: model.pos)
        // operator_codes: [ { deprecated_builtin_code = 0 (ADD), builtin_code = 0 } ]
        let codes = w.vector([0])
        w.link(model.field[1] ?? 0, to: codes.pos)
        let code = w.table([[0], nil, FlatBufferWriter.u32(1), FlatBufferWriter.u32(0)])
        w.link(codes.element[0], to: code.pos)
        // buffers: [ {} ]
        let bufs = w.vector([0])
        w.link(model.field[4] ?? 0, to: bufs.pos)
        let buf = w.table([])
        w.link(bufs.element[0], to: buf.pos)
        // subgraphs: [ subgraph ]
        let subs = w.vector([0])
        subgraphsVector = subs.pos
        w.link(model.field[2] ?? 0, to: subs.pos)
        let sg = w.table([FlatBufferWriter.offset, FlatBufferWriter.offset, FlatBufferWriter.offset, FlatBufferWriter.offset])
        w.link(subs.element[0], to: sg.pos)
        let tensors = w.vector([0, 0, 0])
        tensorsVector = tensors.pos
        w.link(sg.field[0] ?? 0, to: tensors.pos)
        for (i, name) in ["a", "b", "sum"].enumerated() {
            // Tensor: shape, type, buffer, name
            let t = w.table([FlatBufferWriter.offset, [0], FlatBufferWriter.u32(0), FlatBufferWriter.offset])
            if i == 0 {
                firstTensor = t.pos
                tensorBufferField = t.field[2] ?? 0
            }
            w.link(tensors.element[i], to: t.pos)
            let shape = w.vector([1, 2, 2, 1])
            w.link(t.field[0] ?? 0, to: shape.pos)
            let n = w.string(name)
            w.link(t.field[3] ?? 0, to: n)
        }
        let ins = w.vector([0, 1])
        w.link(sg.field[1] ?? 0, to: ins.pos)
        let outs = w.vector([2])
        w.link(sg.field[2] ?? 0, to: outs.pos)
        let ops = w.vector([0])
        w.link(sg.field[3] ?? 0, to: ops.pos)
        // Operator: opcode_index, inputs, outputs, builtin_options_type (11 = AddOptions), builtin_options
        let op = w.table([FlatBufferWriter.u32(0), FlatBufferWriter.offset, FlatBufferWriter.offset, [11], FlatBufferWriter.offset])
        opcodeIndexField = op.field[0] ?? 0
        w.link(ops.element[0], to: op.pos)
        let opIns = w.vector([0, 1])
        operatorInputsVector = opIns.pos
        w.link(op.field[1] ?? 0, to: opIns.pos)
        let opOuts = w.vector([2])
        w.link(op.field[2] ?? 0, to: opOuts.pos)
        let addOptions = w.table([[activation]])
        w.link(op.field[4] ?? 0, to: addOptions.pos)
        w.pad(to: 4)
        bytes = w.bytes
    }
}
