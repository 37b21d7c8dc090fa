import Anonymizer
import BlazeFace
import Imaging

/// The options of one request, read from its query string: the `detect` command's flags under
/// snake_case names (`model`, `min_score`, `iou`, `nms`, `max_faces`, `tiles`, `box`,
/// `raw_boxes`, `name`), and for `/v1/anonymize` also `method`, `shape` and `format`.
/// An unknown parameter or a bad value is a 400 naming it.
struct RequestOptions: Sendable {
    var model: String?
    var detector = DetectorOptions()
    var tiling = TilingOptions()
    /// The record's `path` (the upload has none): `name`, else `upload`.
    var name = "upload"
    var mask = MaskOptions()
    /// The anonymized image's format; nil: the upload's.
    var format: ImageFormat?

    static let detectKeys: Set<String> = ["model", "min_score", "iou", "nms", "max_faces", "tiles", "box", "raw_boxes", "name"]
    static let anonymizeKeys = detectKeys.union(["method", "shape", "format"])

    /// Parses `query` (name, value pairs) with the names in `allowed`.
    init(query: [(String, String)], allowed: Set<String>) throws {
        var nmsGiven: NMSMethod?
        for (key, value) in query {
            guard allowed.contains(key) else {
                throw ServiceError.parameter(key, "unknown (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            switch key {
            case "model": model = value
            case "name": name = value
            case "min_score": detector.minScore = try Self.number(key, value, in: 0...1)
            case "iou": detector.iouThreshold = try Self.number(key, value, in: 0...1)
            case "max_faces": detector.maxFaces = try Self.integer(key, value, in: 1...10_000)
            case "nms": nmsGiven = try Self.choice(key, value, NMSMethod.self)
            case "box": detector.boxStyle = try Self.choice(key, value, BoxStyle.self)
            case "raw_boxes": detector.clipBoxes = !(try Self.flag(key, value))
            case "tiles": tiling.mode = try Self.tiles(value)
            case "method": mask.style = try Self.choice(key, value, MaskStyle.self)
            case "shape": mask.shape = try Self.choice(key, value, MaskShape.self)
            default: format = try Self.format(value)
            }
        }
        // As `detect`: weighted NMS for one pass, voting for tiles, unless asked.
        detector.nms = nmsGiven ?? (tiling.mode == .off ? .weighted : .voting)
    }

    static func number(_ key: String, _ value: String, in range: ClosedRange<Float>) throws -> Float {
        guard let v = Float(value), range.contains(v) else {
            throw ServiceError.parameter(key, "expected a number in \(range.lowerBound)...\(range.upperBound), got '\(value.prefix(40))'")
        }
        return v
    }

    static func integer(_ key: String, _ value: String, in range: ClosedRange<Int>) throws -> Int {
        guard let v = Int(value), range.contains(v) else {
            throw ServiceError.parameter(key, "expected an integer in \(range.lowerBound)...\(range.upperBound), got '\(value.prefix(40))'")
        }
        return v
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ value: String, _: T.Type) throws -> T where T.RawValue == String {
        guard let v = T(rawValue: value) else {
            throw ServiceError.parameter(key, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(value.prefix(40))'")
        }
        return v
    }

    static func flag(_ key: String, _ value: String) throws -> Bool {
        switch value {
        case "", "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw ServiceError.parameter(key, "expected true or false, got '\(value.prefix(40))'")
        }
    }

    /// `off`, `auto`, or a number of levels 1-8, as `detect --tiles`.
    static func tiles(_ value: String) throws -> TilingMode {
        switch value {
        case "off", "1": return .off
        case "auto": return .auto
        default:
            guard let n = Int(value), (2...8).contains(n) else {
                throw ServiceError.parameter("tiles", "expected off, auto or a number of levels 1-8, got '\(value.prefix(40))'")
            }
            return .levels(n)
        }
    }

    /// `jpeg`, `png` or `webp`.
    static func format(_ value: String) throws -> ImageFormat {
        switch value.lowercased() {
        case "jpeg", "jpg": return .jpeg
        case "png": return .png
        case "webp": return .webp
        default: throw ServiceError.parameter("format", "expected jpeg, png or webp, got '\(value.prefix(40))'")
        }
    }
}
