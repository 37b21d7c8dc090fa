/// A named metadata entry of a model (`tflite.Metadata`): its bytes are buffer ``buffer``.
public struct ModelMetadata: Sendable, Hashable {
    /// The entry's name, e.g. `min_runtime_version`.
    public var name: String
    /// Index into the model's buffers.
    public var buffer: Int

    /// An entry naming buffer `buffer`.
    public init(name: String, buffer: Int) {
        self.name = name
        self.buffer = buffer
    }
}

/// Everything a `.tflite` file holds, as values, ready for ``ModelWriter/serialize(_:)``: the
/// counterpart of ``TFLiteModel`` for writing.
///
/// Buffers are owned byte arrays; buffer 0 must be the empty sentinel. Tensors are written
/// dense (a tensor with ``Tensor/sparsity`` is rejected).
public struct ModelBlueprint: Sendable, Hashable {
    /// Schema version (3).
    public var version: Int
    public var description: String?
    public var operatorCodes: [OperatorCode]
    public var subgraphs: [Subgraph]
    /// Constant data; index 0 is empty.
    public var buffers: [[UInt8]]
    public var metadata: [ModelMetadata]
    public var signatures: [SignatureDef]

    /// A blueprint from its parts.
    public init(version: Int = 3, description: String? = nil, operatorCodes: [OperatorCode], subgraphs: [Subgraph],
                buffers: [[UInt8]], metadata: [ModelMetadata] = [], signatures: [SignatureDef] = []) {
        self.version = version
        self.description = description
        self.operatorCodes = operatorCodes
        self.subgraphs = subgraphs
        self.buffers = buffers
        self.metadata = metadata
        self.signatures = signatures
    }

    /// A copy of a model read from a file (constant bytes copied out of its storage).
    public init(_ model: TFLiteModel) throws {
        self.init(version: model.version, description: model.description, operatorCodes: model.operatorCodes,
                  subgraphs: model.subgraphs,
                  buffers: model.buffers.map { Array(model.storage.bytes[$0]) },
                  metadata: try model.metadata(), signatures: model.signatures)
    }

    /// Appends a buffer holding `bytes` and returns its index.
    public mutating func addBuffer(_ bytes: [UInt8]) -> Int {
        buffers.append(bytes)
        return buffers.count - 1
    }

    /// Appends a metadata entry `name` whose buffer holds `bytes`.
    public mutating func addMetadata(name: String, bytes: [UInt8]) {
        metadata.append(ModelMetadata(name: name, buffer: addBuffer(bytes)))
    }
}

