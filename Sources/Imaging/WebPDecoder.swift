import CWebP

/// WebP decoding through libwebp's advanced API (`WebPGetFeatures`, `WebPDecode` into a buffer
/// we own, with libwebp's rescaler for scaled decodes). Policy is documented on `ImageDecoder`.
enum WebPDecoder {
    /// Decodes at the scale chosen for `minimumSize(width, height)` (the same rule and factors as
    /// JPEG); also returns the file's full size.
    static func decode(_ data: [UInt8], name: String, longSideOnly: Bool, limits: ImageDecoder.Limits = .current,
                       minimumSize: (_ width: Int, _ height: Int) -> Int?) throws -> (image: RGBImage, width: Int, height: Int) {
        try data.withUnsafeBufferPointer { source -> (image: RGBImage, width: Int, height: Int) in
            var features = WebPBitstreamFeatures()
            let status = WebPGetFeatures(source.baseAddress, source.count, &features)
            guard status == VP8_STATUS_OK else {
                throw failure(status, name: name, stage: "header")
            }
            let width = Int(features.width), height = Int(features.height)
            try ImageDecoder.checkDimensions(width: width, height: height, name: name, format: "WebP", limits: limits)
            try checkComplete(data, name: name)
            guard features.has_animation == 0 else {
                throw ImageError(path: name, kind: .unsupportedFormat,
                                 reason: "animated WebP is not supported; supported: still images")
            }
            let factor = JPEGDecoder.chooseScalingFactor(width: width, height: height, minimumSize: minimumSize(width, height),
                                                         longSideOnly: longSideOnly)
            let outWidth = factor.scaled(width), outHeight = factor.scaled(height)
            let hasAlpha = features.has_alpha != 0
            let channels = hasAlpha ? 4 : 3
            let outputBytes = outWidth * outHeight * channels
            // libwebp's own memory: a lossless (or unknown) bitstream is decoded to a full ARGB
            // plane; a lossy one keeps a few macroblock rows and the alpha plane.
            let lossy = features.format == 1
            let codecBytes = (lossy ? (hasAlpha ? width * height : 0) : 4 * width * height) + 64 * (width + 16) * 4
            return try limits.budget.withReservation(outputBytes + codecBytes, name: name,
                                                     what: "a \(width)x\(height) WebP") { () throws -> (image: RGBImage, width: Int, height: Int) in
                var config = WebPDecoderConfig()
                guard WebPInitDecoderConfig(&config) != 0 else {
                    throw ImageError(path: name, kind: .corrupt, reason: "cannot initialise the WebP decoder (libwebp version mismatch)")
                }
                if outWidth != width || outHeight != height {
                    config.options.use_scaling = 1
                    config.options.scaled_width = Int32(outWidth)
                    config.options.scaled_height = Int32(outHeight)
                }
                // Not cleared first: libwebp writes every row of a decode that succeeds, and a
                // file it refuses part-way (a 158-byte one declaring 10776x5688, found by
                // fuzzing) then costs only the rows it reached, not a cleared 184 MB buffer.
                var decodeStatus = VP8_STATUS_OK
                var pixels = [UInt8](unsafeUninitializedCapacity: outputBytes) { destination, initialized in
                    config.output.colorspace = hasAlpha ? MODE_RGBA : MODE_RGB
                    config.output.is_external_memory = 1
                    config.output.u.RGBA.rgba = destination.baseAddress
                    config.output.u.RGBA.stride = Int32(outWidth * channels)
                    config.output.u.RGBA.size = destination.count
                    decodeStatus = WebPDecode(source.baseAddress, source.count, &config)
                    WebPFreeDecBuffer(&config.output)
                    initialized = decodeStatus == VP8_STATUS_OK ? outputBytes : 0
                }
                guard decodeStatus == VP8_STATUS_OK, pixels.count == outputBytes else { throw failure(decodeStatus, name: name, stage: "data") }
                if hasAlpha { PNGDecoder.compositeOverWhiteInPlace(&pixels, pixelCount: outWidth * outHeight) }
                return (RGBImage(uncheckedWidth: outWidth, height: outHeight, pixels: pixels), width, height)
            }
        }
    }

    /// Refuses a RIFF container shorter than its header declares before any decoder memory is
    /// reserved. libwebp's one-shot decode refuses such a file too, but only after the output
    /// was allocated and cleared: a 50-byte file declaring a 3352x5426 image took 55 MB first
    /// (found by fuzzing). A bare VP8/VP8L bitstream without RIFF is left to libwebp.
    static func checkComplete(_ data: [UInt8], name: String) throws {
        guard data.count >= 12, data[0..<4].elementsEqual("RIFF".utf8) else { return }
        let declared = (0..<4).reduce(0) { $0 | Int(data[4 + $1]) << (8 * $1) } + 8
        guard declared <= data.count else {
            throw ImageError(path: name, kind: .truncated,
                             reason: "truncated WebP (the file has \(data.count) of the \(declared) bytes its header declares)")
        }
    }

    private static func failure(_ status: VP8StatusCode, name: String, stage: String) -> ImageError {
        switch status {
        case VP8_STATUS_NOT_ENOUGH_DATA:
            return ImageError(path: name, kind: .truncated, reason: "truncated WebP (the \(stage) ends early)")
        case VP8_STATUS_UNSUPPORTED_FEATURE:
            return ImageError(path: name, kind: .unsupportedFormat, reason: "WebP uses a feature libwebp does not support")
        case VP8_STATUS_OUT_OF_MEMORY:
            return ImageError(path: name, kind: .tooLarge, reason: "libwebp ran out of memory")
        default:
            return ImageError(path: name, kind: .corrupt, reason: "corrupt WebP \(stage) (libwebp status \(status.rawValue))")
        }
    }
}
