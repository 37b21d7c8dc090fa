import Foundation
import ArgumentParser
import BlazeFace
import Imaging

extension NMSMethod: ExpressibleByArgument {}
extension ResizeMode: ExpressibleByArgument {}
extension BoxStyle: ExpressibleByArgument {}
extension InputNormalization: ExpressibleByArgument {}

extension TilingMode: ExpressibleByArgument {
    /// `off`, `auto`, or a number of levels.
    public init?(argument: String) {
        switch argument {
        case "off": self = .off
        case "auto": self = .auto
        default:
            guard let n = Int(argument), (1...8).contains(n) else { return nil }
            self = n == 1 ? .off : .levels(n)
        }
    }
}

/// The detector options shared by `detect`, `eval` and `bench`.
struct DetectorFlags: ParsableArguments {
    @Option(help: ArgumentHelp("A model name (\(ModelNames.list); see 'blazeface models') or a .tflite file. Default: $BLAZEFACE_MODEL, else front-int8 when present (scripts/setup.sh makes it), else front.",
                               valueName: "name|file"))
    var model: String?

    @Option(parsing: .unconditional, help: "Minimum face score, 0-1 (default: 0.5 for detect and bench; eval keeps low-scoring faces for AP: 0.01, or 0.001 with --protocol st).")
    var minScore: Float?

    @Option(parsing: .unconditional, help: "IoU threshold of non-max suppression (0-1).")
    var iou: Float = 0.3

    @Option(help: "Non-max suppression: weighted (MediaPipe; the default for one pass), hard (ST), or voting (hard, with near-duplicates' boxes averaged; the default with tiles).")
    var nms: NMSMethod?

    @Option(parsing: .unconditional, help: "At most this many faces per image.")
    var maxFaces: Int?

    @Option(help: "Fit to the square input: letterbox (keep aspect ratio, pad) or stretch.")
    var resize: ResizeMode = .letterbox

    @Option(help: "Pixel normalisation: automatic (from the model), unit ([0,1]) or symmetric ([-1,1]).")
    var normalize: InputNormalization = .automatic

    @Option(help: "Multi-scale tiling: off (one pass), auto (guided: the whole image and one dense level of tiles, then finer tiles only around the small faces found so far, down to --min-face, within --max-calls), or a number of dense levels 1-8.")
    var tiles: TilingMode = .off

    @Option(parsing: .unconditional, help: "With --tiles auto: the smallest face to look for, in image pixels.")
    var minFace: Float = 10

    @Option(help: ArgumentHelp("Explicit tile sides as fractions of the image's long side, e.g. 1,0.35,0.18 (overrides --tiles).", valueName: "f,f,..."))
    var tileSizes: String?

    @Option(parsing: .unconditional, help: "Fraction of a tile's side shared with each neighbour (0-0.9).")
    var tileOverlap: Float = 0.25

    @Option(parsing: .unconditional, help: "With --tiles auto: the most model calls for one image (guided tiles past it are skipped).")
    var maxCalls: Int = 200

    @Option(parsing: .unconditional, help: "With --tiles auto: a candidate face scoring at least this guides the finer tiles around it (lower: more calls, more small faces).")
    var guideScore: Float = 0.25

    @Option(parsing: .unconditional, help: "With --tiles auto: ...when its box spans at most this many model pixels at the finer tiles' scale.")
    var guideFace: Float = 36

    var tiling: TilingOptions {
        var t = TilingOptions(mode: tiles, minFace: minFace, overlap: tileOverlap, maxCalls: maxCalls,
                              guideScore: guideScore, guideFaceSize: guideFace)
        if let sizes = tileSizes { t.mode = .sizes(sizes.split(separator: ",").compactMap { Float(String($0)) }) }
        return t
    }

    func check() throws {
        func value<T>(_ v: T) -> String { "got \(v)" }
        guard minFace >= 1 && minFace.isFinite else { throw ValidationError("--min-face must be at least 1 pixel, \(value(minFace))") }
        guard (0...0.9).contains(tileOverlap) else { throw ValidationError("--tile-overlap must be between 0 and 0.9, \(value(tileOverlap))") }
        guard maxCalls >= 1 else { throw ValidationError("--max-calls must be at least 1, \(value(maxCalls))") }
        guard (0...1).contains(guideScore) else { throw ValidationError("--guide-score must be between 0 and 1, \(value(guideScore))") }
        guard guideFace > 0 && guideFace.isFinite else { throw ValidationError("--guide-face must be a positive number of model pixels, \(value(guideFace))") }
        if let sizes = tileSizes {
            let f = sizes.split(separator: ",").map { Float(String($0)) }
            guard !f.isEmpty, f.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 2) <= 1 }) else {
                throw ValidationError("--tile-sizes takes fractions in (0, 1] separated by commas, e.g. 1,0.35,0.18; got \(sizes)")
            }
        }
        if let m = minScore, !(0...1).contains(m) { throw ValidationError("--min-score must be between 0 and 1, \(value(m))") }
        guard (0...1).contains(iou) else { throw ValidationError("--iou must be between 0 and 1, \(value(iou))") }
        if let m = maxFaces, m < 1 { throw ValidationError("--max-faces must be at least 1, \(value(m))") }
        guard (1...100_000).contains(maxMegapixels) else { throw ValidationError("--max-megapixels must be between 1 and 100000, \(value(maxMegapixels))") }
        guard (16...1_000_000).contains(maxDecodeMemory) else { throw ValidationError("--max-decode-memory must be between 16 and 1000000 MB, \(value(maxDecodeMemory))") }
    }

    /// Applies the image limits process-wide (before any decode starts).
    func applyImageLimits() {
        ImageDecoder.maximumPixelCount = maxMegapixels * 1_000_000
        ImageDecoder.memoryBudget = maxDecodeMemory * 1_000_000
    }

    @Option(parsing: .unconditional, help: "Refuse images larger than this many megapixels (JPEG and WebP are decoded scaled, so large photos stay cheap).")
    var maxMegapixels: Int = 500

    @Option(parsing: .unconditional, help: "Megabytes that all image decodes share at once; an image that needs more (e.g. a huge progressive JPEG) is refused.")
    var maxDecodeMemory: Int = 200

    @Option(help: "Face boxes: model (the model's own: eyes to mouth; the default of detect) or wider (moved to WIDER FACE's hairline-to-chin boxes; the default of eval).")
    var box: BoxStyle?

    @Flag(help: "Report the model's raw boxes, which may reach past the image's edges (by default boxes are clipped to the image).")
    var rawBoxes = false

    var options: DetectorOptions {
        DetectorOptions(minScore: minScore ?? 0.5, iouThreshold: iou, nms: nms ?? (tiling.mode == .off ? .weighted : .voting),
                        maxFaces: maxFaces, resize: resize, normalization: normalize, boxStyle: box ?? .model, clipBoxes: !rawBoxes)
    }

    /// The detector for `--model` with these options (or `options`).
    func makeDetector(options: DetectorOptions? = nil) throws -> FaceDetector {
        applyImageLimits()
        let (path, family) = try ModelFiles.resolve(model)
        return try FaceDetector(modelPath: path, family: family, options: options ?? self.options)
    }
}
