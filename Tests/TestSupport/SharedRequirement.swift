import Foundation
import Testing

/// Data that only `../shared` has (it is not redistributable or too large to fetch), named so a
/// skipped test can say exactly what it was missing.
public enum SharedResource: String, Sendable, CaseIterable {
    /// ST's int8 BlazeFace file (`models/blazeface_front_128_quant_pc_ff_od_wider_face.tflite`).
    case int8Model = "ST's int8 model (models/blazeface_front_128_quant_pc_ff_od_wider_face.tflite)"
    /// Every intermediate tensor of the int8 and float models from TFLite's reference kernels.
    case golden = "golden tensors (golden/)"
    /// The 203 WIDER FACE validation images and the official ground truth.
    case wider = "WIDER FACE validation data (data/wider_face/)"
    /// Sample photos with published reference detections.
    case samples = "sample photos (data/samples/)"
    /// 300 WIDER FACE training photos with boxes, for calibrating quantization (never evaluated on).
    case calibration = "WIDER FACE calibration photos (data/wider_train_calib/)"

    /// A file or folder whose presence stands for the whole resource.
    var probe: String {
        switch self {
        case .int8Model: return "models/blazeface_front_128_quant_pc_ff_od_wider_face.tflite"
        case .golden: return "golden/st_int8/noise/manifest.json"
        case .wider: return "data/wider_face/wider_face_split/wider_face_val_bbx_gt.txt"
        case .samples: return "data/samples/photos/1.jpg"
        case .calibration: return "data/wider_train_calib/annotations.txt"
        }
    }

    /// True when the resource is on disk under ``SharedData/root``.
    public var isPresent: Bool { FileManager.default.fileExists(atPath: SharedData.path(probe)) }
}

extension SharedData {
    /// True when the tests run in CI (`CI=true`): there, missing shared data is a failure, not a skip.
    public static var isCI: Bool {
        let v = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return v == "true" || v == "1" || v == "yes"
    }

    /// The resources among `needed` that are missing.
    public static func missing(_ needed: [SharedResource]) -> [SharedResource] { needed.filter { !$0.isPresent } }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when `resources` are in `../shared` (or `$BLAZEFACE_SHARED`); otherwise
    /// the test is skipped with a line naming what is missing. In CI (`CI=true`) the test always
    /// runs, so missing data fails it instead of skipping it.
    public static func requires(_ resources: SharedResource...) -> Self {
        let names = resources.map(\.rawValue).joined(separator: ", ")
        return .enabled(
            if: SharedData.isCI || SharedData.missing(resources).isEmpty,
            Comment(rawValue: "needs \(names) from \(SharedData.root) (set BLAZEFACE_SHARED to point elsewhere)")
        )
    }
}

/// Finds an executable on `PATH`.
public func toolOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when the `tools` are on `PATH` (skipped with their names and the Debian
    /// packages that bring them otherwise). In CI (`CI=true`) the test always runs: `.ci/run`
    /// installs them, so a missing tool fails the test.
    public static func requiresTools(_ tools: String..., packages: String) -> Self {
        .enabled(
            if: SharedData.isCI || tools.allSatisfy { toolOnPath($0) != nil },
            Comment(rawValue: "needs \(tools.joined(separator: ", ")) on PATH (Debian: apt-get install \(packages))")
        )
    }
}
