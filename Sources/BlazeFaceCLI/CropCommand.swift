import Anonymizer
import ArgumentParser
import BlazeFace
import Foundation
import Imaging

/// `blazeface crop INPUT... -o DIR`: one aligned square crop per face.
struct CropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crop",
        abstract: "Cut one aligned square per face, eyes level (input for face recognition models).",
        discussion: """
        Each face is turned upright from its eyes' keypoints (rotation, scale and translation; the \
        keypoints are re-measured on the aligned crop, --passes times), \
        sampled bilinearly and saved as <image>_face<k>.png (k = 1, 2... in the detector's order) \
        under DIR, mirroring the inputs' relative paths. Pixels outside the photo are black.
        """
    )

    @Argument(help: "Photos or folders (searched recursively).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String

    @Option(help: "Side of each crop in pixels (112 for ArcFace-style models).")
    var size: Int = 112

    @Option(help: "Margin on each side, as a fraction of the face box (0.25: the crop is 1.5 face boxes wide).")
    var margin: Float = 0.25

    @Option(help: "Alignment passes: the detector runs again on each aligned crop to re-measure the eyes (BlazeFace understates a tilt); 0 uses the first keypoints.")
    var passes: Int = 2

    @OptionGroup var faces: FaceFlags

    func validate() throws {
        try faces.check()
        guard (8...4096).contains(size) else { throw ValidationError("--size must be between 8 and 4096 pixels") }
        guard margin >= 0 && margin <= 5 else { throw ValidationError("--margin must be between 0 and 5") }
        guard (0...5).contains(passes) else { throw ValidationError("--passes must be between 0 and 5") }
        if inputs.contains(ImageDecoder.standardInputPath) { throw ValidationError("crop reads files, not standard input ('-')") }
    }

    /// `out/<relative path without extension>` for an input.
    static func stem(_ e: OutputPlan.Entry, output: String) -> String {
        DrawTargets.absolute(output) + "/" + (e.relative as NSString).deletingPathExtension
    }

    func run() throws {
        var plan = OutputPlan(paths: inputs, output: output + "/", videos: false)
        for i in plan.entries.indices { plan.entries[i].target = Self.stem(plan.entries[i], output: output) }
        // A crop name that is an input (an earlier crop given back as input, in the same folder).
        let inputs = Set(plan.entries.map { DrawTargets.resolved(DrawTargets.absolute($0.input)) })
        var failures = plan.missing
        for m in plan.missing { printError("error: \(m)") }
        let detector = try reportingErrors { try faces.makeDetector() }
        let cropper = FaceCropper(size: size, margin: margin)
        var total = 0
        for e in plan.entries {
            do {
                let image = try ImageDecoder.decode(path: e.input)
                let found = detector.detect(in: image, options: DetectionOptions(tiling: faces.tiling)).faces
                if !found.isEmpty {
                    try FileManager.default.createDirectory(atPath: (e.target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                }
                for (k, face) in found.enumerated() {
                    let target = "\(e.target)_face\(k + 1).png"
                    if inputs.contains(DrawTargets.resolved(target)) {
                        printError("error: \(target) would overwrite an input; choose another -o")
                        throw ExitCode(64)
                    }
                    let aligned = cropper.refined(face, in: image, detector: detector, passes: passes)
                    try ImageEncoder().write(cropper.crop(image, face: aligned), to: target, format: .png)
                }
                total += found.count
            } catch let e as ExitCode {
                throw e
            } catch {
                failures.append("\(error)")
                printError("error: \(error)")
            }
        }
        printError("\(plan.entries.count) images, \(total) faces cropped to \(size)x\(size)")
        if !failures.isEmpty {
            printError("failed: \(failures.count)")
            for f in failures { printError("  \(f)") }
            throw ExitCode.failure
        }
    }
}
