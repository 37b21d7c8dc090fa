extension RGBImage {
    /// Returns the image transformed so that an Exif orientation tag of
    /// `orientation` displays upright:
    /// 1 identity, 2 mirror left-right, 3 rotate 180, 4 mirror top-bottom,
    /// 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90
    /// counter-clockwise. Values outside 1...8 are treated as 1.
    /// Orientations 5...8 swap width and height.
    public func applyingExifOrientation(_ orientation: Int) -> RGBImage {
        guard (2...8).contains(orientation) else { return self }
        let w = width, h = height
        let swaps = orientation >= 5
        let outW = swaps ? h : w
        let outH = swaps ? w : h
        // Source pixel index of output (x, y) is origin + x * stepX + y * stepY.
        let (origin, stepX, stepY): (Int, Int, Int)
        switch orientation {
        case 2: (origin, stepX, stepY) = (w - 1, -1, w)
        case 3: (origin, stepX, stepY) = ((h - 1) * w + w - 1, -1, -w)
        case 4: (origin, stepX, stepY) = ((h - 1) * w, 1, -w)
        case 5: (origin, stepX, stepY) = (0, w, 1)
        case 6: (origin, stepX, stepY) = ((h - 1) * w, -w, 1)
        case 7: (origin, stepX, stepY) = ((h - 1) * w + w - 1, -w, -1)
        default: (origin, stepX, stepY) = (w - 1, w, -1)  // 8
        }
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var d = 0
                for y in 0..<outH {
                    var s = origin + y * stepY
                    for _ in 0..<outW {
                        dst[d] = src[s * 3]
                        dst[d + 1] = src[s * 3 + 1]
                        dst[d + 2] = src[s * 3 + 2]
                        d += 3
                        s += stepX
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: outW, height: outH, pixels: out)
    }
}
