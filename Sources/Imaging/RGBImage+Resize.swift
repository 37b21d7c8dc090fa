extension RGBImage {
    /// Returns the image resampled to `width` x `height` (each clamped to >= 1).
    ///
    /// Each axis is handled independently: exact area averaging (box filter
    /// with fractional pixel coverage) where that axis shrinks, so large
    /// photos do not alias; bilinear interpolation with half-pixel-centred
    /// geometry where it grows. Output pixel `i` corresponds to the source
    /// interval `[i * W / width, (i + 1) * W / width)`.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        let w = max(1, newWidth), h = max(1, newHeight)
        if w == width && h == height { return self }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                Resampler.resample(source: source, sourceWidth: width, sourceHeight: height,
                                   into: destination, rowStride: w * 3,
                                   originX: 0, originY: 0, width: w, height: h)
            }
        }
        return RGBImage(uncheckedWidth: w, height: h, pixels: out)
    }
}
