/// One SSD anchor in normalized input coordinates (0...1).
///
/// For fixed-size anchors (BlazeFace) `width` and `height` are 1, so decoding adds raw offsets
/// divided by the input size to the anchor centre without rescaling them.
public struct Anchor: Sendable, Hashable {
    /// Centre x, normalized to the input width.
    public var xCenter: Float
    /// Centre y, normalized to the input height.
    public var yCenter: Float
    /// Width, normalized to the input width (1 for fixed-size anchors).
    public var width: Float
    /// Height, normalized to the input height (1 for fixed-size anchors).
    public var height: Float

    /// Creates an anchor.
    public init(xCenter: Float, yCenter: Float, width: Float, height: Float) {
        self.xCenter = xCenter
        self.yCenter = yCenter
        self.width = width
        self.height = height
    }
}
