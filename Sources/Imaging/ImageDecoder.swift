/// Decodes JPEG, PNG and binary/ASCII PPM/PGM images into `RGBImage`.
///
/// The format is detected from the magic bytes, never from the file name.
/// Every failure (unreadable, empty, truncated, corrupt, unsupported or
/// oversized input) is reported as a thrown `ImageError` whose `path` names
/// the file (or the `name` given for in-memory data); the decoder never traps.
///
/// Format specifics:
/// - **JPEG** is decoded by TurboJPEG (baseline, progressive, greyscale;
///   CMYK/YCCK is decoded to CMYK and converted naively, honouring the Adobe
///   APP14 inversion convention). The Exif orientation tag (1...8) is applied
///   to the pixels, so the result is upright. Warnings: a libjpeg-turbo warning
///   whose message contains "premature end" (the data stops before the image is
///   complete, or a marker interrupts the entropy-coded data) is treated as a
///   `.truncated` error; any other warning (e.g. "extraneous bytes before
///   marker") is tolerated and the decoded pixels are returned. Progressive
///   files with more than 500 scans are rejected (`TJFLAG_LIMITSCANS`).
/// - **PNG** is decoded by libpng's simplified API (all bit depths, grey,
///   palette, tRNS, alpha). 16-bit samples without gAMA/sRGB chunks are taken
///   as sRGB-encoded and scaled to 8 bits. Images with alpha are composited
///   over **black**: `out = round(c * a / 255)` on the 8-bit sRGB values
///   (the same as padding with zeros).
/// - **PPM/PGM**: `P6`/`P5` (binary) and `P3`/`P2` (ASCII), maxval 1...65535,
///   `#` comments in the header; samples are rescaled to 0...255 with rounding,
///   grey is replicated to RGB. `P1`, `P4` (bitmaps) and `P7` (PAM) are rejected.
public enum ImageDecoder {
    /// Images whose declared width x height exceeds this many pixels are
    /// rejected with `.tooLarge` before any pixel memory is allocated
    /// (decompression-bomb guard). 100 megapixels.
    public static let maximumPixelCount = 100_000_000

    /// Reads and decodes the image file at `path`.
    ///
    /// - Parameters:
    ///   - path: File to read.
    ///   - minimumSize: JPEG only; `nil` decodes at full resolution. Otherwise
    ///     TurboJPEG's DCT scaling is used to decode at the *smallest* scaling
    ///     factor `f <= 1` for which both `ceil(width * f)` and
    ///     `ceil(height * f)` are still `>= 2 * minimumSize` (so a model input of
    ///     `minimumSize` pixels is always produced by downscaling at least 2x,
    ///     keeping area-averaging quality). If even `f = 1` does not meet that,
    ///     the image is decoded at full size. PNG and PPM ignore it.
    /// - Returns: The upright RGB image.
    /// - Throws: `ImageError` naming `path` and the problem.
    public static func decode(path: String, minimumSize: Int? = nil) throws -> RGBImage {
        let bytes = try FileIO.readAll(path: path)
        return try decode(data: bytes, name: path, minimumSize: minimumSize)
    }

    /// Decodes an encoded image held in memory.
    ///
    /// - Parameters:
    ///   - data: The complete encoded file contents.
    ///   - name: Used as the `path` of thrown errors (defaults to `"<memory>"`).
    ///   - minimumSize: See `decode(path:minimumSize:)`.
    /// - Throws: `ImageError` naming `name` and the problem.
    public static func decode(data: [UInt8], name: String = ImageError.memoryPath,
                              minimumSize: Int? = nil) throws -> RGBImage {
        try decodeScaled(data: data, name: name, minimumSize: minimumSize).image
    }

