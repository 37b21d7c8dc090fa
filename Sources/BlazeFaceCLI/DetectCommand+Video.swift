import Anonymizer
import ArgumentParser
import BlazeFace
import FaceFormats
import Foundation
import Imaging

/// The flags of `detect` for videos and `--stream`.
struct VideoFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Read raw RGB frames (rgb24, WIDTH x HEIGHT x 3 bytes each, e.g. from ffmpeg -f rawvideo -pix_fmt rgb24 -) from standard input; one JSON line per frame, flushed.", valueName: "WIDTHxHEIGHT"))
    var stream: String?

    @Option(parsing: .unconditional, help: "With --stream: the frame rate, for each frame's time.")
    var fps: Double = 30

    @Option(parsing: .unconditional, help: "Videos and --stream: keep a face this many frames after the detector last saw it.")
    var hold: Int = 5

    @Option(parsing: .unconditional, help: "Videos and --stream: run the detector on every K-th frame; the tracker moves the faces in between.")
    var detectEvery: Int = 1

    @Option(parsing: .unconditional, help: "Videos and --stream: a tracked face continues on detections scoring at least this; new faces need --min-score (hysteresis).")
    var trackScore: Float = VideoFlags.defaultTrackScore

    /// Whether any of the video-only flags differs from its default.
    var isSet: Bool { fps != 30 || hold != 5 || detectEvery != 1 || trackScore != Self.defaultTrackScore }

    /// The default of `--track-score` (detect and anonymize): on the zoompan clip of
    /// docs/anonymization.md, 0.3 left no face-frame unmasked where 0.5 left 5.6 %.
    static let defaultTrackScore: Float = 0.3
}

extension DetectCommand {
    /// Whether the run is over videos or a raw frame stream (JSON lines per frame with track IDs).
    var isVideoMode: Bool { video.stream != nil || paths.contains(where: OutputPlan.isVideo) }

    func validateVideo() throws {
        if let stream = video.stream {
            guard let size = RawFrameReader.parseSize(stream),
                  (1...RawFrameReader.maximumSide).contains(size.width), (1...RawFrameReader.maximumSide).contains(size.height) else {
                throw ValidationError("--stream takes the frame size as WIDTHxHEIGHT, each 1-\(RawFrameReader.maximumSide), e.g. 1280x720; got \(stream)")
            }
            guard paths.isEmpty else { throw ValidationError("--stream reads standard input; give no paths with it") }
            guard size.width * size.height <= detector.maxMegapixels * 1_000_000 else {
                throw ValidationError("--stream \(stream): frames larger than --max-megapixels \(detector.maxMegapixels)")
            }
            guard video.fps > 0 && video.fps <= 1000 else { throw ValidationError("--fps must be in (0, 1000], got \(video.fps)") }
        } else if let image = paths.first(where: { !OutputPlan.isVideo($0) }) {
            throw ValidationError("\(image): detect takes either images or videos in one run, not both")
        }
        if let format, format != .jsonl && format != .json {
            throw ValidationError("videos and --stream are written as JSON lines, one per frame; --format \(format.rawValue) is for images")
        }
        guard draw == nil else { throw ValidationError("--draw is for images; to see the faces of a video, use anonymize") }
        guard (0...10_000).contains(video.hold) else { throw ValidationError("--hold must be between 0 and 10000 frames, got \(video.hold)") }
        guard (1...1000).contains(video.detectEvery) else { throw ValidationError("--detect-every must be between 1 and 1000, got \(video.detectEvery)") }
        guard (0...1).contains(video.trackScore) else { throw ValidationError("--track-score must be between 0 and 1, got \(video.trackScore)") }
    }

