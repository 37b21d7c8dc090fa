/// A point in normalized model input coordinates: (0, 0) is the input's top-left corner and
/// (1, 1) its bottom-right corner.
public struct NormalizedPoint: Sendable, Hashable {
    /// Horizontal coordinate, as a fraction of the input width.
    public var x: Float
    /// Vertical coordinate, as a fraction of the input height.
    public var y: Float

    /// Creates a point.
    public init(x: Float, y: Float) {
        self.x = x
        self.y = y
    }
}
