/// An axis-aligned box in normalized model input coordinates, stored as corners.
///
/// Corners (rather than origin and size) are stored because both decoding and weighted NMS
/// produce and average corners; `width`, `height` and `area` are derived.
/// (0, 0) is the input's top-left corner, (1, 1) its bottom-right corner; y grows downwards.
public struct NormalizedBox: Sendable, Hashable {
    /// Left and top edges.
    public var xMin, yMin: Float
    /// Right and bottom edges.
    public var xMax, yMax: Float

    /// Creates a box from its corners.
    public init(xMin: Float, yMin: Float, xMax: Float, yMax: Float) {
        (self.xMin, self.yMin, self.xMax, self.yMax) = (xMin, yMin, xMax, yMax)
    }

    /// Creates a box from its centre and size.
    public init(xCenter: Float, yCenter: Float, width: Float, height: Float) {
        self.init(
            xMin: xCenter - width / 2, yMin: yCenter - height / 2,
            xMax: xCenter + width / 2, yMax: yCenter + height / 2)
    }

    /// `xMax - xMin` (negative for an inverted box).
    public var width: Float { xMax - xMin }

    /// `yMax - yMin` (negative for an inverted box).
    public var height: Float { yMax - yMin }

    /// Area, with negative extents counted as zero.
    public var area: Float { max(0, width) * max(0, height) }

    /// Intersection over union with another box.
    ///
    /// Returns 0 when the union is not positive (for example two zero-area boxes), so the result
    /// is never NaN for finite boxes. Inverted boxes count as empty.
    public func intersectionOverUnion(with other: NormalizedBox) -> Float {
        let overlapWidth = min(xMax, other.xMax) - max(xMin, other.xMin)
        let overlapHeight = min(yMax, other.yMax) - max(yMin, other.yMin)
        let intersection = max(0, overlapWidth) * max(0, overlapHeight)
        let union = area + other.area - intersection
        guard union > 0 else { return 0 }
        return intersection / union
    }
}
