import Synchronization

/// Decodes JPEG, PNG, WebP and binary/ASCII PPM/PGM images into `RGBImage`.
///
/// The format is detected from the magic bytes, never from the file name. Well-known formats
/// that are not supported (BMP, TIFF, GIF, HEIF, AVIF...) are named in the error: "BMP is not
/// supported; supported: JPEG, PNG, WebP, PPM/PGM". The path `"-"` means standard input (read
/// once, bounded by `maximumFileSize`, and kept for later reads of `"-"` in the process).
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
///   over **white**: `out = round((c * a + 255 * (255 - a)) / 255)` on the 8-bit
///   sRGB values, as a browser or viewer shows a transparent image on a white page.
/// - **WebP** is decoded by libwebp (lossy, lossless, alpha; animated files are
///   rejected). Alpha is composited over white as for PNG. With a minimum size,
///   libwebp's rescaler decodes at the same reduced scale a JPEG would get.
/// - **Memory**: before allocating, every decode reserves its working memory from
///   ``DecoderMemoryBudget/shared`` (``memoryBudget``, 200 MB by default), shared by all
///   threads; an image needing more than the whole budget (a tiny progressive JPEG that
///   declares 10000x10000 needs 800 MB of coefficients) is rejected with `.tooLarge`.
/// - **PPM/PGM**: `P6`/`P5` (binary) and `P3`/`P2` (ASCII), maxval 1...65535,
///   `#` comments in the header; samples are rescaled to 0...255 with rounding,
///   grey is replicated to RGB. `P1`, `P4` (bitmaps) and `P7` (PAM) are rejected.
public enum ImageDecoder {
    /// The default of ``maximumPixelCount``: 500 megapixels.
    public static let defaultMaximumPixelCount = 500_000_000
    /// The default of ``maximumFileSize``: 1 GiB.
    public static let defaultMaximumFileSize = 1 << 30

    private struct Settings {
        var pixels = ImageDecoder.defaultMaximumPixelCount
        var fileSize = ImageDecoder.defaultMaximumFileSize
    }
    private static let settings = Mutex(Settings())

    /// Images whose declared width x height exceeds this many pixels are rejected with
    /// `.tooLarge` before any pixel memory is allocated (decompression-bomb and time guard).
    /// Process-wide; 500 megapixels by default (JPEG and WebP are decoded scaled for detection,
    /// so a 102 MP camera photo costs a few megabytes). Values below 1 are taken as 1.
    public static var maximumPixelCount: Int {
        get { settings.withLock { $0.pixels } }
        set { settings.withLock { $0.pixels = max(1, newValue) } }
    }

    /// Files (and standard input) longer than this many bytes are rejected with `.tooLarge`
    /// before they are read. Process-wide; 1 GiB by default, at most 16 GiB.
    public static var maximumFileSize: Int {
        get { settings.withLock { $0.fileSize } }
        set { settings.withLock { $0.fileSize = min(max(1, newValue), 1 << 34) } }
    }

    /// The capacity in bytes of ``DecoderMemoryBudget/shared``, the decoder working memory all
    /// threads share: 200 MB by default.
    public static var memoryBudget: Int {
        get { DecoderMemoryBudget.shared.capacity }
        set { DecoderMemoryBudget.shared.capacity = newValue }
    }

    /// The limits one decode applies (internal: tests pass their own).
    struct Limits {
        var maximumPixelCount: Int
        var maximumFileSize: Int
        var budget: DecoderMemoryBudget

        static var current: Limits {
            let s = settings.withLock { $0 }
            return Limits(maximumPixelCount: s.pixels, maximumFileSize: s.fileSize, budget: .shared)
        }
    }

    /// The path that means standard input: `"-"`. Errors name it `<stdin>`.
    public static let standardInputPath = "-"

