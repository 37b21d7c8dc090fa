import Anonymizer
import ArgumentParser
import BlazeFace
import Dispatch
import Foundation
import Imaging
#if canImport(Glibc)
import Glibc
#endif

extension MaskStyle: ExpressibleByArgument {}
extension MaskShape: ExpressibleByArgument {}

/// The detector flags of `anonymize` and `crop`.
struct FaceFlags: ParsableArguments {
    @Option(help: ArgumentHelp("A model name (\(ModelNames.list); see 'blazeface models') or a .tflite file. Default: $BLAZEFACE_MODEL, else front-int8 when present, else front.",
                               valueName: "name|file"))
    var model: String?

    @Option(help: "Minimum face score (0-1).")
    var minScore: Float = 0.5

    @Option(help: "Multi-scale tiling for small faces: off (one pass), auto, or a number of levels 1-8.")
    var tiles: TilingMode = .off

    @Option(help: "With --tiles auto: the smallest face to look for, in image pixels.")
    var minFace: Float = 10

    @Option(help: ArgumentHelp("Explicit tile sides as fractions of the image's long side, every tile run on every image or frame, e.g. 1,0.25 (overrides --tiles; for a video, a fixed grid at the scale of its faces).",
                               valueName: "f,f,..."))
    var tileSizes: String?

    @Option(parsing: .unconditional, help: "Fraction of a tile's side shared with each neighbour (0-0.9).")
    var tileOverlap: Float = 0.25

    func check() throws {
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be between 0 and 1, got \(minScore)") }
        guard minFace >= 1 else { throw ValidationError("--min-face must be at least 1 pixel, got \(minFace)") }
        guard (0...0.9).contains(tileOverlap) else { throw ValidationError("--tile-overlap must be between 0 and 0.9, got \(tileOverlap)") }
        if let tileSizes, Self.fractions(tileSizes) == nil {
            throw ValidationError("--tile-sizes takes fractions in (0, 1] separated by commas, e.g. 1,0.25; got \(tileSizes)")
        }
    }

