/// The container formats `ImageDecoder` and `ImageEncoder` understand.
public enum ImageFormat: String, Sendable, CaseIterable {
    /// JPEG (JFIF/Exif), baseline or progressive.
    case jpeg
    /// PNG, any bit depth and colour type.
    case png
    /// Netpbm PPM/PGM (`P2`, `P3`, `P5`, `P6`). The encoder writes binary `P6`.
    case pnm

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
        return nil
    }

    /// The format implied by a path's extension (`.jpg`, `.jpeg`, `.png`,
    /// `.ppm`, `.pgm`, `.pnm`; case-insensitive), or `nil`. Used only when
    /// choosing an output format.
    public init?(pathExtension path: String) {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "jpg", "jpeg": self = .jpeg
        case "png": self = .png
        case "ppm", "pgm", "pnm": self = .pnm
        default: return nil
        }
    }
}
