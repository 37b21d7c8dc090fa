import TFLite

/// An op that maps pixel i of its inputs to pixel i of its output (1x1 stride-1 CONV_2D, ADD,
/// channel-only PAD, RELU), so that it can run on any run of consecutive pixels: `make(n, offsets)`
/// builds its kernel for `n` pixels whose operands start at the given arena offsets (inputs in
/// the op's order, then the output).
struct Pointwise: @unchecked Sendable {
    var pixels: Int
    var inputChannels: Int, outputChannels: Int
    var elementSize: Int
    var make: (_ pixels: Int, _ offsets: [Int]) -> ChosenKernel
}

/// The prepare step's view of one operator: its tensors by role, validation helpers that name the
/// op and the tensor in their errors, and the constants of the model.
struct OpContext {
    let index: Int
    let code: BuiltinOperator
    let op: Operator
    let builder: KernelBuilder
    /// The op's input roles, in the model's order (from its ``OpRegistration``).
    let roles: [String]

    func fail(_ message: String) -> EngineError {
        EngineError(opIndex: index, opName: code.description, message)
    }

    var tensors: [TensorInfo] { builder.tensors }
    var selector: KernelSelector { builder.selector }

    // MARK: Operands by role

    private func position(_ role: String) throws -> Int {
        guard let k = roles.firstIndex(of: role) else { throw fail("has no input role '\(role)'") }
        return k
    }

    /// The input tensor in `role`.
    func input(_ role: String) throws -> TensorInfo {
        guard let t = try optionalInput(role) else { throw fail("missing \(role) tensor (input \(try position(role)))") }
        return t
    }

    /// The input tensor in `role`, or nil when the model omits it.
    func optionalInput(_ role: String) throws -> TensorInfo? {
        let k = try position(role)
        guard k < op.inputs.count, op.inputs[k] >= 0 else { return nil }
        return tensors[op.inputs[k]]
    }

    /// All inputs, for ops with any number of them (CONCATENATION).
    func variadicInputs(role: String) throws -> [TensorInfo] {
        try op.inputs.enumerated().map { k, t in
            guard t >= 0 else { throw fail("missing \(role) tensor \(k)") }
            return tensors[t]
        }
    }

    /// The output tensor.
    func output() throws -> TensorInfo {
        guard let t = op.outputs.first else { throw fail("missing output (has none)") }
        return tensors[t]
    }

    func expectCounts(inputs: ClosedRange<Int>, outputs: Int = 1) throws {
        guard inputs.contains(op.inputs.count) else {
            throw fail("expects \(inputs.lowerBound == inputs.upperBound ? "\(inputs.lowerBound)" : "\(inputs.lowerBound)-\(inputs.upperBound)") inputs, has \(op.inputs.count)")
        }
        guard op.outputs.count == outputs else { throw fail("expects \(outputs) output(s), has \(op.outputs.count)") }
    }

    func expectActivation(_ t: TensorInfo, role: String) throws {
        if builder.isConstant(t.index) { throw fail("\(role) tensor \(t.index) '\(t.name)' is a constant; only computed tensors are supported there") }
    }

    func expectType(_ t: TensorInfo, _ types: [TensorType], role: String) throws {
        guard types.contains(t.type) else {
            throw fail("\(role) tensor \(t.index) '\(t.name)' has type \(t.type); supported: \(types.map(\.description).joined(separator: ", "))")
        }
    }

    /// Checks that input and output have the same shape.
    func expectSameShape(_ x: TensorInfo, _ y: TensorInfo) throws {
        guard x.shape == y.shape else { throw fail("input shape \(x.shape) differs from output shape \(y.shape)") }
    }

    /// The builtin options, or an error naming what was found.
    func options<T>(_ extract: (BuiltinOptions) -> T?) throws -> T {
        guard let o = extract(op.options) else { throw fail("missing or wrong builtin options (\(op.options))") }
        return o
    }

    /// Per-tensor scale and zero point of an int8 tensor, validated.
    func perTensor(_ t: TensorInfo, role: String) throws -> (scale: Float, zp: Int32) {
        guard t.isPerTensorQuantized, let s = t.scales.first, let z = t.zeroPoints.first else {
            throw fail("\(role) tensor \(t.index) '\(t.name)' must have one scale and zero point (has \(t.scales.count) scales)")
        }
        guard s > 0, s.isFinite else { throw fail("\(role) tensor \(t.index) has invalid scale \(s)") }
        guard (-128...127).contains(z) else { throw fail("\(role) tensor \(t.index) has zero point \(z) outside int8") }
        return (s, Int32(z))
    }

    func rank4(_ t: TensorInfo, role: String) throws -> NHWC {
        guard t.shape.count == 4 else { throw fail("\(role) tensor \(t.index) has shape \(t.shape); expected rank 4 (NHWC)") }
        return NHWC(t.shape)
    }

    func activation(_ a: Activation) throws -> ActivationKind {
        switch a {
        case .none: return .none
        case .relu: return .relu
        case .relu6: return .relu6
        case .reluN1To1: return .reluN1To1
        default: throw fail("fused activation \(a) is not supported")
        }
    }

    func padding(_ p: Padding) throws -> PaddingKind {
        switch p {
        case .same: return .same
        case .valid: return .valid
        case .unknown: throw fail("\(p) is not supported")
        }
    }

    /// A constant of exactly `count` elements of `type`, as raw bytes.
    func constant(_ t: TensorInfo, _ type: TensorType, count: Int, role: String) throws -> UnsafeRawBufferPointer {
        guard t.type == type else { throw fail("\(role) tensor \(t.index) has type \(t.type), expected \(type)") }
        guard let bytes = builder.constantBytes(t.index) else {
            throw fail("\(role) tensor \(t.index) '\(t.name)' must be a constant in the model")
        }
        guard t.elementCount == count, bytes.count == count * (type.byteSize ?? 0) else {
            throw fail("\(role) tensor \(t.index) has \(bytes.count) bytes of data for \(t.elementCount) elements; expected \(count) elements of \(type)")
        }
        return bytes
    }

    func int8Constant(_ t: TensorInfo, count: Int, role: String) throws -> [Int8] {
        let b = try constant(t, .int8, count: count, role: role)
        return b.map { Int8(bitPattern: $0) }
    }

    func int32Constant(_ t: TensorInfo, count: Int, role: String) throws -> [Int32] {
        let b = try constant(t, .int32, count: count, role: role)
        return (0..<count).map { Int32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
    }

    func floatConstant(_ t: TensorInfo, count: Int, role: String) throws -> [Float] {
        if let f = builder.foldedFloat(t.index) {
            guard f.count == count else { throw fail("\(role) tensor \(t.index) has \(f.count) elements, expected \(count)") }
            return f
        }
        let b = try constant(t, .float32, count: count, role: role)
        return (0..<count).map { Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }

}