    /// The fractions of `--tile-sizes`, or nil when one is not a number in (0, 1].
    static func fractions(_ text: String) -> [Float]? {
        let f = text.split(separator: ",").map { Float(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !f.isEmpty else { return nil }
        var out: [Float] = []
        for v in f {
            guard let v, v > 0, v <= 1 else { return nil }
            out.append(v)
        }
        return out
    }

    /// Whether a tiled plan runs (then duplicates across tiles are merged by voting NMS).
    var tiled: Bool { tiles != .off || tileSizes != nil }

    var tiling: TilingOptions {
        var t = TilingOptions(mode: tiles, minFace: minFace, overlap: tileOverlap)
        if let tileSizes, let f = Self.fractions(tileSizes) { t.mode = .sizes(f) }
        return t
    }

    /// The detector; `minScore` overrides `--min-score` (a video's tracker runs it lower).
    func makeDetector(minScore: Float? = nil) throws -> FaceDetector {
        let options = DetectorOptions(minScore: minScore ?? self.minScore, nms: tiled ? .voting : .weighted, boxStyle: .model)
        let (path, family) = try ModelFiles.resolve(model)
        return try FaceDetector(modelPath: path, family: family, options: options)
    }
}

/// Inputs of `anonymize` and `crop`, with their output paths decided before anything is written.
struct OutputPlan {
    static let videoExtensions: Set<String> = ["mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "mts", "m2ts", "wmv", "flv", "3gp", "ogv"]

    struct Entry {
        var input: String
        /// The input's path relative to the deepest folder holding every input (mirrored under OUT).
        var relative: String
        var isVideo: Bool
        /// The output file (anonymize) or the output folder's path prefix (crop: `<dir>/<rel stem>`).
        var target: String
    }

    var entries: [Entry] = []
    var missing: [String] = []

    /// Finds the inputs (files as given; folders searched recursively for images, and videos when
    /// `videos`) and plans `OUT`: a file when there is one input file and OUT has its kind of
    /// extension, else a folder mirroring the inputs' relative paths.
    init(paths: [String], output: String, videos: Bool) {
        let fm = FileManager.default
        var found: [(path: String, isVideo: Bool)] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                missing.append("\(p): no such file or directory")
                continue
            }
            if !isDir.boolValue {
                found.append((p, videos && Self.isVideo(p)))
                continue
            }
            guard let e = fm.enumerator(atPath: p) else {
                missing.append("\(p): cannot list directory")
                continue
            }
            let base = p.hasSuffix("/") ? String(p.dropLast()) : p
            var inside: [(String, Bool)] = []
            while let rel = e.nextObject() as? String {
                let full = base + "/" + rel
                if videos && Self.isVideo(rel) {
                    inside.append((full, true))
                } else if ImageFiles.extensions.contains((rel as NSString).pathExtension.lowercased()) || ImageFormat.sniff(path: full) != nil {
                    var d: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue { inside.append((full, false)) }
                }
            }
            found += inside.sorted { $0.0 < $1.0 }
        }
        let rootDirs = paths.map { root -> String in
            let abs = DrawTargets.absolute(root)
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: abs, isDirectory: &isDir) && isDir.boolValue ? abs : (abs as NSString).deletingLastPathComponent
        }
        let base = DrawTargets.commonAncestor(rootDirs)
        let out = DrawTargets.absolute(output)
        var outIsDir: ObjCBool = false
        let outExists = fm.fileExists(atPath: out, isDirectory: &outIsDir)
        let single = found.count == 1 && paths.count == 1 && !(outExists && outIsDir.boolValue)
        for f in found {
            let abs = DrawTargets.absolute(f.path)
            var relative = abs.hasPrefix(base + "/") ? String(abs.dropFirst(base.count + 1)) : (abs as NSString).lastPathComponent
            if base == "/" { relative = String(abs.dropFirst()) }
            let outExt = (out as NSString).pathExtension.lowercased()
            let fileTarget = single && (f.isVideo ? Self.videoExtensions.contains(outExt) : ImageFormat(pathExtension: out) != nil)
            entries.append(Entry(input: f.path, relative: relative, isVideo: f.isVideo, target: fileTarget ? out : out + "/" + relative))
        }
    }

    static func isVideo(_ path: String) -> Bool { videoExtensions.contains((path as NSString).pathExtension.lowercased()) }

    /// The first planned output that is (or links to) an input, given the outputs of each entry.
    func conflict(_ outputs: (Entry) -> [String]) -> (input: String, output: String)? {
        let inputs = Set(entries.map { DrawTargets.resolved(DrawTargets.absolute($0.input)) })
        for e in entries {
            for o in outputs(e) where inputs.contains(DrawTargets.resolved(o)) { return (e.input, o) }
        }
        return nil
    }
}

