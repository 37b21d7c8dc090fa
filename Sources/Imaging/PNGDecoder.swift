import CPNG

/// PNG decoding through libpng's simplified API. Policy is documented on
/// `ImageDecoder`: 16-bit data is assumed sRGB when untagged, alpha is
/// composited over black.
enum PNGDecoder {
    static func decode(_ data: [UInt8], name: String) throws -> RGBImage {
        if let problem = truncation(in: data) {
            throw ImageError(path: name, kind: .truncated, reason: "truncated PNG (\(problem))")
        }
        return try data.withUnsafeBytes { source -> RGBImage in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            guard png_image_begin_read_from_memory(&image, source.baseAddress, source.count) != 0 else {
                let failure = error(for: &image, name: name)
                png_image_free(&image)
                throw failure
            }
            defer { png_image_free(&image) }  // no-op once finish_read has cleaned up

            let width = Int(image.width), height = Int(image.height)
            try ImageDecoder.checkDimensions(width: width, height: height, name: name, format: "PNG")

            image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
            let hasAlpha = (image.format & UInt32(PNG_FORMAT_FLAG_ALPHA)) != 0
            let channels = hasAlpha ? 4 : 3
            let rgb = UInt32(PNG_FORMAT_FLAG_COLOR)  // PNG_FORMAT_RGB (the composite macros are not imported)
            image.format = hasAlpha ? rgb | UInt32(PNG_FORMAT_FLAG_ALPHA) : rgb
            let rowStride = width * channels
            guard rowStride <= Int(Int32.max) else {
                throw ImageError(path: name, kind: .tooLarge, reason: "PNG row of \(width) pixels is too wide")
            }
            var buffer = [UInt8](repeating: 0, count: rowStride * height)
            let ok = buffer.withUnsafeMutableBytes { destination in
                png_image_finish_read(&image, nil, destination.baseAddress, Int32(rowStride), nil)
            }
            guard ok != 0 else { throw error(for: &image, name: name) }
            guard hasAlpha else {
                return RGBImage(uncheckedWidth: width, height: height, pixels: buffer)
            }
            return RGBImage(uncheckedWidth: width, height: height,
                            pixels: compositeOverBlack(rgba: buffer, pixelCount: width * height))
        }
    }

    /// Walks the chunk list (length, type, data, CRC) up to IEND. Returns a
    /// description if the data ends first, so that a PNG missing its tail
    /// (even just IEND, which libpng would tolerate) is reported as truncated.
    /// Returns nil when the chunks are complete or when a chunk header is not
    /// plausible (libpng then reports the corruption).
    static func truncation(in data: [UInt8]) -> String? {
        var pos = 8
        while true {
            guard pos + 8 <= data.count else { return "file ends at byte \(data.count) before the IEND chunk" }
            let length = Int(data[pos]) << 24 | Int(data[pos + 1]) << 16 | Int(data[pos + 2]) << 8 | Int(data[pos + 3])
            let type = data[(pos + 4)..<(pos + 8)]
            let isLetter = { (b: UInt8) in (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
            guard length <= Int(Int32.max), type.allSatisfy(isLetter) else { return nil }
            let typeName = String(decoding: type, as: UTF8.self)
            let end = pos + 12 + length
            guard end <= data.count else {
                return "\(typeName) chunk at byte \(pos) needs \(length + 12) bytes, only \(data.count - pos) remain"
            }
            if typeName == "IEND" { return nil }
            pos = end
        }
    }

    /// `round(c * a / 255)` per colour channel; drops alpha.
    static func compositeOverBlack(rgba: [UInt8], pixelCount: Int) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        rgba.withUnsafeBufferPointer { src in
            rgb.withUnsafeMutableBufferPointer { dst in
                for i in 0..<pixelCount {
                    let a = UInt32(src[i * 4 + 3])
                    for c in 0..<3 {
                        let v = UInt32(src[i * 4 + c]) * a + 128
                        dst[i * 3 + c] = UInt8((v + (v >> 8)) >> 8)  // exact round(x / 255) for x <= 65535
                    }
                }
            }
        }
        return rgb
    }

    private static func error(for image: inout png_image, name: String) -> ImageError {
        let message = withUnsafeBytes(of: &image.message) { raw -> String in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        let lower = message.lowercased()
        let truncated = lower.contains("beyond end") || lower.contains("not enough") || lower.contains("truncated")
        return ImageError(path: name, kind: truncated ? .truncated : .corrupt,
                          reason: "\(truncated ? "truncated" : "corrupt") PNG (\(message.isEmpty ? "libpng error" : message))")
    }
}
