import CPNG

/// PNG decoding through libpng's simplified API. Policy is documented on
/// `ImageDecoder`: 16-bit data is assumed sRGB when untagged, alpha is
/// composited over white.
enum PNGDecoder {
    static func decode(_ data: [UInt8], name: String, limits: ImageDecoder.Limits = .current) throws -> RGBImage {
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
            try ImageDecoder.checkDimensions(width: width, height: height, name: name, format: "PNG", limits: limits)
            if let problem = tooLittleImageData(in: data, width: width, height: height) {
                throw ImageError(path: name, kind: .truncated, reason: "truncated PNG (\(problem))")
            }

            image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
            let hasAlpha = (image.format & UInt32(PNG_FORMAT_FLAG_ALPHA)) != 0
            let channels = hasAlpha ? 4 : 3
            let rgb = UInt32(PNG_FORMAT_FLAG_COLOR)  // PNG_FORMAT_RGB (the composite macros are not imported)
            image.format = hasAlpha ? rgb | UInt32(PNG_FORMAT_FLAG_ALPHA) : rgb
            let rowStride = width * channels
            guard rowStride <= Int(Int32.max) else {
                throw ImageError(path: name, kind: .tooLarge, reason: "PNG row of \(width) pixels is too wide")
            }
            // The output, plus libpng's rows (up to 16-bit RGBA) for de-interlacing and compositing.
            let memory = rowStride * height + 4 * width * 8
            return try limits.budget.withReservation(memory, name: name, what: "a \(width)x\(height) PNG") { () throws -> RGBImage in
                var buffer = [UInt8](repeating: 0, count: rowStride * height)
                let ok = buffer.withUnsafeMutableBytes { destination in
                    png_image_finish_read(&image, nil, destination.baseAddress, Int32(rowStride), nil)
                }
                guard ok != 0 else { throw error(for: &image, name: name) }
                if hasAlpha { compositeOverWhiteInPlace(&buffer, pixelCount: width * height) }
                return RGBImage(uncheckedWidth: width, height: height, pixels: buffer)
            }
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

    /// Deflate compresses at most 1032:1, so IDAT data shorter than a 1-bit-per-pixel image's
    /// rows divided by that cannot hold the image: such a file is refused before its output is
    /// reserved (a 69-byte PNG declaring 8000x8000 used to take 213 MB before libpng found the
    /// data short). Only the IDAT bytes present before the chunk list breaks (a chunk length
    /// over 2^31 - 1, or the end of the file) count, since libpng reads no further either.
    /// Returns nil when there may be enough.
    static func tooLittleImageData(in data: [UInt8], width: Int, height: Int) -> String? {
        var pos = 8, idat = 0
        while pos + 8 <= data.count {
            let length = Int(data[pos]) << 24 | Int(data[pos + 1]) << 16 | Int(data[pos + 2]) << 8 | Int(data[pos + 3])
            guard length <= Int(Int32.max) else { break }
            if data[(pos + 4)..<(pos + 8)].elementsEqual("IDAT".utf8) { idat += min(length, data.count - pos - 8) }
            pos += 12 + length
        }
        let minimumRows = height * (1 + (width + 7) / 8)
        let needed = (minimumRows + 1031) / 1032
        guard idat < needed else { return nil }
        return "\(idat) bytes of image data cannot hold \(width)x\(height) pixels (at least \(needed) needed)"
    }

    /// Composites 8-bit RGBA over white, `round((c * a + 255 * (255 - a)) / 255)` per colour
    /// channel, dropping alpha: a transparent pixel becomes white, as a viewer shows it.
    static func compositeOverWhite(rgba: [UInt8], pixelCount: Int) -> [UInt8] {
        var pixels = rgba
        compositeOverWhiteInPlace(&pixels, pixelCount: pixelCount)
        return pixels
    }

    /// ``compositeOverWhite(rgba:pixelCount:)`` in the same buffer (pixel i's RGB is written at
    /// 3i, never past the RGBA of pixel i), which is then shortened to `3 * pixelCount`.
    static func compositeOverWhiteInPlace(_ pixels: inout [UInt8], pixelCount: Int) {
        guard pixels.count >= pixelCount * 4 else { return }
        pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<pixelCount {
                let a = UInt32(p[i * 4 + 3])
                let background = 255 * (255 - a) + 128
                for c in 0..<3 {
                    let v = UInt32(p[i * 4 + c]) * a + background
                    p[i * 3 + c] = UInt8((v + (v >> 8)) >> 8)  // exact round(x / 255) for x <= 65535
                }
            }
        }
        pixels.removeSubrange((pixelCount * 3)...)
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
