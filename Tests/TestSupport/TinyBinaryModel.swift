/// A valid one-op model with two same-shape inputs and one output, written by hand: an
/// elementwise builtin (ADD, MUL, ...) on float32 or per-tensor int8 tensors.
public struct TinyBinaryModel {
    /// Per-tensor int8 quantization of one tensor.
    public struct Quant {
        public var scale: Float, zeroPoint: Int64
        public init(scale: Float, zeroPoint: Int64) { self.scale = scale; self.zeroPoint = zeroPoint }
    }

    public var bytes: [UInt8]

    /// - Parameters:
    ///   - builtin: the operator code (e.g. 18 for MUL); `optionsType` its options union type
    ///     (21 for MulOptions), whose one field is the fused activation.
    ///   - quantization: nil for float32; else the int8 quantization of a, b and the output.
    public init(builtin: UInt8, optionsType: UInt8, activation: UInt8 = 0, shape: [UInt32], quantization: [Quant]? = nil) {
        let w = FlatBufferWriter()
        let root = w.header()
        let model = w.table([FlatBufferWriter.u32(3), FlatBufferWriter.offset, FlatBufferWriter.offset, nil, FlatBufferWriter.offset])
        w.link(root, to: model.pos)
        let codes = w.vector([0])
        w.link(model.field[1] ?? 0, to: codes.pos)
        let code = w.table([[builtin], nil, FlatBufferWriter.u32(1), FlatBufferWriter.u32(UInt32(builtin))])
        w.link(codes.element[0], to: code.pos)
        let bufs = w.vector([0])
        w.link(model.field[4] ?? 0, to: bufs.pos)
        w.link(bufs.element[0], to: w.table([]).pos)
        let subs = w.vector([0])
        w.link(model.field[2] ?? 0, to: subs.pos)
        let sg = w.table([FlatBufferWriter.offset, FlatBufferWriter.offset, FlatBufferWriter.offset, FlatBufferWriter.offset])
        w.link(subs.element[0], to: sg.pos)
        let tensors = w.vector([0, 0, 0])
        w.link(sg.field[0] ?? 0, to: tensors.pos)
        let type: UInt8 = quantization == nil ? 0 : 9   // FLOAT32, INT8
        for (i, name) in ["a", "b", "y"].enumerated() {
            // Tensor: shape, type, buffer, name, quantization
            let q = quantization.map { $0[i] }
            let t = w.table([FlatBufferWriter.offset, [type], FlatBufferWriter.u32(0), FlatBufferWriter.offset, q == nil ? nil : FlatBufferWriter.offset])
            w.link(tensors.element[i], to: t.pos)
            w.link(t.field[0] ?? 0, to: w.vector(shape).pos)
            w.link(t.field[3] ?? 0, to: w.string(name))
            if let q, let field = t.field[4] {
                // QuantizationParameters: min, max, scale [float], zero_point [long]
                let qp = w.table([nil, nil, FlatBufferWriter.offset, FlatBufferWriter.offset])
                w.link(field, to: qp.pos)
                w.link(qp.field[2] ?? 0, to: w.vector([q.scale.bitPattern]).pos)
                while (w.bytes.count + 4) % 8 != 0 { w.bytes.append(0) }
                let zp = w.bytes.count
                w.put(UInt32(1))
                w.put(q.zeroPoint)
                w.link(qp.field[3] ?? 0, to: zp)
            }
        }
        w.link(sg.field[1] ?? 0, to: w.vector([0, 1]).pos)
        w.link(sg.field[2] ?? 0, to: w.vector([2]).pos)
        let ops = w.vector([0])
        w.link(sg.field[3] ?? 0, to: ops.pos)
        let op = w.table([FlatBufferWriter.u32(0), FlatBufferWriter.offset, FlatBufferWriter.offset, [optionsType], FlatBufferWriter.offset])
        w.link(ops.element[0], to: op.pos)
        w.link(op.field[1] ?? 0, to: w.vector([0, 1]).pos)
        w.link(op.field[2] ?? 0, to: w.vector([2]).pos)
        w.link(op.field[4] ?? 0, to: w.table([[activation]]).pos)
        w.pad(to: 4)
        bytes = w.bytes
    }
}
