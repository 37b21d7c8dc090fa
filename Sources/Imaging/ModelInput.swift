/// Turns decoded images into model input tensors.
public enum ModelInput {
    /// Resizes `image` into a `size` x `size` RGB byte buffer (`size * size * 3`
    /// bytes, row-major) and returns the transform describing the mapping.
    ///
    /// - `.stretch`: the whole image is resampled to `size` x `size`; pads are 0.
    /// - `.letterbox`: the long side fills `size` pixels and the short side
    ///   occupies `max(1, round(short * size / long))` whole pixels, centred
    ///   (the extra pixel of an odd remainder goes to the right/bottom pad);
    ///   the borders are 0 (black). The padded square is never materialised:
    ///   the image is resampled straight into the inner rectangle. The returned
    ///   pads are the *realised* integer pixel pads divided by `size`, so the
    ///   transform is exact for the pixels produced (at most half a model pixel
    ///   of aspect distortion from the rounding, which the transform accounts for).
    ///
    /// `size` is clamped to >= 1.
    public static func prepare(_ image: RGBImage, size: Int, mode: ResizeMode)
        -> (pixels: [UInt8], transform: InputTransform)
    {
        let n = max(1, size)
        var innerWidth = n, innerHeight = n
        if mode == .letterbox {
            if image.width >= image.height {
                innerHeight = min(n, max(1, Int((Double(image.height) * Double(n) / Double(image.width)).rounded())))
            } else {
                innerWidth = min(n, max(1, Int((Double(image.width) * Double(n) / Double(image.height)).rounded())))
            }
        }
        let left = (n - innerWidth) / 2
        let top = (n - innerHeight) / 2
        var out = [UInt8](repeating: 0, count: n * n * 3)
        image.pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                Resampler.resample(source: source, sourceWidth: image.width, sourceHeight: image.height,
                                   into: destination, rowStride: n * 3,
                                   originX: left, originY: top, width: innerWidth, height: innerHeight)
            }
        }
        let scale = Float(n)
        let transform = InputTransform(
            sourceWidth: image.width, sourceHeight: image.height,
            padLeft: Float(left) / scale, padTop: Float(top) / scale,
            padRight: Float(n - innerWidth - left) / scale, padBottom: Float(n - innerHeight - top) / scale)
        return (out, transform)
    }

    /// Prepares one square region of an image (a tile) as an `n x n` model input.
    ///
    /// The region is the square of side `size` source pixels with its top-left corner at
    /// (`x`, `y`); it may extend past the image, where the input is black. The part inside the
    /// image is resampled (area averaging down, bilinear up) to the whole model pixels it covers.
    ///
    /// - Returns: The RGB bytes, the transform from model coordinates to the pixels of the
    ///   cropped part (add `originX`, `originY` to get image pixels), and that part's origin.
    ///   Nil when the region does not overlap the image.
    public static func prepareRegion(_ image: RGBImage, x: Int, y: Int, size: Int, outputSize n: Int)
        -> (pixels: [UInt8], transform: InputTransform, originX: Int, originY: Int)?
    {
        guard size > 0, n > 0 else { return nil }
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(image.width, x + size), y1 = min(image.height, y + size)
        guard x1 > x0, y1 > y0 else { return nil }
        let scale = Double(n) / Double(size)
        let left = min(n - 1, Int((Double(x0 - x) * scale).rounded()))
        let top = min(n - 1, Int((Double(y0 - y) * scale).rounded()))
        let innerWidth = max(1, min(n - left, Int((Double(x1 - x) * scale).rounded()) - left))
        let innerHeight = max(1, min(n - top, Int((Double(y1 - y) * scale).rounded()) - top))
        let cropWidth = x1 - x0, cropHeight = y1 - y0
        var out = [UInt8](repeating: 0, count: n * n * 3)
        // Resampled straight from the image's rows (no copy of the crop).
        image.pixels.withUnsafeBufferPointer { pixels in
            let offset = (y0 * image.width + x0) * 3
            let source = UnsafeBufferPointer(rebasing: pixels[offset...])
            out.withUnsafeMutableBufferPointer { destination in
                Resampler.resample(source: source, sourceWidth: cropWidth, sourceHeight: cropHeight,
                                   sourceRowStride: image.width * 3,
                                   into: destination, rowStride: n * 3,
                                   originX: left, originY: top, width: innerWidth, height: innerHeight)
            }
        }
        let f = Float(n)
        let transform = InputTransform(
            sourceWidth: cropWidth, sourceHeight: cropHeight,
            padLeft: Float(left) / f, padTop: Float(top) / f,
            padRight: Float(n - innerWidth - left) / f, padBottom: Float(n - innerHeight - top) / f)
        return (out, transform, x0, y0)
    }

    /// Returns `pixels[i] * scale + offset` as floats (e.g. `scale: 2/255,
    /// offset: -1` for BlazeFace's [-1, 1] input range).
    public static func normalize(_ pixels: [UInt8], scale: Float, offset: Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: pixels.count) { buffer, initialized in
            normalize(pixels, into: buffer, scale: scale, offset: offset)
            initialized = pixels.count
        }
    }

    /// Writes `pixels[i] * scale + offset` into `destination[i]` (e.g. a
    /// tensor buffer). Only the first `min(pixels.count, destination.count)`
    /// elements are written; returns that count.
    @discardableResult
    public static func normalize(_ pixels: [UInt8], into destination: UnsafeMutableBufferPointer<Float>,
                                 scale: Float, offset: Float) -> Int {
        let count = min(pixels.count, destination.count)
        pixels.withUnsafeBufferPointer { source in
            for i in 0..<count { destination[i] = Float(source[i]) * scale + offset }
        }
        return count
    }
}
