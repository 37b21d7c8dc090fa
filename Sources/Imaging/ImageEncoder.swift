import CPNG
import CTurboJPEG
import CWebP

/// Encodes `RGBImage`s as PNG (libpng simplified API), JPEG (TurboJPEG), WebP
/// (libwebp; lossy at `jpegQuality`) or binary PPM (`P6`), in memory or to a file.
public struct ImageEncoder: Sendable {
    /// JPEG quality 1...100 (clamped). Qualities >= 90 use 4:4:4 chroma,
    /// lower ones 4:2:0.
    public var jpegQuality: Int

    /// Creates an encoder.
    public init(jpegQuality: Int = 90) {
        self.jpegQuality = jpegQuality
    }

    /// Encodes `image` in `format`.
    /// - Throws: `ImageError` (path `"<memory>"`) if the codec fails.
    public func encode(_ image: RGBImage, format: ImageFormat) throws -> [UInt8] {
        switch format {
        case .png: return try pngData(image)
        case .jpeg: return try jpegData(image)
        case .pnm: return ppmData(image)
        case .webp: return try webpData(image)
        }
    }

    /// Writes `image` to `path`. The format is `format` if given, otherwise
    /// chosen from the path extension (`.png`, `.jpg`/`.jpeg`, `.ppm`/`.pnm`/`.pgm`).
    /// - Throws: `ImageError` naming `path` for an unknown extension, a codec
    ///   failure or an I/O error.
    public func write(_ image: RGBImage, to path: String, format: ImageFormat? = nil) throws {
        guard let chosen = format ?? ImageFormat(pathExtension: path) else {
            throw ImageError(path: path, kind: .invalidArgument,
                             reason: "cannot tell the output format from the extension (use .png, .jpg, .webp or .ppm)")
        }
        let bytes: [UInt8]
        do {
            bytes = try encode(image, format: chosen)
        } catch let error as ImageError {
            throw ImageError(path: path, kind: error.kind, reason: error.reason)
        }
        try FileIO.writeAll(path: path, bytes: bytes)
    }

    /// A WebP: lossy at quality `jpegQuality` (clamped to 1...100), or lossless.
    /// - Throws: `ImageError` if libwebp fails or the image exceeds WebP's 16383-pixel sides.
    public func webpData(_ image: RGBImage, lossless: Bool = false) throws -> [UInt8] {
        guard image.width <= 16383, image.height <= 16383 else {
            throw ImageError(path: ImageError.memoryPath, kind: .encodingFailed,
                             reason: "image \(image.width)x\(image.height) too large for WebP (16383 pixels a side at most)")
        }
        var output: UnsafeMutablePointer<UInt8>?
        let stride = Int32(image.width * 3)
        let size = image.pixels.withUnsafeBufferPointer { rgb -> Int in
            lossless
                ? WebPEncodeLosslessRGB(rgb.baseAddress, Int32(image.width), Int32(image.height), stride, &output)
                : WebPEncodeRGB(rgb.baseAddress, Int32(image.width), Int32(image.height), stride,
                                Float(min(max(jpegQuality, 1), 100)), &output)
        }
        defer { if let output { WebPFree(output) } }
        guard size > 0, let output else {
            throw ImageError(path: ImageError.memoryPath, kind: .encodingFailed, reason: "libwebp could not encode the image")
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    /// Binary PPM (`P6`, maxval 255).
    public func ppmData(_ image: RGBImage) -> [UInt8] {
        Array("P6\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
    }

    /// An 8-bit RGB PNG.
    /// - Throws: `ImageError` if libpng reports an error.
    public func pngData(_ image: RGBImage) throws -> [UInt8] {
        guard image.width * 3 <= Int(Int32.max), image.width <= Int(UInt32.max), image.height <= Int(UInt32.max) else {
            throw ImageError(path: ImageError.memoryPath, kind: .encodingFailed, reason: "image too large for PNG")
        }
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width)
        png.height = UInt32(image.height)
        png.format = UInt32(PNG_FORMAT_FLAG_COLOR)  // PNG_FORMAT_RGB
        let stride = Int32(image.width * 3)
        return try image.pixels.withUnsafeBytes { source -> [UInt8] in
            var size: Int = 0
            guard png_image_write_to_memory(&png, nil, &size, 0, source.baseAddress, stride, nil) != 0, size > 0 else {
                throw failure(&png)
            }
            var output = [UInt8](repeating: 0, count: size)
            let ok = output.withUnsafeMutableBytes { destination in
                png_image_write_to_memory(&png, destination.baseAddress, &size, 0, source.baseAddress, stride, nil)
            }
            guard ok != 0, size <= output.count else { throw failure(&png) }
            output.removeSubrange(size...)
            return output
        }
    }

    /// A baseline (or, with `progressive`, progressive) JPEG at `jpegQuality`.
    /// - Throws: `ImageError` if TurboJPEG reports an error.
    public func jpegData(_ image: RGBImage, progressive: Bool = false) throws -> [UInt8] {
        guard let handle = tjInitCompress() else {
            throw ImageError(path: ImageError.memoryPath, kind: .encodingFailed, reason: "cannot initialise TurboJPEG compressor")
        }
        defer { tjDestroy(handle) }
        guard image.width <= 65535, image.height <= 65535 else {
            throw ImageError(path: ImageError.memoryPath, kind: .encodingFailed,
                             reason: "JPEG cannot store \(image.width)x\(image.height) (limit 65535)")
        }
        let quality = min(100, max(1, jpegQuality))
        let subsampling = quality >= 90 ? TJSAMP_444 : TJSAMP_420
        var jpegBuffer: UnsafeMutablePointer<UInt8>? = nil
        var jpegSize: UInt = 0
        defer { if let jpegBuffer { tjFree(jpegBuffer) } }
        let result = image.pixels.withUnsafeBufferPointer { source in
            tjCompress2(handle, source.baseAddress, Int32(image.width), Int32(image.width * 3), Int32(image.height),
                        Int32(TJPF_RGB.rawValue), &jpegBuffer, &jpegSize,
                        Int32(subsampling.rawValue), Int32(quality), progressive ? Int32(TJFLAG_PROGRESSIVE) : 0)
        }
        guard result == 0, let jpegBuffer else {
            let message = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
            throw ImageError(path: ImageError.memoryPath, kind: .encodingFailed, reason: "JPEG encoding failed (\(message))")
        }
        return Array(UnsafeBufferPointer(start: jpegBuffer, count: Int(jpegSize)))
    }

    private func failure(_ png: inout png_image) -> ImageError {
        let message = withUnsafeBytes(of: &png.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&png)
        return ImageError(path: ImageError.memoryPath, kind: .encodingFailed, reason: "PNG encoding failed (\(message))")
    }
}
