/// A box in ST's evaluation frame: integer corner coordinates `x1, y1, x2, y2` (inclusive, +1
/// pixel convention) in the stretched `frameSize x frameSize` input.
public struct FrameBox: Sendable, Hashable {
    /// Left and top.
    public var x1, y1: Double
    /// Right and bottom.
    public var x2, y2: Double

    /// Creates a box from its left, top, right and bottom.
    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        (self.x1, self.y1, self.x2, self.y2) = (x1, y1, x2, y2)
    }

    /// ST's IoU (`_calculate_iou` of the model zoo's `objdet_metrics.py`): 0 when the boxes are
    /// apart (`a.x1 > b.x2 || a.x2 < b.x1`, same for y); otherwise
    /// `inter = max(ix, 0) * max(iy, 0)` with `ix = min(x2) - max(x1) + 1`, areas
    /// `(x2 - x1 + 1)(y2 - y1 + 1)`, and `inter / union` (0 when the union is not positive).
    /// - Parameter other: The other box.
    public func stIoU(_ other: FrameBox) -> Double {
        if x1 > other.x2 || x2 < other.x1 { return 0 }
        if y1 > other.y2 || y2 < other.y1 { return 0 }
        let interX = min(x2, other.x2) - max(x1, other.x1) + 1
        let interY = min(y2, other.y2) - max(y1, other.y1) + 1
        let intersection = max(interX, 0) * max(interY, 0)
        let areaA = (x2 - x1 + 1) * (y2 - y1 + 1)
        let areaB = (other.x2 - other.x1 + 1) * (other.y2 - other.y1 + 1)
        let union = areaA + areaB - intersection
        return union > 0 ? intersection / union : 0
    }

    /// The sum of the four coordinates; ST drops boxes whose sum is not positive as padding.
    public var coordinateSum: Double { x1 + y1 + x2 + y2 }
}
