/// A `.tflite` model read directly from its FlatBuffer bytes.
///
/// The reader validates every offset, length and index it follows and throws a ``ModelError``
/// (what, where in the schema, at which byte) for truncated, corrupted or hostile files; it never
/// traps. Constant data is not copied: ``buffers`` are byte ranges into ``storage``.
///
/// ```swift
/// let model = try TFLiteModel(contentsOfFile: "face_detection_front.tflite")
/// print(model.subgraphs[0].operators.count)
/// ```
public struct TFLiteModel: Sendable {
    /// The file's bytes.
    public let storage: ByteStorage
    /// Where the model came from (a path, or `<memory>`).
    public let source: String
    /// Schema version (3 for current files).
    public let version: Int
    public let description: String?
    public let operatorCodes: [OperatorCode]
    public let subgraphs: [Subgraph]
    /// Byte ranges of the model's buffers within ``storage``; index 0 is the empty sentinel.
    public let buffers: [Range<Int>]
    public let signatures: [SignatureDef]

    /// Reads a model file.
    ///
    /// - Throws: ``ModelError`` naming the file and the problem.
    public init(contentsOfFile path: String) throws {
        let storage = try ByteStorage(contentsOfFile: path)
        do {
            try self.init(storage: storage, source: path)
        } catch let error as ModelError {
            throw error.inFile(path)
        }
    }

    /// Reads a model from bytes.
    public init(bytes: [UInt8], source: String = "<memory>") throws {
        try self.init(storage: ByteStorage(copying: bytes), source: source)
    }

    /// Reads a model from bytes already in a ``ByteStorage``.
    public init(storage: ByteStorage, source: String = "<memory>") throws {
        do {
            let fb = FlatBuffer(bytes: storage.bytes)
            let root = try fb.root()
            if fb.count >= 8 {
                let ident = Array(storage.bytes[4..<8])
                guard ident == Array("TFL3".utf8) else {
                    let shown = ident.map { (0x20..<0x7f).contains($0) ? String(UnicodeScalar($0)) : "." }.joined()
                    throw ModelError("not a TFLite model: file identifier is '\(shown)', expected 'TFL3'", byteOffset: 4)
                }
            }
            self.storage = storage
            self.source = source
            version = Int(try root.u32(0, "version"))
            operatorCodes = try root.tables(1, "operator_codes").map(Self.readOperatorCode)
            description = try root.string(3, "description")
            buffers = try root.tables(4, "buffers").map { try Self.readBuffer($0, fileSize: fb.count) }
            subgraphs = try root.tables(2, "subgraphs").map(Self.readSubgraph)
            signatures = try root.tables(7, "signature_defs").map(Self.readSignature)
            try validateIndices()
        } catch let error as ModelError {
            throw error.file == "<memory>" ? error.inFile(source) : error
        }
    }

    /// The constant bytes of tensor `tensorIndex` of subgraph `subgraph`, or nil when it has none.
    public func constantData(subgraph: Int = 0, tensor tensorIndex: Int) -> UnsafeRawBufferPointer? {
        guard subgraphs.indices.contains(subgraph),
              subgraphs[subgraph].tensors.indices.contains(tensorIndex) else { return nil }
        let b = subgraphs[subgraph].tensors[tensorIndex].buffer
        guard b > 0, buffers.indices.contains(b), !buffers[b].isEmpty else { return nil }
        return UnsafeRawBufferPointer(rebasing: storage.bytes[buffers[b]])
    }

    /// The operator code of an operator, resolved.
    public func code(of op: Operator) -> OperatorCode? {
        operatorCodes.indices.contains(op.opcodeIndex) ? operatorCodes[op.opcodeIndex] : nil
    }

    // MARK: - Schema readers

    private static func readOperatorCode(_ t: FBTable) throws -> OperatorCode {
        let deprecated = Int32(try t.i8(0, "deprecated_builtin_code"))
        let custom = try t.string(1, "custom_code")
        let version = Int(try t.i32(2, "version", default: 1))
        let extended = try t.i32(3, "builtin_code")
        // Writers fill both fields; readers take the larger (codes >= 127 only fit the extended one).
        return OperatorCode(builtin: BuiltinOperator(rawValue: max(deprecated, extended)), customCode: custom, version: version)
    }

    private static func readBuffer(_ t: FBTable, fileSize: Int) throws -> Range<Int> {
        if let v = try t.vector(0, "data", elementSize: 1), v.count > 0 { return v.byteRange }
        let offset = try t.u64(1, "offset")
        let size = try t.u64(2, "size")
        guard offset > 1 else { return 0..<0 }
        guard offset <= UInt64(fileSize), size <= UInt64(fileSize) - offset else {
            throw ModelError("external buffer \(offset)+\(size) lies outside the \(fileSize)-byte file", location: t.path)
        }
        return Int(offset)..<Int(offset + size)
    }