    /// Decodes an image file, possibly at a reduced scale, and reports its full upright size so
    /// that coordinates found in the decoded image can be mapped back to the original pixels.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - minimumSize: See `decode(path:minimumSize:)`.
    /// - Throws: `ImageError` naming `path` and the problem.
    ///   - longSideOnly: Apply `minimumSize` to the longer side only. Enough for a letterbox,
    ///     where the long side maps to the model's side and the short side shrinks in proportion.
    public static func decodeScaled(path: String, minimumSize: Int?, longSideOnly: Bool = false) throws -> DecodedImage {
        try decodeScaled(data: try FileIO.readAll(path: path), name: path, minimumSize: minimumSize, longSideOnly: longSideOnly)
    }

    /// In-memory variant of ``decodeScaled(path:minimumSize:)``.
    public static func decodeScaled(data: [UInt8], name: String = ImageError.memoryPath,
                                    minimumSize: Int?, longSideOnly: Bool = false) throws -> DecodedImage {
        if let minimumSize, minimumSize <= 0 {
            throw ImageError(path: name, kind: .invalidArgument,
                             reason: "minimumSize must be positive, got \(minimumSize)")
        }
        return try decodeScaled(data: data, name: name, longSideOnly: longSideOnly) { _, _ in minimumSize }
    }

    /// File variant of ``decodeScaled(data:name:longSideOnly:minimumSize:)``.
    public static func decodeScaled(path: String, longSideOnly: Bool = false,
                                    minimumSize: (_ width: Int, _ height: Int) -> Int?) throws -> DecodedImage {
        try decodeScaled(data: try FileIO.readAll(path: path), name: path, longSideOnly: longSideOnly, minimumSize: minimumSize)
    }

    /// Like ``decodeScaled(data:name:minimumSize:longSideOnly:)``, with the minimum size chosen
    /// from the file's full (stored, before EXIF rotation) width and height, read from its header
    /// before any pixel is decoded: for example from a tile plan that depends on the image size.
    /// A non-positive result counts as nil (full size).
    public static func decodeScaled(data: [UInt8], name: String = ImageError.memoryPath, longSideOnly: Bool = false,
                                    minimumSize: (_ width: Int, _ height: Int) -> Int?) throws -> DecodedImage {
        guard !data.isEmpty else {
            throw ImageError(path: name, kind: .empty, reason: "empty file")
        }
        switch ImageFormat.detect(data) {
        case .jpeg:
            let decoded = try JPEGDecoder.decode(data, name: name, longSideOnly: longSideOnly) { w, h in
                minimumSize(w, h).flatMap { $0 > 0 ? $0 : nil }
            }
            let orientation = ExifOrientation.read(fromJPEG: data)
            // Orientations 5-8 transpose the image.
            let swaps = (5...8).contains(orientation)
            return DecodedImage(image: decoded.image.applyingExifOrientation(orientation),
                                fullWidth: swaps ? decoded.height : decoded.width,
                                fullHeight: swaps ? decoded.width : decoded.height)
        case .png:
            let image = try PNGDecoder.decode(data, name: name)
            return DecodedImage(image: image, fullWidth: image.width, fullHeight: image.height)
        case .pnm:
            let image = try PNMDecoder.decode(data, name: name)
            return DecodedImage(image: image, fullWidth: image.width, fullHeight: image.height)
        case nil:
            let head = data.prefix(8).map { hex($0) }.joined(separator: " ")
            throw ImageError(path: name, kind: .unsupportedFormat,
                             reason: "not a PNG/JPEG/PPM file (starts with \(head))")
        }
    }

    /// Throws `.tooLarge` if `width * height` exceeds `maximumPixelCount`,
    /// `.corrupt` if a dimension is not positive.
    static func checkDimensions(width: Int, height: Int, name: String, format: String) throws {
        guard width > 0, height > 0 else {
            throw ImageError(path: name, kind: .corrupt, reason: "invalid \(format) dimensions \(width)x\(height)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maximumPixelCount else {
            throw ImageError(path: name, kind: .tooLarge,
                             reason: "\(format) image is \(width)x\(height), more than the \(maximumPixelCount / 1_000_000)-megapixel limit")
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
