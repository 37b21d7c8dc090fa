extension RGBImage {
    /// Fills the rectangle with top-left (`x`, `y`) and the given size,
    /// clipped to the image. Empty or fully outside rectangles draw nothing.
    public mutating func fillRect(x: Int, y: Int, width rectWidth: Int, height rectHeight: Int, color: RGBColor) {
        guard rectWidth > 0, rectHeight > 0 else { return }
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, Self.saturatingAdd(x, rectWidth))
        let y1 = min(height, Self.saturatingAdd(y, rectHeight))
        guard x0 < x1, y0 < y1 else { return }
        let imageWidth = width
        pixels.withUnsafeMutableBufferPointer { buffer in
            for row in y0..<y1 {
                var i = (row * imageWidth + x0) * 3
                for _ in x0..<x1 {
                    buffer[i] = color.red
                    buffer[i + 1] = color.green
                    buffer[i + 2] = color.blue
                    i += 3
                }
            }
        }
    }

    /// Draws the outline of the rectangle with top-left (`x`, `y`) and the
    /// given size; the `thickness`-pixel border lies inside the rectangle.
    /// Clipped to the image.
    public mutating func drawRect(x: Int, y: Int, width rectWidth: Int, height rectHeight: Int,
                                  color: RGBColor, thickness: Int = 2) {
        guard rectWidth > 0, rectHeight > 0 else { return }
        let t = max(1, min(thickness, rectWidth, rectHeight))
        fillRect(x: x, y: y, width: rectWidth, height: t, color: color)
        fillRect(x: x, y: Self.saturatingAdd(y, rectHeight - t), width: rectWidth, height: t, color: color)
        fillRect(x: x, y: y, width: t, height: rectHeight, color: color)
        fillRect(x: Self.saturatingAdd(x, rectWidth - t), y: y, width: t, height: rectHeight, color: color)
    }

    /// Draws a filled disc of `radius` pixels centred on (`x`, `y`)
    /// (radius 0 = a single pixel). Clipped to the image.
    public mutating func drawDot(x: Int, y: Int, radius: Int, color: RGBColor) {
        let r = max(0, min(radius, 1 << 20))
        let y0 = max(0, Self.saturatingAdd(y, -r)), y1 = min(height - 1, Self.saturatingAdd(y, r))
        let x0 = max(0, Self.saturatingAdd(x, -r)), x1 = min(width - 1, Self.saturatingAdd(x, r))
        guard y0 <= y1, x0 <= x1 else { return }
        for py in y0...y1 {
            let dy = py - y
            for px in x0...x1 {
                let dx = px - x
                if dx * dx + dy * dy <= r * r + r { setPixel(x: px, y: py, color: color) }
            }
        }
    }

    /// Draws `string` with the built-in 5x7 font, top-left of the first glyph
    /// at (`x`, `y`), each font pixel drawn as a `scale` x `scale` block
    /// (clamped to 1...64). Characters advance by `6 * scale`; `\n` starts a
    /// new line `9 * scale` lower. Clipped to the image.
    public mutating func drawText(_ string: String, x: Int, y: Int, color: RGBColor, scale: Int = 1) {
        let s = max(1, min(scale, 64))
        var penX = x, penY = y
        for character in string {
            if character == "\n" {
                penX = x
                penY = Self.saturatingAdd(penY, 9 * s)
                continue
            }
            for (row, bits) in BitmapFont.rows(for: character).enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> UInt8(column)) != 0 {
                    fillRect(x: Self.saturatingAdd(penX, column * s), y: Self.saturatingAdd(penY, row * s),
                             width: s, height: s, color: color)
                }
            }
            penX = Self.saturatingAdd(penX, BitmapFont.advance * s)
        }
    }

    /// The pixel size `drawText` covers for a single-line `string`.
    public static func textSize(_ string: String, scale: Int = 1) -> (width: Int, height: Int) {
        let s = max(1, min(scale, 64))
        let count = string.count
        return (count == 0 ? 0 : (count * BitmapFont.advance - 1) * s, BitmapFont.glyphHeight * s)
    }

    private static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int.max : Int.min) : sum
    }
}
