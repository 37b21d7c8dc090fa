/// A fully bounds-checked Netpbm decoder for `P2`, `P3`, `P5` and `P6`.
enum PNMDecoder {
    /// Header values larger than this are rejected as corrupt before any
    /// arithmetic (keeps every product far from overflow).
    private static let maximumHeaderValue = 1 << 30

    static func decode(_ data: [UInt8], name: String, limits: ImageDecoder.Limits = .current) throws -> RGBImage {
        guard data.count >= 2, data[0] == UInt8(ascii: "P") else {
            throw ImageError(path: name, kind: .unsupportedFormat, reason: "not a PNM file")
        }
        let variant = data[1]
        let channels: Int, ascii: Bool
        switch variant {
        case UInt8(ascii: "2"): (channels, ascii) = (1, true)
        case UInt8(ascii: "3"): (channels, ascii) = (3, true)
        case UInt8(ascii: "5"): (channels, ascii) = (1, false)
        case UInt8(ascii: "6"): (channels, ascii) = (3, false)
        default:
            throw ImageError(path: name, kind: .unsupportedFormat,
                             reason: "unsupported PNM variant P\(Character(Unicode.Scalar(variant)))")
        }
        var scanner = Scanner(data: data, position: 2, name: name)
        let width = try scanner.headerInteger("width")
        let height = try scanner.headerInteger("height")
        let maxval = try scanner.headerInteger("maxval")
        guard (1...65535).contains(maxval) else {
            throw ImageError(path: name, kind: .corrupt, reason: "PNM maxval \(maxval) is outside 1...65535")
        }
        try ImageDecoder.checkDimensions(width: width, height: height, name: name, format: "PNM", limits: limits)
        let sampleCount = width * height * channels
        // The samples, plus the RGB copy of a grey image.
        let memory = sampleCount + (channels == 1 ? sampleCount * 3 : 0)
        return try limits.budget.withReservation(memory, name: name, what: "a \(width)x\(height) PNM") {
            try decodeSamples(data, name: name, scanner: scanner, width: width, height: height,
                              channels: channels, ascii: ascii, maxval: maxval)
        }
    }

    private static func decodeSamples(_ data: [UInt8], name: String, scanner: Scanner, width: Int, height: Int,
                                      channels: Int, ascii: Bool, maxval: Int) throws -> RGBImage {
        var scanner = scanner
        let sampleCount = width * height * channels

        var samples: [UInt8]
        if ascii {
            samples = try scanner.asciiSamples(count: sampleCount, maxval: maxval)
        } else {
            // Exactly one whitespace byte separates maxval from the raster.
            guard scanner.position < data.count, Scanner.isWhitespace(data[scanner.position]) else {
                throw ImageError(path: name, kind: .truncated,
                                 reason: "truncated PNM: no pixel data after the header")
            }
            samples = try binarySamples(data, from: scanner.position + 1, count: sampleCount,
                                        maxval: maxval, name: name)
        }
        if channels == 3 {
            return RGBImage(uncheckedWidth: width, height: height, pixels: samples)
        }
        var rgb = [UInt8](repeating: 0, count: sampleCount * 3)
        for i in 0..<sampleCount {
            let v = samples[i]
            rgb[i * 3] = v
            rgb[i * 3 + 1] = v
            rgb[i * 3 + 2] = v
        }
        samples = []
        return RGBImage(uncheckedWidth: width, height: height, pixels: rgb)
    }

    /// Rescales a sample from 0...maxval to 0...255 with rounding.
    @inline(__always)
    static func scale(_ value: Int, maxval: Int) -> UInt8 {
        maxval == 255 ? UInt8(truncatingIfNeeded: value) : UInt8(truncatingIfNeeded: (value * 255 + maxval / 2) / maxval)
    }

    private static func binarySamples(_ data: [UInt8], from start: Int, count: Int,
                                      maxval: Int, name: String) throws -> [UInt8] {
        let bytesPerSample = maxval < 256 ? 1 : 2
        let needed = count * bytesPerSample
        let available = data.count - start
        guard available >= needed else {
            throw ImageError(path: name, kind: .truncated,
                             reason: "truncated PNM: header promises \(needed) bytes of pixel data, file has \(max(0, available))")
        }
        var out = [UInt8](repeating: 0, count: count)
        try data.withUnsafeBufferPointer { src in
            try out.withUnsafeMutableBufferPointer { dst in
                // `available >= needed` was validated above, so every index below is in range.
                for i in 0..<count {
                    let value: Int
                    if bytesPerSample == 1 {
                        value = Int(src[start + i])
                    } else {
                        value = Int(src[start + 2 * i]) << 8 | Int(src[start + 2 * i + 1])
                    }
                    guard value <= maxval else {
                        throw ImageError(path: name, kind: .corrupt,
                                         reason: "corrupt PNM: sample value \(value) exceeds maxval \(maxval)")
                    }
                    dst[i] = scale(value, maxval: maxval)
                }
            }
        }
        return out
    }

    /// Tokeniser over the header and ASCII raster.
    private struct Scanner {
        let data: [UInt8]
        var position: Int
        let name: String

        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || (0x09...0x0D).contains(byte)
        }

        /// Skips whitespace and `#` comments (to end of line).
        mutating func skipSeparators() {
            while position < data.count {
                let byte = data[position]
                if Self.isWhitespace(byte) {
                    position += 1
                } else if byte == UInt8(ascii: "#") {
                    while position < data.count, data[position] != 0x0A, data[position] != 0x0D { position += 1 }
                } else {
                    return
                }
            }
        }

        /// Reads an unsigned decimal; nil at end of data. Throws on a non-digit.
        mutating func integer(what: String) throws -> Int? {
            skipSeparators()
            guard position < data.count else { return nil }
            var value = 0
            var digits = 0
            while position < data.count, (0x30...0x39).contains(data[position]) {
                value = value * 10 + Int(data[position] - 0x30)
                digits += 1
                position += 1
                guard value <= PNMDecoder.maximumHeaderValue else {
                    throw ImageError(path: name, kind: .corrupt, reason: "corrupt PNM: \(what) is too large")
                }
            }
            guard digits > 0 else {
                let byte = data[position]
                throw ImageError(path: name, kind: .corrupt,
                                 reason: "corrupt PNM: expected a number for \(what), found byte 0x\(String(byte, radix: 16))")
            }
            return value
        }

        mutating func headerInteger(_ what: String) throws -> Int {
            guard let value = try integer(what: what) else {
                throw ImageError(path: name, kind: .truncated, reason: "truncated PNM header: missing \(what)")
            }
            return value
        }

        mutating func asciiSamples(count: Int, maxval: Int) throws -> [UInt8] {
            // Each sample needs at least one digit and one separator, so reject
            // impossible claims before allocating.
            let remaining = data.count - position
            guard remaining >= 2 * count - 1 else {
                throw ImageError(path: name, kind: .truncated,
                                 reason: "truncated PNM: header promises \(count) samples, only \(remaining) bytes follow")
            }
            var out = [UInt8](repeating: 0, count: count)
            for i in 0..<count {
                guard let value = try integer(what: "sample") else {
                    throw ImageError(path: name, kind: .truncated,
                                     reason: "truncated PNM: found \(i) of \(count) samples")
                }
                guard value <= maxval else {
                    throw ImageError(path: name, kind: .corrupt,
                                     reason: "corrupt PNM: sample value \(value) exceeds maxval \(maxval)")
                }
                out[i] = PNMDecoder.scale(value, maxval: maxval)
            }
            return out
        }
    }
}
