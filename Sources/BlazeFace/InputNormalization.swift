import Engine

/// How 8-bit pixels become model input values.
public enum InputNormalization: String, Sendable, CaseIterable, Codable {
    /// Chosen from the model: [0, 1] when its input is quantized over [0, 1] (the int8 model,
    /// whatever its card says), else [-1, 1] (MediaPipe's float models).
    case automatic
    /// pixel / 255, range [0, 1].
    case unit
    /// pixel / 127.5 - 1, range [-1, 1].
    case symmetric

    /// The (scale, offset) with value = pixel * scale + offset.
    public var affine: (scale: Float, offset: Float) {
        switch self {
        case .unit: return (1 / 255, 0)
        case .symmetric, .automatic: return (1 / 127.5, -1)
        }
    }

    /// Resolves ``automatic`` for a model: if the graph input feeds a QUANTIZE whose int8 range
    /// starts at (or above) zero, the model wants [0, 1]; otherwise [-1, 1].
    static func resolve(_ requested: InputNormalization, for model: CompiledModel) -> InputNormalization {
        guard requested == .automatic else { return requested }
        guard let input = model.inputIndices.first,
              let quantize = model.ops.first(where: { $0.op == .quantize && $0.inputs.first == input }),
              let out = quantize.outputs.first else { return .symmetric }
        let t = model.tensors[out]
        guard let s = t.scales.first, let z = t.zeroPoints.first else { return .symmetric }
        let lowest = s * Float(-128 - z)
        return lowest >= -1e-3 ? .unit : .symmetric
    }
}