/// `blazeface anonymize INPUT... -o OUT`: blur, pixelate or fill the faces of photos and videos.
struct AnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Hide the faces in photos and videos (blur, mosaic or solid).",
        discussion: """
        Photos keep their format (JPEG, PNG, WebP, PPM) with pixels turned upright by their EXIF \
        orientation; all metadata (EXIF, GPS, XMP, ICC, comments) is dropped. Videos (.mp4, .mov, \
        .mkv, .webm, .avi...) go through ffmpeg (Debian package ffmpeg): frame rate, size and codec \
        family are kept, metadata is dropped, audio only with --keep-audio. With one input file and \
        OUT ending in a suitable extension, OUT is the output file; otherwise OUT is a folder in which \
        the inputs' relative paths are mirrored. An input is never overwritten (exit 64). A file that \
        fails is reported and the others are still processed; the exit status is then 1.
        """
    )

    @Argument(help: "Photos, videos, or folders (searched recursively).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file (one input) or folder.")
    var output: String

    @Option(help: "blur (Gaussian, scaled to the face), mosaic, or solid (black).")
    var style: MaskStyle = .blur

    @Option(help: "ellipse or box.")
    var shape: MaskShape = .ellipse

    @Option(help: "Mask size relative to the face's hairline-to-chin (WIDER-style) box.")
    var maskScale: Float = 1.3

    @OptionGroup var faces: FaceFlags

    @Option(help: "Photos (or, for a video, frames) processed in parallel.")
    var threads: Int = 1

    @Option(help: "JPEG and WebP output quality (1-100).")
    var quality: Int = 92

    @Option(help: "Video: keep a face this many frames after the detector last saw it.")
    var hold: Int = 5

    @Option(help: "Video: run the detector on every K-th frame; the tracker moves the masks in between.")
    var detectEvery: Int = 1

    @Flag(help: "Video: mask each frame's detections only, without the tracker (for comparisons).")
    var noTrack = false

    @Option(help: "Video: a tracked face stays tracked (and masked) on detections scoring at least this, though new faces need --min-score (hysteresis; --track-score 0.5 turns it off).")
    var trackScore: Float = VideoFlags.defaultTrackScore

    @Option(help: "Video: ffmpeg encoder (default: the input's codec family, e.g. libx264 for H.264).")
    var codec: String?

    @Option(help: "Video: constant rate factor passed to the encoder.")
    var crf: Int?

    @Flag(help: "Video: copy the audio streams.")
    var keepAudio = false

    @Option(help: "Also write the masks as JSON lines to this file: one line per photo, or per video frame, with each mask's box (x, y, width, height) and shape.")
    var masks: String?

    @Flag(help: "No progress bar.")
    var quiet = false

    func validate() throws {
        try faces.check()
        guard maskScale > 0 && maskScale <= 10 else { throw ValidationError("--mask-scale must be in (0, 10]") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be between 1 and 100") }
        guard (0...10_000).contains(hold) else { throw ValidationError("--hold must be between 0 and 10000 frames") }
        guard (1...1000).contains(detectEvery) else { throw ValidationError("--detect-every must be between 1 and 1000") }
        guard (0...1).contains(trackScore) else { throw ValidationError("--track-score must be between 0 and 1, got \(trackScore)") }
        if let crf, !(0...63).contains(crf) { throw ValidationError("--crf must be between 0 and 63") }
        if inputs.contains(ImageDecoder.standardInputPath) { throw ValidationError("anonymize reads files, not standard input ('-')") }
    }

    func run() throws {
        let plan = OutputPlan(paths: inputs, output: output, videos: true)
        if let c = plan.conflict({ [$0.target] }) {
            printError("error: \(c.output) would overwrite the input \(c.input); choose another -o")
            throw ExitCode(64)
        }
        var failures = plan.missing
        for m in plan.missing { printError("error: \(m)") }
        let detector = try reportingErrors { try faces.makeDetector() }
        var log: MaskLog?
        if let masks {
            if plan.conflict({ _ in [DrawTargets.absolute(masks)] }) != nil {
                printError("error: --masks \(masks) would overwrite an input")
                throw ExitCode(64)
            }
            log = try reportingErrors { try MaskLog(path: masks) }
        }
        let mask = MaskOptions(style: style, shape: shape, scale: maskScale)
        let masker = FaceMasker(options: mask)
        let photos = plan.entries.filter { !$0.isVideo }
        let videos = plan.entries.filter(\.isVideo)
        let start = DispatchTime.now()
        var faceCount = 0
        // Photos, in batches so memory stays bounded.
        let batchSize = max(4, 2 * threads)
        var index = 0
        let tiling = faces.tiling
        let quality = quality
        while index < photos.count {
            let batch = Array(photos[index..<min(photos.count, index + batchSize)])
            let results = parallelMap(count: batch.count, threads: threads) { i -> Result<(Int, Int, Int, [MaskRegion]), Error> in
                Result { try Self.anonymizePhoto(batch[i], detector: detector, masker: masker, tiling: tiling,
                                                 threads: batch.count == 1 ? threads : 1, quality: quality) }
            }
            for (e, r) in zip(batch, results) {
                switch r {
                case .success(let (w, h, n, regions)):
                    faceCount += n
                    log?.write(path: e.input, frame: nil, width: w, height: h, regions: regions)
                case .failure(let error):
                    failures.append("\(error)")
                    printError("error: \(error)")
                }
            }
            index += batch.count
        }
        if !photos.isEmpty {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            printError(String(format: "%d photos, %d faces masked, %.1f photos/s", photos.count, faceCount, seconds > 0 ? Double(photos.count) / seconds : 0))
        }
        for v in videos {
            do {
                try anonymizeVideo(v, detector: detector, mask: mask, log: log)
            } catch {
                failures.append("\(error)")
                printError("error: \(error)")
            }
        }
        log?.close()
        if !failures.isEmpty {
            printError("failed: \(failures.count)")
            for f in failures { printError("  \(f)") }
            throw ExitCode.failure
        }
    }

    /// Decodes (upright), detects, masks and writes one photo in its own format; returns its
    /// size, the face count and the masks.
    static func anonymizePhoto(_ e: OutputPlan.Entry, detector: FaceDetector, masker: FaceMasker, tiling: TilingOptions,
                               threads: Int, quality: Int) throws -> (Int, Int, Int, [MaskRegion]) {
        guard case .supported(let format) = ImageFormat.sniff(path: e.input) else {
            // Let the decoder name the problem (unsupported format, empty file...).
            _ = try ImageDecoder.decode(path: e.input)
            throw CLIError("\(e.input): not a supported image")
        }
        let image = try ImageDecoder.decode(path: e.input)
        let found = detector.detect(in: image, options: DetectionOptions(tiling: tiling, threads: threads)).faces
        let masked = masker.apply(to: image, faces: found)
        let encoder = ImageEncoder(jpegQuality: quality)
        let bytes = try encoder.encode(masked, format: format)
        try FileManager.default.createDirectory(atPath: (e.target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: e.target), options: .atomic)
        } catch {
            throw CLIError("\(e.target): cannot write (\(error.localizedDescription))")
        }
        return (image.width, image.height, found.count, masker.regions(for: found))
    }

    func anonymizeVideo(_ e: OutputPlan.Entry, detector: FaceDetector, mask: MaskOptions, log: MaskLog?) throws {
        try FileManager.default.createDirectory(atPath: (e.target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let options = VideoAnonymizationOptions(
            mask: mask,
            tracking: FrameTrackingOptions(detectEvery: detectEvery, tiling: faces.tiling,
                                           tracker: TrackerOptions(hold: hold, startScore: faces.minScore)),
            codec: codec, crf: crf, keepAudio: keepAudio, threads: threads, trackerDisabled: noTrack)
        // Hysteresis: the detector runs at the lower score, the tracker starts faces at --min-score.
        let detector = trackScore < faces.minScore && !noTrack ? try faces.makeDetector(minScore: trackScore) : detector
        let bar = ProgressBar(name: (e.input as NSString).lastPathComponent, enabled: !quiet && isatty(2) == 1)
        let s = try VideoAnonymizer.anonymize(input: e.input, output: e.target, detector: detector, options: options,
                                              masks: { k, r in log?.write(path: e.input, frame: k, width: nil, height: nil, regions: r) }) { bar.show($0) }
        bar.clear()
        printError(String(format: "%@: %d frames %dx%d (%@ -> %@), %d detector runs, %d masks, %d tracks, %.1f s, %.1f fps -> %@",
                          e.input, s.frames, s.input.width, s.input.height, s.input.codec, s.codec, s.detectorRuns,
                          s.maskedFaceFrames, s.tracks, s.seconds, s.seconds > 0 ? Double(s.frames) / s.seconds : 0, e.target))
    }
}