    /// Reads and decodes the image file at `path` (`"-"`: standard input).
    ///
    /// - Parameters:
    ///   - path: File to read.
    ///   - minimumSize: JPEG and WebP only; `nil` decodes at full resolution. Otherwise
    ///     the image is decoded at the *smallest* scaling factor `f <= 1` of libjpeg-turbo's
    ///     (1/8, 1/4, 3/8, ... 1) for which both `ceil(width * f)` and
    ///     `ceil(height * f)` are still `>= 2 * minimumSize` (so a model input of
    ///     `minimumSize` pixels is always produced by downscaling at least 2x,
    ///     keeping area-averaging quality). If even `f = 1` does not meet that,
    ///     the image is decoded at full size. PNG and PPM ignore it.
    /// - Returns: The upright RGB image.
    /// - Throws: `ImageError` naming `path` and the problem.
    public static func decode(path: String, minimumSize: Int? = nil) throws -> RGBImage {
        try decodeScaled(path: path, minimumSize: minimumSize).image
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
    ///   - path: The file to read (`"-"`: standard input).
    ///   - minimumSize: See `decode(path:minimumSize:)`.
    ///   - longSideOnly: Apply `minimumSize` to the longer side only. Enough for a letterbox,
    ///     where the long side maps to the model's side and the short side shrinks in proportion.
    /// - Throws: `ImageError` naming `path` and the problem.
    public static func decodeScaled(path: String, minimumSize: Int?, longSideOnly: Bool = false) throws -> DecodedImage {
        if let minimumSize, minimumSize <= 0 {
            throw ImageError(path: path, kind: .invalidArgument,
                             reason: "minimumSize must be positive, got \(minimumSize)")
        }
        return try decodeScaled(path: path, longSideOnly: longSideOnly) { _, _ in minimumSize }
    }

    /// In-memory variant of ``decodeScaled(path:minimumSize:longSideOnly:)``.
    public static func decodeScaled(data: [UInt8], name: String = ImageError.memoryPath,
                                    minimumSize: Int?, longSideOnly: Bool = false) throws -> DecodedImage {
        if let minimumSize, minimumSize <= 0 {
            throw ImageError(path: name, kind: .invalidArgument,
                             reason: "minimumSize must be positive, got \(minimumSize)")
        }
        return try decodeScaled(data: data, name: name, longSideOnly: longSideOnly) { _, _ in minimumSize }
    }

    /// File variant of ``decodeScaled(data:name:longSideOnly:minimumSize:)``; `"-"` reads
    /// standard input.
    public static func decodeScaled(path: String, longSideOnly: Bool = false,
                                    minimumSize: (_ width: Int, _ height: Int) -> Int?) throws -> DecodedImage {
        let limits = Limits.current
        let bytes = try FileIO.readAll(path: path, limit: limits.maximumFileSize)
        let name = path == standardInputPath ? FileIO.standardInputName : path
        return try decodeScaled(data: bytes, name: name, longSideOnly: longSideOnly, limits: limits, minimumSize: minimumSize)
    }

    /// Like ``decodeScaled(data:name:minimumSize:longSideOnly:)``, with the minimum size chosen
    /// from the file's full (stored, before EXIF rotation) width and height, read from its header
    /// before any pixel is decoded: for example from a tile plan that depends on the image size.
    /// A non-positive result counts as nil (full size).
    public static func decodeScaled(data: [UInt8], name: String = ImageError.memoryPath, longSideOnly: Bool = false,
                                    minimumSize: (_ width: Int, _ height: Int) -> Int?) throws -> DecodedImage {
        try decodeScaled(data: data, name: name, longSideOnly: longSideOnly, limits: .current, minimumSize: minimumSize)
    }

    /// Decodes with explicit limits.
    static func decodeScaled(data: [UInt8], name: String, longSideOnly: Bool, limits: Limits,
                             minimumSize: (_ width: Int, _ height: Int) -> Int?) throws -> DecodedImage {
        guard !data.isEmpty else {
            throw ImageError(path: name, kind: .empty, reason: "empty file")
        }
        let chooseSize = { (w: Int, h: Int) -> Int? in minimumSize(w, h).flatMap { $0 > 0 ? $0 : nil } }
        switch ImageFormat.detect(data) {
        case .jpeg:
            let decoded = try JPEGDecoder.decode(data, name: name, longSideOnly: longSideOnly, limits: limits, minimumSize: chooseSize)
            let orientation = ExifOrientation.read(fromJPEG: data)
            // Orientations 5-8 transpose the image.
            let swaps = (5...8).contains(orientation)
            return DecodedImage(image: decoded.image.applyingExifOrientation(orientation),
                                fullWidth: swaps ? decoded.height : decoded.width,
                                fullHeight: swaps ? decoded.width : decoded.height)
        case .webp:
            let decoded = try WebPDecoder.decode(data, name: name, longSideOnly: longSideOnly, limits: limits, minimumSize: chooseSize)
            return DecodedImage(image: decoded.image, fullWidth: decoded.width, fullHeight: decoded.height)
        case .png:
            let image = try PNGDecoder.decode(data, name: name, limits: limits)
            return DecodedImage(image: image, fullWidth: image.width, fullHeight: image.height)
        case .pnm:
            let image = try PNMDecoder.decode(data, name: name, limits: limits)
            return DecodedImage(image: image, fullWidth: image.width, fullHeight: image.height)
        case nil:
            let head = Array(data.prefix(16))
            if let format = ImageFormat.unsupportedFormatName(head) {
                throw ImageError(path: name, kind: .unsupportedFormat,
                                 reason: "\(format) is not supported; supported: \(ImageFormat.supportedNames)")
            }
            let hexHead = data.prefix(8).map { hex($0) }.joined(separator: " ")
            throw ImageError(path: name, kind: .unsupportedFormat,
                             reason: "not a supported image (starts with \(hexHead)); supported: \(ImageFormat.supportedNames)")
        }
    }

    /// Throws `.tooLarge` if `width * height` exceeds `limits.maximumPixelCount`,
    /// `.corrupt` if a dimension is not positive.
    static func checkDimensions(width: Int, height: Int, name: String, format: String, limits: Limits) throws {
        guard width > 0, height > 0 else {
            throw ImageError(path: name, kind: .corrupt, reason: "invalid \(format) dimensions \(width)x\(height)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        let limit = limits.maximumPixelCount
        guard !overflow, pixels <= limit else {
            let shown = limit >= 1_000_000 ? "\(limit / 1_000_000)-megapixel" : "\(limit)-pixel"
            throw ImageError(path: name, kind: .tooLarge,
                             reason: "\(format) image is \(width)x\(height), more than the \(shown) limit")
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
