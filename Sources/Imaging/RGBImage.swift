/// An 8-bit RGB image: interleaved `R, G, B` bytes, row-major, top row first,
/// with no row padding.
///
/// The invariant `pixels.count == width * height * 3` always holds; the
/// throwing initializer enforces it.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels (>= 1).
    public let width: Int
    /// Height in pixels (>= 1).
    public let height: Int
    /// Interleaved RGB bytes, `width * height * 3` of them.
    public internal(set) var pixels: [UInt8]

    /// Creates an image from interleaved RGB bytes.
    ///
    /// - Throws: `ImageError` (kind `.invalidArgument`, path `"<memory>"`) if a
    ///   dimension is not positive or `pixels.count != width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0 else {
            throw ImageError(path: ImageError.memoryPath, kind: .invalidArgument,
                             reason: "invalid image size \(width)x\(height)")
        }
        let (area, overflow1) = width.multipliedReportingOverflow(by: height)
        let (count, overflow2) = area.multipliedReportingOverflow(by: 3)
        guard !overflow1, !overflow2, pixels.count == count else {
            throw ImageError(path: ImageError.memoryPath, kind: .invalidArgument,
                             reason: "pixel buffer has \(pixels.count) bytes, expected \(width)x\(height)x3")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Creates a `width` x `height` image filled with one colour.
    ///
    /// Non-positive dimensions are clamped to 1.
    public init(width: Int, height: Int, color: RGBColor = .black) {
        let w = max(1, width)
        let h = max(1, height)
        var buffer = [UInt8](repeating: 0, count: w * h * 3)
        if color != .black {
            for i in stride(from: 0, to: buffer.count, by: 3) {
                buffer[i] = color.red
                buffer[i + 1] = color.green
                buffer[i + 2] = color.blue
            }
        }
        self.width = w
        self.height = h
        self.pixels = buffer
    }

    /// Internal unchecked initializer; callers guarantee the invariant.
    init(uncheckedWidth width: Int, height: Int, pixels: [UInt8]) {
        assert(width > 0 && height > 0 && pixels.count == width * height * 3)
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour at (`x`, `y`), or `nil` when the coordinate is outside the image.
    public func pixel(x: Int, y: Int) -> RGBColor? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = (y * width + x) * 3
        return RGBColor(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2])
    }

    /// Sets the colour at (`x`, `y`); coordinates outside the image are ignored.
    public mutating func setPixel(x: Int, y: Int, color: RGBColor) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = color.red
        pixels[i + 1] = color.green
        pixels[i + 2] = color.blue
    }
}
