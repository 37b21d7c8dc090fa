/// Quantization parameters of a tensor: `real = scale * (q - zeroPoint)`, per tensor or per
/// channel along `quantizedDimension`.
public struct Quantization: Sendable, Hashable {
    public var scale: [Float]
    public var zeroPoint: [Int64]
    public var quantizedDimension: Int
    public var min: [Float]
    public var max: [Float]

    /// True when there is one scale for the whole tensor.
    public var isPerTensor: Bool { scale.count == 1 }
}

/// A tensor of a subgraph. Shapes are NHWC for the ops here.
public struct Tensor: Sendable, Hashable {
    public var name: String
    public var shape: [Int]
    public var type: TensorType
    /// Index into ``TFLiteModel/buffers``; 0 (the empty sentinel) for activations.
    public var buffer: Int
    public var quantization: Quantization?
    public var isVariable: Bool
    /// Sparse storage of a constant, if any (see ``Sparsity/densify(_:shape:elementSize:)``).
    public var sparsity: Sparsity?

    /// Number of elements (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Bytes of the dense data, or nil for types without a fixed size.
    public var byteCount: Int? { type.byteSize.map { $0 * elementCount } }
}

/// An operator code entry: the builtin code (resolved from the deprecated byte field and the
/// extended field, taking the larger), custom name and version.
public struct OperatorCode: Sendable, Hashable {
    public var builtin: BuiltinOperator
    public var customCode: String?
    public var version: Int
}

/// An operator: which code, which tensors (-1 = optional input omitted), which options.
public struct Operator: Sendable, Hashable {
    public var opcodeIndex: Int
    public var inputs: [Int]
    public var outputs: [Int]
    public var options: BuiltinOptions
    /// True when the operator has custom options or a second builtin options union set.
    public var hasCustomOptions: Bool
}

/// A subgraph: tensors, operators in execution order, graph inputs and outputs.
public struct Subgraph: Sendable, Hashable {
    public var name: String?
    public var tensors: [Tensor]
    public var inputs: [Int]
    public var outputs: [Int]
    public var operators: [Operator]
}

/// A named input or output of a signature.
public struct SignatureTensor: Sendable, Hashable {
    public var name: String
    public var tensorIndex: Int
}

/// A signature (`serving_default` usually): named inputs and outputs of a subgraph.
public struct SignatureDef: Sendable, Hashable {
    public var key: String?
    public var subgraphIndex: Int
    public var inputs: [SignatureTensor]
    public var outputs: [SignatureTensor]
}
