/// One SSD anchor in normalized input coordinates (0...1).
///
/// For fixed-size anchors (BlazeFace) `width` and `height` are 1, so decoding adds raw offsets
/// divided by the input size to the anchor centre without rescaling them.
public struct Anchor: Sendable, Hashable {
    /// Centre x and y, normalized to the input width and height.
    public var xCenter, yCenter: Float
    /// Width and height, normalized to the input width and height (1 for fixed-size anchors).
    public var width, height: Float

    /// Creates an anchor.
    public init(xCenter: Float, yCenter: Float, width: Float, height: Float) {
        (self.xCenter, self.yCenter, self.width, self.height) = (xCenter, yCenter, width, height)
    }
}
