/// A ground-truth face box in WIDER FACE convention: top-left corner and size, in pixels of the
/// source image.
///
/// The official evaluation treats the box as covering pixels `x ... x + width` inclusive (the
/// "+1 pixel" convention, see ``WiderOfficialProtocol``).
public struct FaceBox: Sendable, Equatable, Hashable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width.
    public var width: Double
    /// Height.
    public var height: Double

    /// Creates a box.
    /// - Parameters:
    ///   - x: Left edge.
    ///   - y: Top edge.
    ///   - width: Width.
    ///   - height: Height.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