    /// Each video (or the stream) frame by frame: detection, tracking, one JSON line per frame.
    /// A video that cannot be read gets an error line and the others go on (exit status 1).
    func runVideo() throws {
        // Hysteresis: the detector runs at the lower score, the tracker starts faces at --min-score.
        let minScore = detector.minScore ?? 0.5
        var options = detector.options
        options.minScore = min(minScore, video.trackScore)
        let detectorInstance = try reportingErrors { try detector.makeDetector(options: options) }
        let lines = try reportingErrors { try TextOutput(output) }
        let tracking = FrameTrackingOptions(detectEvery: video.detectEvery, tiling: detector.tiling,
                                            tracker: TrackerOptions(hold: video.hold, startScore: minScore))
        var failed = 0
        if let stream = video.stream, let size = RawFrameReader.parseSize(stream) {
            guard isatty(0) == 0 else {
                printError("error: --stream: standard input is a terminal; pipe raw RGB frames into it (e.g. ffmpeg ... -f rawvideo -pix_fmt rgb24 -)")
                throw ExitCode.failure
            }
            let reader = try reportingErrors { try RawFrameReader(width: size.width, height: size.height) }
            // One frame at a time, so each line leaves as soon as its frame is done.
            let run = VideoFrameRun(path: ImageDecoder.standardInputPath, width: size.width, height: size.height, fps: video.fps, batch: 1)
            if !run.track(detector: detectorInstance, options: tracking, threads: threads, next: reader.next, output: lines) { failed += 1 }
        }
        for path in paths {
            do {
                let info = try FFmpeg.probe(path)
                guard info.width * info.height <= detector.maxMegapixels * 1_000_000 else {
                    throw CLIError("\(path): \(info.width)x\(info.height) frames are larger than --max-megapixels \(detector.maxMegapixels)")
                }
                let reader = try VideoFrameReader(path: path, info: info)
                defer { reader.close() }
                let run = VideoFrameRun(path: path, width: info.width, height: info.height, fps: info.fps, batch: 2 * threads)
                if !run.track(detector: detectorInstance, options: tracking, threads: threads, next: reader.next, output: lines) { failed += 1 }
            } catch {
                printError("error: \(error)")
                lines.write(FrameRecord(path: path, frame: 0, error: "\(error)").json + "\n")
                failed += 1
            }
        }
        try reportingErrors { try lines.close() }
        if failed > 0 { throw ExitCode.failure }
    }
}

/// One video or stream: frames in, tracked faces out as JSON lines.
struct VideoFrameRun {
    var path: String
    var width: Int
    var height: Int
    var fps: Double
    /// Frames detected together (in parallel on the threads); 1 for a live stream.
    var batch: Int

    /// Tracks every frame `next` gives and writes its line; false (after an error line) when
    /// reading failed part way.
    func track(detector: FaceDetector, options: FrameTrackingOptions, threads: Int,
               next: () throws -> RGBImage?, output: TextOutput) -> Bool {
        var tracking = FaceFrameTracker(detector: detector, options: options)
        var ids = Set<Int>()
        let start = Date()
        do {
            var ended = false
            while !ended {
                var frames: [RGBImage] = []
                while frames.count < batch, let frame = try next() { frames.append(frame) }
                ended = frames.count < batch
                let first = tracking.frameIndex
                let results = tracking.process(frames, timestamps: frames.indices.map { Double(first + $0) / fps }, threads: threads)
                for r in results {
                    ids.formUnion(r.faces.map(\.id))
                    output.write(record(r).json + "\n")
                }
            }
        } catch {
            printError("error: \(error)")
            output.write(FrameRecord(path: path, frame: tracking.frameIndex, error: "\(error)").json + "\n")
            return false
        }
        let seconds = Date().timeIntervalSince(start)
        printError(String(format: "%@: %d frames %dx%d, %d tracks, %.1f frames/s", path, tracking.frameIndex, width, height,
                          ids.count, seconds > 0 ? Double(tracking.frameIndex) / seconds : 0))
        return true
    }

    /// The JSON record of a frame: each track's box, with its latest detection's score and keypoints.
    func record(_ r: FrameFaces) -> FrameRecord {
        let faces = r.faces.map { t -> FrameRecord.TrackedEntry in
            var face = t.face
            face.box = t.box
            return FrameRecord.TrackedEntry(id: t.id, framesSinceSeen: t.framesSinceSeen, face: face)
        }
        return FrameRecord(path: path, frame: r.index, time: r.timestamp, width: width, height: height,
                           detected: r.detectorRan, faces: faces)
    }
}
