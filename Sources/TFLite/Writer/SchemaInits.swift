// Public initialisers of the schema's value types, for code that builds models to write
// (the quantizer, tests). The reader creates these values with the memberwise initialisers.

extension Quantization {
    /// Quantization parameters: `real = scale * (q - zeroPoint)`, per channel along
    /// `quantizedDimension` when there are several scales.
    public init(scale: [Float], zeroPoint: [Int64], quantizedDimension: Int = 0) {
        self.scale = scale
        self.zeroPoint = zeroPoint
        self.quantizedDimension = quantizedDimension
        self.min = []
        self.max = []
    }
}

extension Tensor {
    /// A dense tensor; `buffer` 0 for activations.
    public init(name: String, shape: [Int], type: TensorType, buffer: Int = 0, quantization: Quantization? = nil,
                isVariable: Bool = false) {
        self.name = name
        self.shape = shape
        self.type = type
        self.buffer = buffer
        self.quantization = quantization
        self.isVariable = isVariable
        self.sparsity = nil
    }
}

extension OperatorCode {
    /// A builtin (or custom) operator code.
    public init(builtin: BuiltinOperator, version: Int = 1, customCode: String? = nil) {
        self.builtin = builtin
        self.version = version
        self.customCode = customCode
    }
}

extension Operator {
    /// An operator running operator code `opcodeIndex`.
    public init(opcodeIndex: Int, inputs: [Int], outputs: [Int], options: BuiltinOptions = .none) {
        self.opcodeIndex = opcodeIndex
        self.inputs = inputs
        self.outputs = outputs
        self.options = options
        self.hasCustomOptions = false
    }
}

extension Subgraph {
    /// A subgraph: tensors, operators in execution order, graph inputs and outputs.
    public init(tensors: [Tensor], inputs: [Int], outputs: [Int], operators: [Operator], name: String? = nil) {
        self.name = name
        self.tensors = tensors
        self.inputs = inputs
        self.outputs = outputs
        self.operators = operators
    }
}

extension ConvOptions {
    /// Options of CONV_2D (`depthMultiplier` 0) and DEPTHWISE_CONV_2D, with square strides and no dilation.
    public init(padding: Padding, stride: Int, activation: Activation = .none, depthMultiplier: Int = 0) {
        self.padding = padding
        self.strideW = stride
        self.strideH = stride
        self.dilationW = 1
        self.dilationH = 1
        self.activation = activation
        self.depthMultiplier = depthMultiplier
    }
}

extension PoolOptions {
    /// Options of MAX_POOL_2D and AVERAGE_POOL_2D with a square filter and stride.
    public init(padding: Padding, stride: Int, filter: Int, activation: Activation = .none) {
        self.padding = padding
        self.strideW = stride
        self.strideH = stride
        self.filterW = filter
        self.filterH = filter
        self.activation = activation
    }
}

extension SignatureDef {
    /// A signature of subgraph `subgraph` with (name, tensor index) inputs and outputs.
    public init(key: String?, subgraph: Int, inputs: [(String, Int)], outputs: [(String, Int)]) {
        self.key = key
        self.subgraphIndex = subgraph
        self.inputs = inputs.map { SignatureTensor(name: $0.0, tensorIndex: $0.1) }
        self.outputs = outputs.map { SignatureTensor(name: $0.0, tensorIndex: $0.1) }
    }
}
