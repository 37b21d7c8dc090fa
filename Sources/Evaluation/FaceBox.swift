/// A ground-truth face box in WIDER FACE convention: top-left corner and size, in pixels of the
/// source image.
///
/// The official evaluation treats the box as covering pixels `x ... x + width` inclusive (the
/// "+1 pixel" convention, see ``WiderOfficialProtocol``).
public struct FaceBox: Sendable, Equatable, Hashable {
    /// Left and top edges.
    public var x, y: Double
    /// Width and height.
    public var width, height: Double

    /// Creates a box from its left and top edges, width and height.
    public init(x: Double, y: Double, width: Double, height: Double) {
        (self.x, self.y, self.width, self.height) = (x, y, width, height)
    }
}
