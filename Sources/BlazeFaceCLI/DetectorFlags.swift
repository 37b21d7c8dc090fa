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
    @Option(help: ArgumentHelp("A model name (\(ModelNames.list); see 'blazeface models') or a .tflite file. Default: $BLAZEFACE_MODEL, else front.",
                               valueName: "name|file"))
    var model: String?

    @Option(help: "Minimum face score (0-1).")
    var minScore: Float = 0.5

    @Option(help: "IoU threshold of non-max suppression (0-1).")
    var iou: Float = 0.3

    @Option(help: "Non-max suppression: weighted (MediaPipe; the default for one pass), hard (ST), or voting (hard, with near-duplicates' boxes averaged; the default with tiles).")
    var nms: NMSMethod?

    @Option(help: "At most this many faces per image.")
    var maxFaces: Int?

    @Option(help: "Fit to the square input: letterbox (keep aspect ratio, pad) or stretch.")
    var resize: ResizeMode = .letterbox

    @Option(help: "Pixel normalisation: automatic (from the model), unit ([0,1]) or symmetric ([-1,1]).")
    var normalize: InputNormalization = .automatic

    @Option(help: "Multi-scale tiling: off (one pass), auto (whole image and 1/3-size tiles, then finer tiles only where smaller faces were found, down to --min-face), or a number of levels 1-8.")
    var tiles: TilingMode = .off

    @Option(help: "With --tiles auto: the smallest face to look for, in image pixels.")
    var minFace: Float = 10

    @Option(help: ArgumentHelp("Explicit tile sides as fractions of the image's long side, e.g. 1,0.35,0.18 (overrides --tiles).", valueName: "f,f,..."))
    var tileSizes: String?

    @Option(help: "Fraction of a tile's side shared with each neighbour (0-0.9).")
    var tileOverlap: Float = 0.25

    @Option(help: "With --tiles auto: the most model calls for one image (guided tiles past it are skipped).")
    var maxCalls: Int = 200

    @Option(help: "With --tiles auto: a candidate face scoring at least this guides the finer tiles around it (lower: more calls, more small faces).")
    var guideScore: Float = 0.25

    @Option(help: "With --tiles auto: ...when its box spans at most this many model pixels at the finer tiles' scale.")
    var guideFace: Float = 36

    var tiling: TilingOptions {
        var t = TilingOptions(mode: tiles, minFace: minFace, overlap: tileOverlap, maxCalls: maxCalls,
                              guideScore: guideScore, guideFaceSize: guideFace)
        if let sizes = tileSizes { t.mode = .sizes(sizes.split(separator: ",").compactMap { Float(String($0)) }) }
        return t
    }

    func check() throws {
        guard minFace >= 1 else { throw ValidationError("--min-face must be at least 1 pixel") }
        guard (0...0.9).contains(tileOverlap) else { throw ValidationError("--tile-overlap must be between 0 and 0.9") }
        guard maxCalls >= 1 else { throw ValidationError("--max-calls must be at least 1") }
        guard (0...1).contains(guideScore) else { throw ValidationError("--guide-score must be between 0 and 1") }
        guard guideFace > 0 && guideFace.isFinite else { throw ValidationError("--guide-face must be a positive number of model pixels") }
        if let sizes = tileSizes {
            let f = sizes.split(separator: ",").map { Float(String($0)) }
            guard !f.isEmpty, f.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 2) <= 1 }) else {
                throw ValidationError("--tile-sizes takes fractions in (0, 1] separated by commas, e.g. 1,0.35,0.18")
            }
        }
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be between 0 and 1") }
        guard (0...1).contains(iou) else { throw ValidationError("--iou must be between 0 and 1") }
        if let m = maxFaces, m < 1 { throw ValidationError("--max-faces must be at least 1") }
    }

    @Option(help: "Face boxes: model (the model's own: eyes to mouth; the default of detect) or wider (moved to WIDER FACE's hairline-to-chin boxes; the default of eval).")
    var box: BoxStyle?

    var options: DetectorOptions {
        DetectorOptions(minScore: minScore, iouThreshold: iou, nms: nms ?? (tiling.mode == .off ? .weighted : .voting),
                        maxFaces: maxFaces, resize: resize, normalization: normalize, boxStyle: box ?? .model)
    }

    /// The detector for `--model` with these options (or `options`).
    func makeDetector(options: DetectorOptions? = nil) throws -> FaceDetector {
        let (path, family) = try ModelFiles.resolve(model)
        return try FaceDetector(modelPath: path, family: family, options: options ?? self.options)
    }
}
