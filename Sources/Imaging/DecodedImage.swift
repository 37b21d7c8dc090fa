/// An image as decoded for analysis, possibly at a reduced scale, with the size of the file's
/// full-resolution upright image (after EXIF orientation).
///
/// Coordinates found in ``image`` map to full-resolution pixels by multiplying x by
/// `fullWidth / image.width` and y by `fullHeight / image.height`.
public struct DecodedImage: Sendable {
    /// The decoded pixels (upright).
    public var image: RGBImage
    /// Width of the full-resolution upright image.
    public var fullWidth: Int
    /// Height of the full-resolution upright image.
    public var fullHeight: Int

    /// Creates a value.
    public init(image: RGBImage, fullWidth: Int, fullHeight: Int) {
        self.image = image
        self.fullWidth = fullWidth
        self.fullHeight = fullHeight
    }

    /// Horizontal factor from decoded to full-resolution pixels.
    public var scaleX: Float { Float(fullWidth) / Float(max(image.width, 1)) }
    /// Vertical factor from decoded to full-resolution pixels.
    public var scaleY: Float { Float(fullHeight) / Float(max(image.height, 1)) }
}
