import CTurboJPEG

/// JPEG decoding through the TurboJPEG 2.x API (`tjDecompressHeader3`,
/// `tjDecompress2`). Policy is documented on `ImageDecoder`.
enum JPEGDecoder {
    /// A libjpeg-turbo DCT scaling factor `num/denom`.
    struct ScalingFactor: Equatable, Sendable {
        var num: Int
        var denom: Int

        func scaled(_ dimension: Int) -> Int { (dimension * num + denom - 1) / denom }
    }

    /// All scaling factors libjpeg-turbo supports that do not enlarge (f <= 1).
    static func downscalingFactors() -> [ScalingFactor] {
        var count: Int32 = 0
        guard let table = tjGetScalingFactors(&count), count > 0 else {
            return [ScalingFactor(num: 1, denom: 1)]
        }
        var factors: [ScalingFactor] = []
        for i in 0..<Int(count) {
            let f = table[i]
            if f.num > 0, f.denom > 0, f.num <= f.denom {
                factors.append(ScalingFactor(num: Int(f.num), denom: Int(f.denom)))
            }
        }
        return factors.isEmpty ? [ScalingFactor(num: 1, denom: 1)] : factors
    }

    /// The smallest factor keeping both scaled dimensions (or, with `longSideOnly`, the longer
    /// one) >= 2 * minimumSize; 1/1 when no factor qualifies or `minimumSize` is nil.
    static func chooseScalingFactor(width: Int, height: Int, minimumSize: Int?, longSideOnly: Bool = false) -> ScalingFactor {
        let identity = ScalingFactor(num: 1, denom: 1)
        guard let minimumSize else { return identity }
        let target = 2 * minimumSize
        var best = identity
        for f in downscalingFactors() {
            let w = f.scaled(width), h = f.scaled(height)
            guard longSideOnly ? max(w, h) >= target : min(w, h) >= target else { continue }
            if f.num * best.denom < best.num * f.denom { best = f }
        }
        return best
    }

    /// Decodes at the chosen scale; also returns the file's full (unscaled, unrotated) size.
    static func decode(_ data: [UInt8], name: String, minimumSize: Int?, longSideOnly: Bool = false) throws -> (image: RGBImage, width: Int, height: Int) {
        try decode(data, name: name, longSideOnly: longSideOnly) { _, _ in minimumSize }
    }

    /// Decodes at the scale chosen for `minimumSize(width, height)` of the file's full size.
    static func decode(_ data: [UInt8], name: String, longSideOnly: Bool,
                       minimumSize: (_ width: Int, _ height: Int) -> Int?) throws -> (image: RGBImage, width: Int, height: Int) {
        guard let handle = tjInitDecompress() else {
            throw ImageError(path: name, kind: .corrupt, reason: "cannot initialise TurboJPEG decompressor")
        }
        defer { tjDestroy(handle) }

        return try data.withUnsafeBufferPointer { source -> (image: RGBImage, width: Int, height: Int) in
            var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
            let headerResult = tjDecompressHeader3(handle, source.baseAddress, UInt(source.count),
                                                   &width, &height, &subsampling, &colorspace)
            let headerMessage = headerResult != 0 ? errorMessage(handle) : ""
            // Same warning policy as for the pixels: only "premature end" warnings are fatal.
            let tolerableWarning = headerResult != 0 && tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
                && !isTruncation(headerMessage)
            if (headerResult != 0 && !tolerableWarning) || width <= 0 || height <= 0 {
                let message = headerResult != 0 ? headerMessage : "no frame header"
                let truncated = isTruncation(message) || JPEGMarkers.walk(data) == .truncated
                throw ImageError(path: name, kind: truncated ? .truncated : .corrupt,
                                 reason: "\(truncated ? "truncated" : "invalid") JPEG header (\(message))")
            }
            try ImageDecoder.checkDimensions(width: Int(width), height: Int(height), name: name, format: "JPEG")

            let factor = chooseScalingFactor(width: Int(width), height: Int(height), minimumSize: minimumSize(Int(width), Int(height)),
                                             longSideOnly: longSideOnly)
            let outWidth = factor.scaled(Int(width))
            let outHeight = factor.scaled(Int(height))
            let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
            let channels = isCMYK ? 4 : 3
            let pixelFormat = isCMYK ? TJPF_CMYK : TJPF_RGB
            var pixels = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
            let flags = Int32(TJFLAG_LIMITSCANS)
            let result = pixels.withUnsafeMutableBufferPointer { destination in
                tjDecompress2(handle, source.baseAddress, UInt(source.count), destination.baseAddress,
                              Int32(outWidth), Int32(outWidth * channels), Int32(outHeight),
                              Int32(pixelFormat.rawValue), flags)
            }
            if result != 0 {
                let message = errorMessage(handle)
                let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
                if !isWarning || isTruncation(message) {
                    throw ImageError(path: name, kind: isTruncation(message) ? .truncated : .corrupt,
                                     reason: "\(isTruncation(message) ? "truncated" : "corrupt") JPEG (\(message))")
                }
                // Any other warning is tolerated: the pixels are complete.
            }
            if isCMYK {
                pixels = cmykToRGB(pixels, pixelCount: outWidth * outHeight, inverted: hasAdobeMarker(data))
            }
            return (RGBImage(uncheckedWidth: outWidth, height: outHeight, pixels: pixels), Int(width), Int(height))
        }
    }

    /// Naive CMYK -> RGB: `R = (255 - C) * (255 - K) / 255`, etc. Adobe
    /// (APP14) files store the channels inverted, i.e. `R = C' * K' / 255`.
    static func cmykToRGB(_ cmyk: [UInt8], pixelCount: Int, inverted: Bool) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        for i in 0..<pixelCount {
            let k = Int(inverted ? cmyk[i * 4 + 3] : 255 - cmyk[i * 4 + 3])
            for c in 0..<3 {
                let v = Int(inverted ? cmyk[i * 4 + c] : 255 - cmyk[i * 4 + c])
                rgb[i * 3 + c] = UInt8((v * k + 127) / 255)
            }
        }
        return rgb
    }

    /// True if the header has an APP14 "Adobe" segment.
    static func hasAdobeMarker(_ data: [UInt8]) -> Bool {
        var found = false
        _ = JPEGMarkers.walk(data) { marker, payload in
            if marker == 0xEE, payload.starts(with: Array("Adobe".utf8)) {
                found = true
                return false
            }
            return true
        }
        return found
    }

    private static func errorMessage(_ handle: tjhandle) -> String {
        guard let cString = tjGetErrorStr2(handle) else { return "unknown TurboJPEG error" }
        return String(cString: cString)
    }

    private static func isTruncation(_ message: String) -> Bool {
        message.lowercased().contains("premature end")
    }
}
