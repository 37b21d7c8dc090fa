import ArgumentParser
import BlazeFace
import Dispatch
import Foundation
import Imaging

/// `blazeface detect PATH...`: faces in images, as JSON, JSON lines, CSV or WIDER files.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Find faces in images (files, or directories searched recursively).",
        discussion: """
        Prints one record per image to standard output (or --output). Coordinates are pixels of \
        the full-resolution image: box x, y (top-left), width, height; six keypoints. A file that \
        cannot be read is reported on standard error; the others are still processed, and the \
        exit status is 1 if any failed.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, jsonl, csv, wider }

    @Argument(help: "Image files or directories (JPEG, PNG, PPM/PGM).")
    var paths: [String]

    @OptionGroup var detector: DetectorFlags

    @Option(help: "Images processed in parallel.")
    var threads: Int = 1

    @Option(help: "Output format: json, jsonl, csv, or wider (one text file per image under --output).")
    var format: Format = .json

    @Option(name: .shortAndLong, help: "Write results to this file (json/jsonl/csv) or folder (wider) instead of standard output.")
    var output: String?

    @Option(help: "Write annotated copies of the images into this folder, mirroring the inputs' paths (never over an input).")
    var draw: String?

    @Option(name: .customLong("draw-style"), help: "What --draw marks: a comma-separated list of box, score, keypoints, or all.")
    var drawStyle: String = "all"

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        if format == .wider && output == nil { throw ValidationError("--format wider needs --output DIR") }
        try detector.check()
        if case .failure(let e) = DrawStyle.parse(drawStyle) { throw ValidationError("--draw-style: \(e)") }
    }

    func run() throws {
        let detectorInstance = try reportingErrors { try detector.makeDetector() }
        let files = ImageFiles(paths)
        for m in files.missing { printError("error: \(m.path): \(m.reason)") }
        let drawPlan = try planDrawing(files)
        var writer = try reportingErrors { try ResultWriter(format: format, output: output) }
        writer.reportsModelCalls = detector.tiling.mode != .off
        let total = files.items.count
        let progress = Progress(total: total)
        let start = DispatchTime.now()
        var faces = 0, calls = 0
        var failures = files.missing.map { "\($0.path): \($0.reason)" }
        // Process in batches so that results stream out in input order with bounded memory.
        let batchSize = max(8, threads * 8)
        var index = 0
        while index < total {
            let batch = Array(files.items[index..<min(total, index + batchSize)])
            let results = Self.process(batch, detector: detectorInstance, threads: threads, draw: drawPlan, tiling: detector.tiling)
            for r in results {
                calls += r.modelCalls
                if let e = r.error {
                    failures.append(e)
                    printError("error: \(e)")
                } else {
                    faces += r.faces.count
                }
                try reportingErrors { try writer.write(r) }
            }
            index += batch.count
            progress.update(done: index, faces: faces)
        }
        try reportingErrors { try writer.finish() }
        progress.finish()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let rate = seconds > 0 ? Double(total) / seconds : 0
        var summary = String(format: "%d images, %d faces, %d failed, %.1f images/s", total, faces, failures.count, rate)
        if detector.tiling.mode != .off && total > 0 { summary += String(format: ", %.1f model calls per image", Double(calls) / Double(total)) }
        printError(summary)
        if !failures.isEmpty {
            printError("failed:")
            for f in failures { printError("  \(f)") }
            throw ExitCode.failure
        }
    }

    /// The result for one image.
    struct Result {
        var item: ImageFiles.Item
        var width = 0
        var height = 0
        var faces: [Face] = []
        var modelCalls = 0
        var error: String?
    }

    /// Where annotated copies go, and what they show.
    struct DrawPlan {
        var targets: DrawTargets
        var style: DrawStyle
    }

    /// The `--draw` plan, or nil without `--draw`; refuses (exit 64) a folder that would overwrite an input.
    func planDrawing(_ files: ImageFiles) throws -> DrawPlan? {
        guard let draw else { return nil }
        guard case .success(let style) = DrawStyle.parse(drawStyle) else { return nil }
        do {
            return DrawPlan(targets: try DrawTargets(items: files.items, roots: paths, folder: draw), style: style)
        } catch {
            printError("error: \(error)")
            throw ExitCode(64)
        }
    }

    static func process(_ batch: [ImageFiles.Item], detector: FaceDetector, threads: Int, draw: DrawPlan?,
                        tiling: TilingOptions = TilingOptions()) -> [Result] {
        parallelMap(count: batch.count, threads: threads) { i in
            let item = batch[i]
            var r = Result(item: item)
            do {
                if tiling.mode == .off {
                    let decoded = try detector.decodeForDetection(path: item.path)
                    r.width = decoded.fullWidth
                    r.height = decoded.fullHeight
                    r.faces = detector.detect(in: decoded)
                    r.modelCalls = 1
                } else {
                    // Decoded at the scale the finest tile needs.
                    let decoded = try detector.decodeForTiling(path: item.path, tiling: tiling)
                    r.width = decoded.fullWidth
                    r.height = decoded.fullHeight
                    // A lone image gets the threads for its tiles; a batch spreads them over images.
                    let tiled = detector.detect(in: decoded, tiling: tiling, threads: batch.count == 1 ? threads : 1)
                    r.faces = tiled.faces
                    r.modelCalls = tiled.modelCalls
                }
                if let draw, let target = draw.targets.targets[item.path] {
                    try Annotator.write(path: item.path, faces: r.faces, style: draw.style, to: target)
                }
            } catch {
                r.error = "\(error)"
            }
            return r
        }
    }
}

