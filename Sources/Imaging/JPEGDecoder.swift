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
    static func decode(_ data: [UInt8], name: String, minimumSize: Int?, longSideOnly: Bool = false,
                       limits: ImageDecoder.Limits = .current) throws -> (image: RGBImage, width: Int, height: Int) {
        try decode(data, name: name, longSideOnly: longSideOnly, limits: limits) { _, _ in minimumSize }
    }

    /// The most memory decoding `data` (declaring `width` x `height`) to `outputBytes` of
    /// pixels takes: the output, libjpeg's whole-image coefficient arrays for progressive and
    /// multi-scan files, and row buffers. Without a readable frame header, coefficients are
    /// assumed (3 components, no subsampling).
    static func estimatedMemory(_ data: [UInt8], width: Int, height: Int, outputBytes: Int) -> (bytes: Int, buffered: Bool) {
        let frame = JPEGMarkers.frame(data)
        let coefficients = frame?.coefficientBytes ?? ((width + 7) / 8) * ((height + 7) / 8) * 3 * 128
        let rows = (width + 16) * 4 * 16 * 4  // a few MCU rows of every component, in samples
        return (outputBytes + coefficients + rows, frame?.buffersWholeImage ?? true)
    }

    /// A Huffman-coded file too short to hold its declared image (``JPEGMarkers/Frame/minimumDataBits``,
    /// counting the whole file as data) is refused before its output is allocated: libjpeg
    /// would decode it to the end, filling the missing blocks, before reporting it truncated
    /// (fuzzing found a 271-byte progressive JPEG declaring 2584x20533 that took 2.3 s under
    /// ASan). Returns nil when there may be enough.
    static func tooLittleData(_ data: [UInt8], width: Int, height: Int) -> String? {
        guard let frame = JPEGMarkers.frame(data), frame.width == width, frame.height == height,
              let bits = frame.minimumDataBits, data.count < (bits + 7) / 8 else { return nil }
        return "\(data.count) bytes cannot hold a \(width)x\(height) image (at least \((bits + 7) / 8) needed, 1 bit per 8x8 block)"
    }

    /// Decodes at the scale chosen for `minimumSize(width, height)` of the file's full size.
    static func decode(_ data: [UInt8], name: String, longSideOnly: Bool, limits: ImageDecoder.Limits = .current,
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
            try ImageDecoder.checkDimensions(width: Int(width), height: Int(height), name: name, format: "JPEG", limits: limits)

            let factor = chooseScalingFactor(width: Int(width), height: Int(height), minimumSize: minimumSize(Int(width), Int(height)),
                                             longSideOnly: longSideOnly)
            let outWidth = factor.scaled(Int(width))
            let outHeight = factor.scaled(Int(height))
            let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
            let channels = isCMYK ? 4 : 3
            let pixelFormat = isCMYK ? TJPF_CMYK : TJPF_RGB
            let outputBytes = outWidth * outHeight * channels
            let memory = estimatedMemory(data, width: Int(width), height: Int(height), outputBytes: outputBytes)
            let what = "a \(width)x\(height) \(memory.buffered ? "progressive or multi-scan " : "")JPEG"
            let pixels = try limits.budget.withReservation(memory.bytes, name: name, what: what) { () throws -> [UInt8] in
                if let problem = tooLittleData(data, width: Int(width), height: Int(height)) {
                    throw ImageError(path: name, kind: .truncated, reason: "truncated JPEG (\(problem))")
                }
                var pixels = [UInt8](repeating: 0, count: outputBytes)
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
                    convertCMYKToRGBInPlace(&pixels, pixelCount: outWidth * outHeight, inverted: hasAdobeMarker(data))
                }
                return pixels
            }
            return (RGBImage(uncheckedWidth: outWidth, height: outHeight, pixels: pixels), Int(width), Int(height))
        }
    }

    /// Naive CMYK -> RGB: `R = (255 - C) * (255 - K) / 255`, etc. Adobe
    /// (APP14) files store the channels inverted, i.e. `R = C' * K' / 255`.
    static func cmykToRGB(_ cmyk: [UInt8], pixelCount: Int, inverted: Bool) -> [UInt8] {
        var pixels = cmyk
        convertCMYKToRGBInPlace(&pixels, pixelCount: pixelCount, inverted: inverted)
        return pixels
    }

    /// ``cmykToRGB(_:pixelCount:inverted:)`` in the same buffer (pixel i's RGB is written at
    /// 3i, never past the CMYK of pixel i), which is then shortened to `3 * pixelCount`.
    static func convertCMYKToRGBInPlace(_ pixels: inout [UInt8], pixelCount: Int, inverted: Bool) {
        guard pixels.count >= pixelCount * 4 else { return }
        pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<pixelCount {
                let k = Int(inverted ? p[i * 4 + 3] : 255 - p[i * 4 + 3])
                let c0 = Int(inverted ? p[i * 4] : 255 - p[i * 4])
                let c1 = Int(inverted ? p[i * 4 + 1] : 255 - p[i * 4 + 1])
                let c2 = Int(inverted ? p[i * 4 + 2] : 255 - p[i * 4 + 2])
                p[i * 3] = UInt8((c0 * k + 127) / 255)
                p[i * 3 + 1] = UInt8((c1 * k + 127) / 255)
                p[i * 3 + 2] = UInt8((c2 * k + 127) / 255)
            }
        }
        pixels.removeSubrange((pixelCount * 3)...)
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
