import TFLite

/// A tensor as the engine sees it: index, name, shape, type and quantization.
public struct TensorInfo: Sendable, Hashable {
    public var index: Int
    public var name: String
    public var shape: [Int]
    public var type: TensorType
    /// Scales (one per tensor, or one per channel), empty when not quantized.
    public var scales: [Float]
    public var zeroPoints: [Int64]
    public var quantizedDimension: Int

    init(_ t: Tensor, index: Int) {
        self.index = index
        name = t.name
        shape = t.shape
        type = t.type
        scales = t.quantization?.scale ?? []
        zeroPoints = t.quantization?.zeroPoint ?? []
        quantizedDimension = t.quantization?.quantizedDimension ?? 0
    }

    /// Elements in the tensor.
    public var elementCount: Int { shape.reduce(1, *) }
    /// Bytes of the tensor's data (0 for types without a fixed size).
    public var byteCount: Int { (type.byteSize ?? 0) * elementCount }
    /// True for a tensor with a single scale and zero point.
    public var isPerTensorQuantized: Bool { scales.count == 1 && zeroPoints.count == 1 }
}
