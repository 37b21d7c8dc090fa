import TFLite

/// An error of the quantizer: what it cannot quantize, or bad input, named.
public struct QuantizerError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public var description: String
    /// An error with a message.
    public init(_ description: String) { self.description = description }
}

/// The float model as the quantizer sees it: constants resolved to float values (float32
/// buffers, float16 buffers behind DEQUANTIZE, sparse buffers behind DENSIFY), the ops that only
/// produce constants folded away, and fused-activation candidates found.
struct FloatGraph {
    let model: TFLiteModel
    let graph: Subgraph
    /// Float values of every float constant (after folding DEQUANTIZE/DENSIFY of constants).
    var constants: [Int: [Float]] = [:]
    /// Bytes of non-float constants (int32 paddings, shapes), copied as they are.
    var rawConstants: [Int: [UInt8]] = [:]
    /// Ops that only compute constants.
    var folded: Set<Int> = []
    /// Ops in execution order that remain (not folded).
    var ops: [Int] = []

    init(_ model: TFLiteModel) throws {
        guard model.subgraphs.count == 1, let g = model.subgraphs.first else {
            throw QuantizerError("\(model.source): expected one subgraph, found \(model.subgraphs.count)")
        }
        self.model = model
        graph = g
        for (i, t) in g.tensors.enumerated() {
            guard let data = model.constantData(tensor: i) else { continue }
            var bytes = Array(data)
            if let s = t.sparsity {
                guard let size = t.type.byteSize else { throw QuantizerError("sparse constant '\(t.name)' of type \(t.type)") }
                bytes = try s.densify(data, shape: t.shape, elementSize: size)
            }
            switch t.type {
            case .float32: constants[i] = try Self.floats32(bytes, t)
            case .float16: constants[i] = try Self.floats16(bytes, t)
            default: rawConstants[i] = bytes
            }
        }
        for (k, op) in g.operators.enumerated() {
            guard let code = model.code(of: op) else { throw QuantizerError("op \(k): unknown operator code") }
            if code.builtin == .quantize {
                throw QuantizerError("\(model.source) is already quantized (op \(k) is a QUANTIZE); quantize takes a float model")
            }
            if code.builtin == .dequantize || code.builtin == .densify,
               let input = op.inputs.first, let output = op.outputs.first, op.outputs.count == 1,
               let values = constants[input] {
                if code.builtin == .dequantize, g.tensors[input].type != .float16 {
                    throw QuantizerError("op \(k) (DEQUANTIZE): constant input '\(g.tensors[input].name)' is \(g.tensors[input].type); only float16 constants are folded")
                }
                constants[output] = values
                folded.insert(k)
                continue
            }
            ops.append(k)
        }
    }

    func op(_ k: Int) -> Operator { graph.operators[k] }
    func builtin(_ k: Int) -> BuiltinOperator { model.code(of: graph.operators[k])?.builtin ?? BuiltinOperator(rawValue: -1) }

    /// True when `tensor` holds a constant (float or not).
    func isConstant(_ tensor: Int) -> Bool { constants[tensor] != nil || rawConstants[tensor] != nil }

    /// Float activations: graph inputs and outputs of remaining ops that are float32.
    var activations: [Int] {
        var seen = Set<Int>()
        var list: [Int] = []
        for t in graph.inputs + ops.flatMap({ graph.operators[$0].outputs }) where !isConstant(t) && seen.insert(t).inserted {
            list.append(t)
        }
        return list
    }

    /// The remaining ops reading each tensor.
    var consumers: [Int: [Int]] {
        var c: [Int: [Int]] = [:]
        for k in ops { for t in graph.operators[k].inputs where t >= 0 { c[t, default: []].append(k) } }
        return c
    }

    private static func floats32(_ bytes: [UInt8], _ t: Tensor) throws -> [Float] {
        guard bytes.count == t.elementCount * 4 else {
            throw QuantizerError("constant '\(t.name)' has \(bytes.count) bytes, its shape \(t.shape) needs \(t.elementCount * 4)")
        }
        return (0..<t.elementCount).map { i in
            Float(bitPattern: UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24)
        }
    }

    private static func floats16(_ bytes: [UInt8], _ t: Tensor) throws -> [Float] {
        guard bytes.count == t.elementCount * 2 else {
            throw QuantizerError("constant '\(t.name)' has \(bytes.count) bytes, its shape \(t.shape) needs \(t.elementCount * 2)")
        }
        return (0..<t.elementCount).map { i in halfToFloat(UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8) }
    }
}

/// IEEE 754 binary16 to binary32 (exact).
func halfToFloat(_ h: UInt16) -> Float {
    let sign: UInt32 = UInt32(h >> 15) << 31
    let exponent = Int((h >> 10) & 0x1f)
    let mantissa = UInt32(h & 0x3ff)
    if exponent == 0 {
        let magnitude = Float(mantissa) * 0x1p-24
        return sign != 0 ? -magnitude : magnitude
    }
    if exponent == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13)) }
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
}