/// Writes TFLite schema v3 FlatBuffers (`.tflite` files) that ``TFLiteModel`` and TensorFlow
/// Lite read: operator codes with both the deprecated byte and the extended code, tensors with
/// per-tensor or per-channel quantization (and its axis), buffers with 16-byte aligned data,
/// operators with the builtin options ``BuiltinOptions`` decodes, metadata and signatures.
public enum ModelWriter {
    /// The file's bytes.
    ///
    /// - Throws: ``ModelError`` for what cannot be written: a sparse tensor, options this writer
    ///   does not know (``BuiltinOptions/other(unionType:)``), a non-empty buffer 0, an index out
    ///   of range.
    public static func serialize(_ model: ModelBlueprint) throws -> [UInt8] {
        if let first = model.buffers.first, !first.isEmpty {
            throw ModelError("buffer 0 must be empty (it is the sentinel of tensors without data), it has \(first.count) bytes")
        }
        for (s, g) in model.subgraphs.enumerated() {
            for (i, t) in g.tensors.enumerated() {
                guard model.buffers.indices.contains(t.buffer) || (t.buffer == 0 && model.buffers.isEmpty) else {
                    throw ModelError("buffer index \(t.buffer) out of range (\(model.buffers.count) buffers)",
                                     location: "subgraphs[\(s)].tensors[\(i)]")
                }
                if t.sparsity != nil {
                    throw ModelError("sparse tensors are not written; densify '\(t.name)' first", location: "subgraphs[\(s)].tensors[\(i)]")
                }
            }
            for (o, op) in g.operators.enumerated() where !model.operatorCodes.indices.contains(op.opcodeIndex) {
                throw ModelError("opcode index \(op.opcodeIndex) out of range", location: "subgraphs[\(s)].operators[\(o)]")
            }
        }
        for m in model.metadata where !model.buffers.indices.contains(m.buffer) {
            throw ModelError("metadata '\(m.name)' names buffer \(m.buffer), out of range (\(model.buffers.count) buffers)")
        }
        let buffers = (model.buffers.isEmpty ? [[]] : model.buffers).map { data -> FBNode in
            .table(data.isEmpty ? [] : [.child(.scalars(bytes: data, elementSize: 1, alignment: 16))])
        }
        var fields: [FBField?] = Array(repeating: nil, count: 8)
        fields[0] = .u32(UInt32(model.version))
        fields[1] = .child(.vector(model.operatorCodes.map(operatorCode)))
        fields[2] = .child(.vector(try model.subgraphs.map(subgraph)))
        if let d = model.description { fields[3] = .child(.string(d)) }
        fields[4] = .child(.vector(buffers))
        if !model.metadata.isEmpty {
            fields[6] = .child(.vector(model.metadata.map { .table([.child(.string($0.name)), .u32(UInt32($0.buffer))]) }))
        }
        if !model.signatures.isEmpty { fields[7] = .child(.vector(model.signatures.map(signature))) }
        return try FlatBufferBuilder.build(root: .table(fields), identifier: "TFL3")
    }

    // MARK: - Tables

    private static func operatorCode(_ c: OperatorCode) -> FBNode {
        let code = c.builtin.rawValue
        // Codes past 126 only fit the extended field; the byte holds 127 (PLACEHOLDER_FOR_GREATER_OP_CODES).
        let deprecated = Int8(clamping: min(code, 127))
        return .table([.i8(deprecated), c.customCode.map { .child(.string($0)) }, .i32(Int32(c.version)), .i32(code)])
    }

    private static func subgraph(_ g: Subgraph) throws -> FBNode {
        .table([.child(.vector(g.tensors.map(tensor))), .child(.int32s(g.inputs)), .child(.int32s(g.outputs)),
                .child(.vector(try g.operators.map(op))), g.name.map { .child(.string($0)) }])
    }

    static func typeCode(_ t: TensorType) -> Int8 {
        let all: [TensorType] = [.float32, .float16, .int32, .uint8, .int64, .string, .bool, .int16, .complex64,
                                 .int8, .float64, .complex128, .uint64, .resource, .variant, .uint32, .uint16, .int4]
        if case .unknown(let v) = t { return v }
        return Int8(all.firstIndex(of: t) ?? 0)
    }

    private static func tensor(_ t: Tensor) -> FBNode {
        var fields: [FBField?] = [.child(.int32s(t.shape)), .i8(typeCode(t.type)), .u32(UInt32(t.buffer)),
                                  .child(.string(t.name)), nil, t.isVariable ? .bool(true) : nil]
        if let q = t.quantization {
            var qf: [FBField?] = Array(repeating: nil, count: 7)
            if !q.min.isEmpty { qf[0] = .child(.floats(q.min)) }
            if !q.max.isEmpty { qf[1] = .child(.floats(q.max)) }
            qf[2] = .child(.floats(q.scale))
            qf[3] = .child(.int64s(q.zeroPoint))
            qf[6] = .i32(Int32(q.quantizedDimension))
            fields[4] = .child(.table(qf))
        }
        return .table(fields)
    }

    static func paddingCode(_ p: Padding) -> Int8 {
        switch p {
        case .same: return 0
        case .valid: return 1
        case .unknown(let v): return v
        }
    }

