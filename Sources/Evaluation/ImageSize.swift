/// The pixel size of a source image.
public struct ImageSize: Sendable, Hashable {
    /// Width and height in pixels.
    public var width, height: Int

    /// Creates a size from a width and height in pixels.
    public init(width: Int, height: Int) {
        (self.width, self.height) = (width, height)
    }
}
