/// Padding scheme of convolutions and pools (`tflite.Padding`).
public enum Padding: Sendable, Hashable, CustomStringConvertible {
    /// Output size ceil(in / stride); zeros split with floor(total / 2) before.
    case same
    /// No padding; output size ceil((in - filter + 1) / stride).
    case valid
    /// A value this reader does not know.
    case unknown(Int8)

    init(raw: Int8) { self = raw == 0 ? .same : raw == 1 ? .valid : .unknown(raw) }

    /// `SAME`, `VALID`.
    public var description: String {
        switch self {
        case .same: return "SAME"
        case .valid: return "VALID"
        case .unknown(let v): return "padding \(v)"
        }
    }
}

/// A fused activation (`tflite.ActivationFunctionType`).
public enum Activation: Sendable, Hashable, CustomStringConvertible {
    case none, relu, reluN1To1, relu6, tanh, signBit
    /// A value this reader does not know.
    case unknown(Int8)

    init(raw: Int8) {
        let all: [Activation] = [.none, .relu, .reluN1To1, .relu6, .tanh, .signBit]
        self = raw >= 0 && Int(raw) < all.count ? all[Int(raw)] : .unknown(raw)
    }

    /// `NONE`, `RELU`, `RELU6`, ...
    public var description: String {
        switch self {
        case .none: return "NONE"
        case .relu: return "RELU"
        case .reluN1To1: return "RELU_N1_TO_1"
        case .relu6: return "RELU6"
        case .tanh: return "TANH"
        case .signBit: return "SIGN_BIT"
        case .unknown(let v): return "activation \(v)"
        }
    }
}

/// `Conv2DOptions` and `DepthwiseConv2DOptions` (depth multiplier 0 for plain convolutions).
public struct ConvOptions: Sendable, Hashable {
    public var padding: Padding
    public var strideW: Int
    public var strideH: Int
    public var dilationW: Int
    public var dilationH: Int
    public var activation: Activation
    /// Depthwise only: output channels per input channel (the schema notes it is redundant).
    public var depthMultiplier: Int
}

/// `Pool2DOptions`.
public struct PoolOptions: Sendable, Hashable {
    public var padding: Padding
    public var strideW: Int
    public var strideH: Int
    public var filterW: Int
    public var filterH: Int
    public var activation: Activation
}

/// The builtin options of an operator, decoded for the ops this project runs; others are kept as
/// their union type code so that the engine can name them in an error.
public enum BuiltinOptions: Sendable, Hashable {
    case none
    case conv2D(ConvOptions)
    case depthwiseConv2D(ConvOptions)
    case pool2D(PoolOptions)
    /// `AddOptions` (also used for SUB and MUL's activation).
    case add(activation: Activation, potScaleInt16: Bool)
    case concatenation(axis: Int, activation: Activation)
    /// `MulOptions`.
    case mul(activation: Activation)
    case reshape(newShape: [Int])
    /// `DepthToSpaceOptions`.
    case depthToSpace(blockSize: Int)
    /// `ResizeBilinearOptions`.
    case resizeBilinear(alignCorners: Bool, halfPixelCenters: Bool)
    /// `PadOptions`, `DequantizeOptions`, `QuantizeOptions` and other empty tables.
    case empty(unionType: UInt8)
    /// A union member this reader does not decode.
    case other(unionType: UInt8)

    /// Fused activation if the options carry one.
    public var activation: Activation? {
        switch self {
        case .conv2D(let o), .depthwiseConv2D(let o): return o.activation
        case .pool2D(let o): return o.activation
        case .add(let a, _), .concatenation(_, let a), .mul(let a): return a
        default: return nil
        }
    }
}
