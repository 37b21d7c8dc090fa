/// The container formats `ImageDecoder` and `ImageEncoder` understand.
public enum ImageFormat: String, Sendable, CaseIterable {
    /// JPEG (JFIF/Exif), baseline or progressive.
    case jpeg
    /// PNG, any bit depth and colour type.
    case png
    /// Netpbm PPM/PGM (`P2`, `P3`, `P5`, `P6`). The encoder writes binary `P6`.
    case pnm
    /// WebP (lossy, lossless, with or without alpha; still images only), through libwebp.
    case webp

    /// The formats the decoder reads, as named in error messages.
    public static let supportedNames = "JPEG, PNG, WebP, PPM/PGM"

    /// Detects the format from the leading magic bytes (never from a file name).
    ///
    /// Returns `nil` for unknown data. Note that any `P<digit>` header maps to
    /// `.pnm`, including variants the decoder rejects (`P1`, `P4`, `P7`).
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if bytes.count >= 8, bytes[0..<8].elementsEqual(pngSignature) { return .png }
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "7")).contains(bytes[1]) {
            return .pnm
        }
        if bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8) {
            return .webp
        }
        return nil
    }

    /// The name of a well-known image format that the decoder does not read ("BMP", "TIFF",
    /// "GIF", "HEIF", "AVIF", "JPEG XL", "JPEG 2000", "PSD", "QOI", "OpenEXR"), recognised from
    /// its magic bytes; `nil` for supported formats and for data that is not a known image.
    public static func unsupportedFormatName(_ bytes: [UInt8]) -> String? {
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && bytes[0..<prefix.count].elementsEqual(prefix) }
        func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }
        if starts(ascii("BM")), bytes.count >= 14 { return "BMP" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A])
            || starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) { return "TIFF" }
        if starts(ascii("GIF87a")) || starts(ascii("GIF89a")) { return "GIF" }
        if bytes.count >= 12, bytes[4..<8].elementsEqual("ftyp".utf8) {
            let brand = String(decoding: bytes[8..<12], as: UTF8.self)
            if ["avif", "avis"].contains(brand) { return "AVIF" }
            if ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"].contains(brand) { return "HEIF" }
        }
        if starts([0xFF, 0x0A]) || starts([0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20, 0x0D, 0x0A, 0x87, 0x0A]) { return "JPEG XL" }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A])
            || starts([0xFF, 0x4F, 0xFF, 0x51]) { return "JPEG 2000" }
        if starts(ascii("8BPS")) { return "PSD" }
        if starts(ascii("qoif")) { return "QOI" }
        if starts([0x76, 0x2F, 0x31, 0x01]) { return "OpenEXR" }
        return nil
    }

    /// The format implied by a path's extension (`.jpg`, `.jpeg`, `.png`,
    /// `.ppm`, `.pgm`, `.pnm`, `.webp`; case-insensitive), or `nil`.
    public init?(pathExtension path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "jpg", "jpeg", "jpe", "jfif": self = .jpeg
        case "png": self = .png
        case "ppm", "pgm", "pnm": self = .pnm
        case "webp": self = .webp
        default: return nil
        }
    }
}

/// What the first bytes of a file say it is (see ``ImageFormat/sniff(path:)``).
public enum SniffedImage: Equatable, Sendable {
    /// A format the decoder reads.
    case supported(ImageFormat)
    /// A well-known image format the decoder does not read, by name ("BMP", "TIFF"...).
    case unsupported(String)
}

extension ImageFormat {
    /// Reads the first bytes of the file at `path` and tells whether it is an image: used by
    /// folder scans for files whose extension is missing or unknown.
    ///
    /// Never blocks: anything but a regular file (a FIFO, a device, a directory), an unreadable
    /// file or data that is no known image gives `nil`.
    public static func sniff(path: String) -> SniffedImage? {
        guard let head = try? FileIO.readHead(path: path, count: 16) else { return nil }
        if let format = detect(head) {
            // A lone "P" + digit is too weak a signature for text files: require a PNM header shape.
            if format == .pnm, head.count < 3 || !(head[2] == 0x20 || (0x09...0x0D).contains(head[2]) || head[2] == UInt8(ascii: "#")) {
                return nil
            }
            return .supported(format)
        }
        return unsupportedFormatName(head).map { .unsupported($0) }
    }
}