    static func activationCode(_ a: Activation) -> Int8 {
        switch a {
        case .none: return 0
        case .relu: return 1
        case .reluN1To1: return 2
        case .relu6: return 3
        case .tanh: return 4
        case .signBit: return 5
        case .unknown(let v): return v
        }
    }

    /// The union type and table of an operator's builtin options.
    private static func options(_ o: BuiltinOptions) throws -> (UInt8, FBNode?) {
        func i32(_ v: Int) -> FBField { .i32(Int32(clamping: v)) }
        switch o {
        case .none: return (0, nil)
        case .conv2D(let c):
            return (1, .table([.i8(paddingCode(c.padding)), i32(c.strideW), i32(c.strideH), .i8(activationCode(c.activation)),
                               i32(c.dilationW), i32(c.dilationH)]))
        case .depthwiseConv2D(let c):
            return (2, .table([.i8(paddingCode(c.padding)), i32(c.strideW), i32(c.strideH), i32(c.depthMultiplier),
                               .i8(activationCode(c.activation)), i32(c.dilationW), i32(c.dilationH)]))
        case .pool2D(let p):
            return (5, .table([.i8(paddingCode(p.padding)), i32(p.strideW), i32(p.strideH), i32(p.filterW), i32(p.filterH),
                               .i8(activationCode(p.activation))]))
        case .concatenation(let axis, let a):
            return (10, .table([i32(axis), .i8(activationCode(a))]))
        case .add(let a, let pot):
            return (11, .table([.i8(activationCode(a)), .bool(pot)]))
        case .mul(let a):
            return (21, .table([.i8(activationCode(a))]))
        case .resizeBilinear(let align, let half):
            return (15, .table([nil, nil, .bool(align), .bool(half)]))
        case .reshape(let shape):
            return (17, .table([.child(.int32s(shape))]))
        case .depthToSpace(let block):
            return (94, .table([i32(block)]))
        case .empty(let type):
            return (type, .table([]))
        case .other(let type):
            throw ModelError("builtin options of union type \(type) are not known to the writer")
        }
    }

    private static func op(_ o: Operator) throws -> FBNode {
        let (type, table) = try options(o.options)
        return .table([.u32(UInt32(o.opcodeIndex)), .child(.int32s(o.inputs)), .child(.int32s(o.outputs)),
                       type == 0 ? nil : .u8(type), table.map { .child($0) }])
    }

    private static func signature(_ s: SignatureDef) -> FBNode {
        func maps(_ m: [SignatureTensor]) -> FBNode {
            .vector(m.map { .table([.child(.string($0.name)), .u32(UInt32($0.tensorIndex))]) })
        }
        return .table([.child(maps(s.inputs)), .child(maps(s.outputs)), s.key.map { .child(.string($0)) }, nil,
                       .u32(UInt32(s.subgraphIndex))])
    }
}

extension TFLiteModel {
    /// The model's metadata entries (`Model.metadata`): name and buffer index, e.g.
    /// `min_runtime_version`, or `blazeface_quantizer` in files ``ModelWriter`` made for `blazeface quantize`.
    ///
    /// - Throws: ``ModelError`` when the table is malformed or names a buffer out of range.
    public func metadata() throws -> [ModelMetadata] {
        let root = try FlatBuffer(bytes: storage.bytes).root()
        return try root.tables(6, "metadata").enumerated().map { i, t in
            let entry = ModelMetadata(name: try t.string(0, "name") ?? "", buffer: Int(try t.u32(1, "buffer")))
            guard buffers.indices.contains(entry.buffer) else {
                throw ModelError("buffer index \(entry.buffer) out of range (model has \(buffers.count) buffers)",
                                 location: "metadata[\(i)].buffer")
            }
            return entry
        }
    }

    /// The bytes of metadata entry `name`, or nil when the model has no such entry.
    public func metadataBytes(named name: String) throws -> [UInt8]? {
        guard let m = try metadata().first(where: { $0.name == name }) else { return nil }
        return Array(storage.bytes[buffers[m.buffer]])
    }
}
