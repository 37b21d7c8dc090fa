import TFLite

/// Checks each operator and builds its kernel: looks the op up in ``OpRegistry/table`` and runs
/// its prepare step, whose binder picks the kernel variant with ``selector`` once arena offsets
/// are known.
///
/// Reading options out of the flatbuffer happened in `TFLite`; here they are validated against
/// the tensors' shapes, types and quantization, and every derived value (output size, padding,
/// per-channel multipliers, activation clamp, constant arrays) is computed once.
struct KernelBuilder {
    let model: TFLiteModel
    let graph: Subgraph
    let options: EngineOptions
    /// Picks each op's kernel variant (the only reader of the options' kernel and CPU choice).
    let selector: KernelSelector
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
        selector = KernelSelector(options)
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

    mutating func prepare(_ op: Operator, index: Int) throws -> (PreparedOp, OpPlan.Binder?) {
        let code = model.code(of: op)?.builtin ?? BuiltinOperator(rawValue: -1)
        let fail = { (m: String) in EngineError(opIndex: index, opName: code.description, m) }
        if op.hasCustomOptions { throw fail("custom options are not supported") }
        if model.code(of: op)?.customCode != nil || code == .custom {
            throw fail("custom operator '\(model.code(of: op)?.customCode ?? "?")' is not supported")
        }
        guard let registration = OpRegistry.table[code] else { throw fail("operator \(code) is not supported by this engine") }
        let ctx = OpContext(index: index, code: code, op: op, builder: self, roles: registration.roles)
        try ctx.expectCounts(inputs: registration.inputCounts)
        let plan = try registration.prepare(ctx)
        if let p = plan.pointwise { pointwise[index] = p }
        switch plan.folded {
        case .floats(let f)?:
            folded.insert(op.outputs[0])
            foldedFloats[op.outputs[0]] = f
        case .bytes(let b)?:
            folded.insert(op.outputs[0])
            densified[op.outputs[0]] = b
        case nil: break
        }
        let prepared = PreparedOp(index: index, op: code, inputs: op.inputs, outputs: op.outputs,
                                  options: op.options, macs: plan.macs, runs: plan.binder != nil, kernel: nil)
        return (prepared, plan.binder)
    }

    /// Dense bytes of a sparse constant, expanded at init.
    func densifiedBytes(_ t: Int) -> ByteStorage? { densified[t] }

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
