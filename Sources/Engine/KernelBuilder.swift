import TFLite

/// Checks each operator and builds its kernel: the prepare step of every op. With
/// ``EngineOptions/Kernels/fast`` an optimized kernel (Kernels/Fast) is built where the CPU and
/// the op's shape allow it; the reference kernel otherwise.
///
/// Reading options out of the flatbuffer happened in `TFLite`; here they are validated against
/// the tensors' shapes, types and quantization, and every derived value (output size, padding,
/// per-channel multipliers, activation clamp, constant arrays) is computed once.
struct KernelBuilder {
    /// Makes the kernel once arena offsets are known (tensor index -> byte offset).
    typealias Binder = ((Int) -> Int) -> any Kernel

    let model: TFLiteModel
    let graph: Subgraph
    let options: EngineOptions
    private(set) var tensors: [TensorInfo]
    private(set) var folded: Set<Int> = []
    /// Ops that can run on any run of pixels (for the fused bands of the compact plan), by op index.
    private(set) var pointwise: [Int: Pointwise] = [:]
    private var foldedFloats: [Int: [Float]] = [:]
    /// Sparse constants expanded to dense bytes at prepare time.
    private var densified: [Int: ByteStorage] = [:]

    init(model: TFLiteModel, graph: Subgraph, options: EngineOptions = EngineOptions()) throws {
        self.model = model
        self.graph = graph
        self.options = options
        tensors = graph.tensors.enumerated().map { TensorInfo($1, index: $0) }
        for t in tensors where t.type.byteSize == nil {
            throw EngineError("tensor \(t.index) '\(t.name)' has type \(t.type), which the engine does not support")
        }
        for (i, t) in graph.tensors.enumerated() {
            guard let sparsity = t.sparsity, let stored = model.constantData(tensor: i), let es = t.type.byteSize else { continue }
            do {
                densified[i] = ByteStorage(copying: try sparsity.densify(stored, shape: t.shape, elementSize: es))
            } catch let e as ModelError {
                throw EngineError("sparse tensor \(i) '\(t.name)': \(e.message)")
            }
        }
    }

    /// True when the tensor's value is known before running: model data or a folded constant.
    func isConstant(_ t: Int) -> Bool {
        folded.contains(t) || model.constantData(tensor: t) != nil
    }

    // MARK: - Prepare

    mutating func prepare(_ op: Operator, index: Int) throws -> (PreparedOp, Binder?) {
        let code = model.code(of: op)?.builtin ?? BuiltinOperator(rawValue: -1)
        let ctx = OpContext(index: index, code: code, op: op, builder: self)
        if op.hasCustomOptions { throw ctx.fail("custom options are not supported") }
        if model.code(of: op)?.customCode != nil || code == .custom {
            throw ctx.fail("custom operator '\(model.code(of: op)?.customCode ?? "?")' is not supported")
        }
        var macs = 0
        var runs = true
        let binder: Binder?
        switch code {
        case .quantize: binder = try ctx.quantize()
        case .dequantize:
            if let floats = try ctx.foldDequantize() {
                let out = op.outputs[0]
                folded.insert(out)
                foldedFloats[out] = floats
                runs = false
                binder = nil
            } else {
                binder = try ctx.dequantize()
            }
        case .conv2D: (binder, macs, pointwise[index]) = try ctx.conv(depthwise: false)
        case .depthwiseConv2D: (binder, macs, _) = try ctx.conv(depthwise: true)
        case .add: (binder, pointwise[index]) = try ctx.add()
        case .pad: (binder, pointwise[index]) = try ctx.pad()
        case .maxPool2D: binder = try ctx.maxPool()
        case .reshape: binder = try ctx.reshape()
        case .relu, .relu6: (binder, pointwise[index]) = try ctx.relu(six: code == .relu6)
        case .concatenation: binder = try ctx.concatenation()
        case .resizeBilinear: binder = try ctx.resizeBilinear()
        case .depthToSpace: binder = try ctx.depthToSpace()
        case .densify:
            // DENSIFY of a sparse constant: its dense bytes were expanded at init; alias them.
            guard op.inputs.count == 1, op.outputs.count == 1, let source = densified[op.inputs[0]],
                  tensors[op.inputs[0]].type == tensors[op.outputs[0]].type,
                  tensors[op.inputs[0]].shape == tensors[op.outputs[0]].shape else {
                throw ctx.fail("DENSIFY needs one sparse constant input of the output's type and shape")
            }
            densified[op.outputs[0]] = source
            folded.insert(op.outputs[0])
            runs = false
            binder = nil
        default: throw ctx.fail("operator \(code) is not supported by this engine")
        }
        let prepared = PreparedOp(index: index, op: code, inputs: op.inputs, outputs: op.outputs,
                                  options: op.options, macs: macs, runs: runs, kernel: nil)
        return (prepared, binder)
    }

    // MARK: - Constants

    /// The raw constant bytes of a tensor, checked to be exactly the tensor's size.
    func constantBytes(_ t: Int) -> UnsafeRawBufferPointer? { densified[t]?.bytes ?? model.constantData(tensor: t) }

    func foldedFloat(_ t: Int) -> [Float]? { foldedFloats[t] }
}

/// Converts IEEE half-precision bits to Float (normals, subnormals, infinities, NaN).
func floatFromHalf(_ h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exp = Int((h >> 10) & 0x1f)
    let mant = UInt32(h & 0x3ff)
    if exp == 0 {
        // Zero or subnormal: mant * 2^-24.
        let v = Float(mant) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -v : v
    }
    if exp == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mant << 13)) }
    return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (mant << 13))
}
