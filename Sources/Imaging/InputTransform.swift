/// The mapping between a `sourceWidth` x `sourceHeight` image and the square
/// model input it was prepared into.
///
/// Model coordinates are normalised to 0...1 over the whole square input;
/// the pads are fractions of that square (all zero for `.stretch`). The
/// content occupies `[padLeft, 1 - padRight] x [padTop, 1 - padBottom]`, and
///
///     x_src = (x - padLeft) / (1 - padLeft - padRight) * sourceWidth
///     y_src = (y - padTop)  / (1 - padTop - padBottom) * sourceHeight
///
/// Source coordinates are continuous pixel coordinates: (0, 0) is the
/// top-left corner of the first pixel, (W, H) the bottom-right corner of the
/// last one (a pixel centre is at `i + 0.5`).
public struct InputTransform: Sendable, Equatable {
    /// Source image width in pixels.
    public var sourceWidth: Int
    /// Source image height in pixels.
    public var sourceHeight: Int
    /// Left padding as a fraction of the square input width.
    public var padLeft: Float
    /// Top padding as a fraction of the square input height.
    public var padTop: Float
    /// Right padding as a fraction of the square input width.
    public var padRight: Float
    /// Bottom padding as a fraction of the square input height.
    public var padBottom: Float

    /// Creates a transform from explicit values.
    public init(sourceWidth: Int, sourceHeight: Int,
                padLeft: Float = 0, padTop: Float = 0, padRight: Float = 0, padBottom: Float = 0) {
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.padLeft = padLeft
        self.padTop = padTop
        self.padRight = padRight
        self.padBottom = padBottom
    }

    /// Fraction of the model input width occupied by the image.
    public var contentWidth: Float { 1 - padLeft - padRight }
    /// Fraction of the model input height occupied by the image.
    public var contentHeight: Float { 1 - padTop - padBottom }

    /// Maps normalised model coordinates (0...1) to source pixel coordinates.
    public func toSource(x: Float, y: Float) -> (x: Float, y: Float) {
        ((x - padLeft) / contentWidth * Float(sourceWidth),
         (y - padTop) / contentHeight * Float(sourceHeight))
    }

    /// Maps source pixel coordinates to normalised model coordinates; the
    /// inverse of `toSource(x:y:)`.
    public func toModel(x: Float, y: Float) -> (x: Float, y: Float) {
        (x / Float(sourceWidth) * contentWidth + padLeft,
         y / Float(sourceHeight) * contentHeight + padTop)
    }
}
