import ArgumentParser
import BlazeFace
import Imaging

extension NMSMethod: ExpressibleByArgument {}
extension ResizeMode: ExpressibleByArgument {}
extension InputNormalization: ExpressibleByArgument {}

/// The detector options shared by `detect`, `eval` and `bench`.
struct DetectorFlags: ParsableArguments {
    @Option(help: "Model file, or 'float' (MediaPipe's, installed by scripts/setup.sh) or 'int8' (ST's, from $BLAZEFACE_INT8_MODEL or ../shared/models).")
    var model: String?

    @Option(help: "Minimum face score (0-1).")
    var minScore: Float = 0.5

    @Option(help: "IoU threshold of non-max suppression (0-1).")
    var iou: Float = 0.3

    @Option(help: "Non-max suppression: weighted (MediaPipe) or hard (ST).")
    var nms: NMSMethod = .weighted

    @Option(help: "At most this many faces per image.")
    var maxFaces: Int?

    @Option(help: "Fit to the square input: letterbox (keep aspect ratio, pad) or stretch.")
    var resize: ResizeMode = .letterbox

    @Option(help: "Pixel normalisation: automatic (from the model), unit ([0,1]) or symmetric ([-1,1]).")
    var normalize: InputNormalization = .automatic

    func check() throws {
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be between 0 and 1") }
        guard (0...1).contains(iou) else { throw ValidationError("--iou must be between 0 and 1") }
        if let m = maxFaces, m < 1 { throw ValidationError("--max-faces must be at least 1") }
    }

    var options: DetectorOptions {
        DetectorOptions(minScore: minScore, iouThreshold: iou, nms: nms, maxFaces: maxFaces, resize: resize, normalization: normalize)
    }

    func makeDetector() throws -> FaceDetector {
        try FaceDetector(modelPath: try ModelLocator.resolve(model), options: options)
    }
}
