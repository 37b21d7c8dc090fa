import ArgumentParser
import BlazeFace
import Dispatch
import FaceFormats
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
        exit status is 1 if any failed. Videos (.mp4, .mkv, .webm... through ffmpeg) and --stream \
        WxH (raw RGB frames on standard input) give one JSON line per frame, written as soon as \
        the frame is done, with each face's track ID.
        """
    )

    @Argument(help: "Image files or directories (JPEG, PNG, WebP, PPM/PGM, recognised by content), - for standard input, or video files.")
    var paths: [String] = []

    @OptionGroup var detector: DetectorFlags

    @Option(parsing: .unconditional, help: "Images processed in parallel.")
    var threads: Int = 1

    @Option(help: ArgumentHelp("Output format: " + FaceFormat.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: ", ") + ".",
                               valueName: "format"))
    var format: FaceFormat?

    @Option(name: .shortAndLong, help: "Write results to this file (or folder, for wider) instead of standard output.")
    var output: String?

    @Option(help: "Write annotated copies of the images into this folder, mirroring the inputs' paths (never over an input).")
    var draw: String?

    @Option(name: .customLong("draw-style"), help: "What --draw marks: a comma-separated list of box, score, keypoints, or all.")
    var drawStyle: String = "all"

    @Option(help: ArgumentHelp("Process only shard I of N (0-based): the images whose path relative to their folder hashes to I; N processes together cover the inputs once.",
                               valueName: "I/N"))
    var shard: Shard?

    @Flag(help: "Skip the images already in the --output JSON lines file and append the rest (restart a killed job where it stopped).")
    var resume = false

    @OptionGroup var video: VideoFlags

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
        try detector.check()
        if isVideoMode {
            guard shard == nil, !resume else { throw ValidationError("--shard and --resume are for images, not videos or --stream") }
            return try validateVideo()
        }
        guard !paths.isEmpty else { throw ValidationError("give images (files, folders or -), videos, or --stream WIDTHxHEIGHT") }
        guard !video.isSet else { throw ValidationError("--fps, --hold, --detect-every and --track-score are for videos and --stream") }
        let format = format ?? .json
        if format.writesFolder && output == nil { throw ValidationError("--format \(format.rawValue) needs --output DIR") }
        if case .failure(let e) = DrawStyle.parse(drawStyle) { throw ValidationError("--draw-style: \(e)") }
        if resume && (format != .jsonl || output == nil) { throw ValidationError("--resume needs --format jsonl and --output FILE") }
    }

    /// The inputs, less those of other shards (`--shard`) and those already done (`--resume`).
    func selectedFiles() throws -> ImageFiles {
        var files = ImageFiles(paths)
        if let shard {
            files.items = files.items.filter { shard.owns($0.relative) }
            files.missing = files.missing.filter { shard.owns($0.path) }
        }
        if resume, let output {
            let done = try reportingErrors { try ResumeLog.completedPaths(in: output) }
            files.items = files.items.filter { !done.contains($0.path) }
            files.missing = files.missing.filter { !done.contains($0.path) }
        }
        return files
    }

    func run() throws {
        if isVideoMode { return try runVideo() }
        let format = format ?? .json
        let detectorInstance = try reportingErrors { try detector.makeDetector() }
        let files = try selectedFiles()
        let batch = BatchDetection(detector: detectorInstance, tiling: detector.tiling, threads: threads, draw: try planDrawing(files))
        var writer = try reportingErrors { try format.makeWriter(output: output, append: resume) }
        let tiled = detector.tiling.mode != .off
        var tally = Tally()
        // A path that does not exist gets its error record too, so no input goes unreported.
        for m in files.missing {
            tally.fail("\(m.path): \(m.reason)")
            try reportingErrors { try writer.write(ImageFaces(path: m.path, width: 0, height: 0, faces: [], error: m.reason)) }
        }
        let progress = Progress(total: files.items.count)
        let start = DispatchTime.now()
        // In batches, so that results stream out in input order with bounded memory.
        try batch.runAll(files.items, batchSize: max(8, threads * 8)) { results in
            for r in results {
                if let e = r.error { tally.fail(e) } else if let d = r.detection { tally.add(d, path: r.item.path) }
                try reportingErrors { try writer.write(r.record(reportCalls: tiled)) }
            }
            progress.update(done: tally.images + tally.failed, faces: tally.faces)
        }
        try reportingErrors { try writer.finish() }
        progress.finish()
        printError(tally.summary(seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, tiled: tiled))
        if tally.failed > 0 { throw ExitCode.failure }
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
}

extension FaceFormat: ExpressibleByArgument {}
