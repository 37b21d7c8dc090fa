import TFLite

/// What an op's prepare step produced.
struct OpPlan {
    /// Makes the kernel once arena offsets are known (tensor index -> byte offset).
    typealias Binder = ((Int) -> Int) -> ChosenKernel

    /// The kernel maker; nil for an op folded at prepare time.
    var binder: Binder?
    /// Multiply-accumulates per run (convolutions).
    var macs = 0
    /// Set when the op can run on any run of pixels (fused bands of the compact plan).
    var pointwise: Pointwise?
    /// A folded op's output value, computed at prepare time.
    var folded: Folded?

    /// The value of a folded op's output.
    enum Folded {
        /// float32 values (DEQUANTIZE of a constant).
        case floats([Float])
        /// Dense bytes of a sparse constant (DENSIFY).
        case bytes(ByteStorage)
    }

    init(binder: Binder?, macs: Int = 0, pointwise: Pointwise? = nil) {
        self.binder = binder
        self.macs = macs
        self.pointwise = pointwise
    }

    init(folded: Folded) {
        binder = nil
        self.folded = folded
    }
}

/// One supported builtin operator: the roles of its inputs (in the model's order; those from
/// `optionalFrom` on may be omitted) and its prepare step, which validates the op, computes its
/// parameters once and returns the binder that picks and builds its kernel.
struct OpRegistration: Sendable {
    let roles: [String]
    let optionalFrom: Int?
    /// True for ops with any number of inputs (all in the first role).
    let variadic: Bool
    let prepare: @Sendable (OpContext) throws -> OpPlan

    init(roles: [String], optionalFrom: Int? = nil, variadic: Bool = false, prepare: @escaping @Sendable (OpContext) throws -> OpPlan) {
        self.roles = roles
        self.optionalFrom = optionalFrom
        self.variadic = variadic
        self.prepare = prepare
    }

    /// The input counts the op accepts.
    var inputCounts: ClosedRange<Int> {
        variadic ? 1...Int.max : (optionalFrom ?? roles.count)...roles.count
    }
}

/// The operators the engine runs, one file each under `Ops/`.
enum OpRegistry {
    static let table: [BuiltinOperator: OpRegistration] = [
        .add: Add.registration,
        .concatenation: Concatenation.registration,
        .conv2D: Conv2D.registration,
        .densify: Densify.registration,
        .depthToSpace: DepthToSpace.registration,
        .depthwiseConv2D: DepthwiseConv2D.registration,
        .dequantize: Dequantize.registration,
        .maxPool2D: MaxPool2D.registration,
        .mul: Mul.registration,
        .pad: Pad.registration,
        .quantize: Quantize.registration,
        .relu: Relu.registration(six: false),
        .relu6: Relu.registration(six: true),
        .reshape: Reshape.registration,
        .resizeBilinear: ResizeBilinear.registration,
    ]
}