    private static func readQuantization(_ t: FBTable) throws -> Quantization {
        if try t.u8(4, "details_type") != 0 {
            throw ModelError("custom quantization details are not supported", location: t.path)
        }
        return Quantization(scale: try t.floats(2, "scale"),
                            zeroPoint: try t.int64s(3, "zero_point"),
                            quantizedDimension: Int(try t.i32(6, "quantized_dimension")),
                            min: try t.floats(0, "min"),
                            max: try t.floats(1, "max"))
    }

    private static func readTensor(_ t: FBTable) throws -> Tensor {
        let shape = try t.int32s(0, "shape").map(Int.init)
        if let bad = shape.first(where: { $0 < 0 }) {
            throw ModelError("negative dimension \(bad) in shape \(shape)", location: t.path + ".shape")
        }
        // Keep element counts far from overflow: no tensor here comes near 2^40 elements.
        var elements = 1
        for d in shape {
            let (p, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow, p < (1 << 40) else {
                throw ModelError("shape \(shape) has too many elements", location: t.path + ".shape")
            }
            elements = p
        }
        return Tensor(name: try t.string(3, "name") ?? "",
                      shape: shape,
                      type: TensorType(rawValue: try t.i8(1, "type")),
                      buffer: Int(try t.u32(2, "buffer")),
                      quantization: try t.table(4, "quantization").map(readQuantization),
                      isVariable: try t.bool(5, "is_variable"),
                      sparsity: try t.table(6, "sparsity").map(readSparsity))
    }

    private static func readSparsity(_ t: FBTable) throws -> Sparsity {
        let order = try t.int32s(0, "traversal_order").map(Int.init)
        let blockMap = try t.int32s(1, "block_map").map(Int.init)
        guard order.count <= 16 else { throw ModelError("\(order.count) sparse dimensions", location: t.path) }
        let dims = try t.tables(2, "dim_metadata").map { d -> Sparsity.Dimension in
            if try d.i8(0, "format") == 0 {
                let size = Int(try d.i32(1, "dense_size"))
                guard size >= 0 && size < 1 << 24 else { throw ModelError("dense size \(size)", location: d.path) }
                return .dense(size: size)
            }
            func indexVector(_ typeField: Int, _ field: Int, _ name: String) throws -> [Int] {
                let type = try d.u8(typeField, name + "_type")
                guard let v = try d.table(field, name) else { return [] }
                switch type {
                case 1: return try v.int32s(0, "values").map(Int.init)
                case 2:
                    guard let vec = try v.vector(0, "values", elementSize: 2) else { return [] }
                    return try (0..<vec.count).map { Int(try v.fb.u16(vec.start + 2 * $0, vec.path)) }
                case 3:
                    guard let vec = try v.vector(0, "values", elementSize: 1) else { return [] }
                    return try (0..<vec.count).map { Int(try v.fb.u8(vec.start + $0, vec.path)) }
                default: throw ModelError("unknown sparse index vector type \(type)", location: d.path)
                }
            }
            return .sparse(segments: try indexVector(2, 3, "array_segments"), indices: try indexVector(4, 5, "array_indices"))
        }
        return Sparsity(traversalOrder: order, blockMap: blockMap, dimensions: dims)
    }

    private static func readConv(_ t: FBTable, depthwise: Bool) throws -> ConvOptions {
        if depthwise {
            return ConvOptions(padding: Padding(raw: try t.i8(0, "padding")),
                               strideW: Int(try t.i32(1, "stride_w")), strideH: Int(try t.i32(2, "stride_h")),
                               dilationW: Int(try t.i32(5, "dilation_w_factor", default: 1)),
                               dilationH: Int(try t.i32(6, "dilation_h_factor", default: 1)),
                               activation: Activation(raw: try t.i8(4, "fused_activation_function")),
                               depthMultiplier: Int(try t.i32(3, "depth_multiplier")))
        }
        return ConvOptions(padding: Padding(raw: try t.i8(0, "padding")),
                           strideW: Int(try t.i32(1, "stride_w")), strideH: Int(try t.i32(2, "stride_h")),
                           dilationW: Int(try t.i32(4, "dilation_w_factor", default: 1)),
                           dilationH: Int(try t.i32(5, "dilation_h_factor", default: 1)),
                           activation: Activation(raw: try t.i8(3, "fused_activation_function")),
                           depthMultiplier: 0)
    }

    private static func readOptions(_ type: UInt8, _ t: FBTable?) throws -> BuiltinOptions {
        guard type != 0 else { return .none }
        guard let t else { return .empty(unionType: type) }
        switch type {
        case 1: return .conv2D(try readConv(t, depthwise: false))
        case 2: return .depthwiseConv2D(try readConv(t, depthwise: true))
        case 5:
            return .pool2D(PoolOptions(padding: Padding(raw: try t.i8(0, "padding")),
                                       strideW: Int(try t.i32(1, "stride_w")), strideH: Int(try t.i32(2, "stride_h")),
                                       filterW: Int(try t.i32(3, "filter_width")), filterH: Int(try t.i32(4, "filter_height")),
                                       activation: Activation(raw: try t.i8(5, "fused_activation_function"))))
        case 10:
            return .concatenation(axis: Int(try t.i32(0, "axis")), activation: Activation(raw: try t.i8(1, "fused_activation_function")))
        case 11:
            return .add(activation: Activation(raw: try t.i8(0, "fused_activation_function")),
                        potScaleInt16: try t.bool(1, "pot_scale_int16", default: true))
        case 21: return .mul(activation: Activation(raw: try t.i8(0, "fused_activation_function")))
        case 15:
            return .resizeBilinear(alignCorners: try t.bool(2, "align_corners"), halfPixelCenters: try t.bool(3, "half_pixel_centers"))
        case 94: return .depthToSpace(blockSize: Int(try t.i32(0, "block_size")))
        case 17: return .reshape(newShape: try t.int32s(0, "new_shape").map(Int.init))
        case 22, 38, 89: return .empty(unionType: type) // PadOptions, DequantizeOptions, QuantizeOptions
        default: return .other(unionType: type)
        }
    }

    private static func readOperator(_ t: FBTable) throws -> Operator {
        let type = try t.u8(3, "builtin_options_type")
        let options = try readOptions(type, try t.table(4, "builtin_options"))
        let custom = try t.vector(5, "custom_options", elementSize: 1).map { $0.count > 0 } ?? false
        let options2 = try t.u8(11, "builtin_options_2_type") != 0
        return Operator(opcodeIndex: Int(try t.u32(0, "opcode_index")),
                        inputs: try t.int32s(1, "inputs").map(Int.init),
                        outputs: try t.int32s(2, "outputs").map(Int.init),
                        options: options,
                        hasCustomOptions: custom || options2)
    }

    private static func readSubgraph(_ t: FBTable) throws -> Subgraph {
        Subgraph(name: try t.string(4, "name"),
                 tensors: try t.tables(0, "tensors").map(readTensor),
                 inputs: try t.int32s(1, "inputs").map(Int.init),
                 outputs: try t.int32s(2, "outputs").map(Int.init),
                 operators: try t.tables(3, "operators").map(readOperator))
    }

    private static func readSignature(_ t: FBTable) throws -> SignatureDef {
        func maps(_ i: Int, _ n: String) throws -> [SignatureTensor] {
            try t.tables(i, n).map {
                SignatureTensor(name: try $0.string(0, "name") ?? "", tensorIndex: Int(try $0.u32(1, "tensor_index")))
            }
        }
        return SignatureDef(key: try t.string(2, "signature_key"), subgraphIndex: Int(try t.u32(4, "subgraph_index")),
                            inputs: try maps(0, "inputs"), outputs: try maps(1, "outputs"))
    }

    /// Checks every cross reference (tensor, buffer, opcode and subgraph indices).
    private func validateIndices() throws {
        for (s, g) in subgraphs.enumerated() {
            let n = g.tensors.count
            for (i, t) in g.tensors.enumerated() where !buffers.indices.contains(t.buffer) {
                throw ModelError("buffer index \(t.buffer) out of range (model has \(buffers.count) buffers)",
                                 location: "subgraphs[\(s)].tensors[\(i)].buffer")
            }
            for (name, list) in [("inputs", g.inputs), ("outputs", g.outputs)] {
                for (k, idx) in list.enumerated() where !(0..<n).contains(idx) {
                    throw ModelError("tensor index \(idx) out of range (subgraph has \(n) tensors)",
                                     location: "subgraphs[\(s)].\(name)[\(k)]")
                }
            }
            for (o, op) in g.operators.enumerated() {
                guard operatorCodes.indices.contains(op.opcodeIndex) else {
                    throw ModelError("opcode index \(op.opcodeIndex) out of range (model has \(operatorCodes.count) operator codes)",
                                     location: "subgraphs[\(s)].operators[\(o)].opcode_index")
                }
                for (name, list, optional) in [("inputs", op.inputs, true), ("outputs", op.outputs, false)] {
                    for (k, idx) in list.enumerated() where !((0..<n).contains(idx) || (optional && idx == -1)) {
                        throw ModelError("tensor index \(idx) out of range (subgraph has \(n) tensors)",
                                         location: "subgraphs[\(s)].operators[\(o)].\(name)[\(k)]")
                    }
                }
            }
        }
        for (i, sig) in signatures.enumerated() {
            guard subgraphs.indices.contains(sig.subgraphIndex) else {
                throw ModelError("subgraph index \(sig.subgraphIndex) out of range", location: "signature_defs[\(i)].subgraph_index")
            }
            let n = subgraphs[sig.subgraphIndex].tensors.count
            for m in sig.inputs + sig.outputs where !(0..<n).contains(m.tensorIndex) {
                throw ModelError("tensor index \(m.tensorIndex) for '\(m.name)' out of range", location: "signature_defs[\(i)]")
            }
        }
    }
}
