import BlazeFace
import Dispatch
import Foundation
import Imaging

/// Settings of ``VideoAnonymizer``.
public struct VideoAnonymizationOptions: Sendable {
    /// What is done to each face.
    public var mask: MaskOptions
    /// Detection cadence, tiling and tracker.
    public var tracking: FrameTrackingOptions
    /// ffmpeg encoder; nil keeps the input's codec family (`h264` -> `libx264`, `vp9` ->
    /// `libvpx-vp9`, `ffv1` stays `ffv1`...), falling back to `libx264`.
    public var codec: String?
    /// Constant rate factor passed to the encoder, when given.
    public var crf: Int?
    /// Copy the input's audio streams (without re-encoding).
    public var keepAudio: Bool
    /// Frames detected and masked in parallel.
    public var threads: Int
    /// Mask the detector's raw faces only, without the tracker (for measurements); detections
    /// below the tracker's ``TrackerOptions/startScore`` are not masked.
    public var trackerDisabled: Bool

    /// Creates options.
    public init(mask: MaskOptions = MaskOptions(), tracking: FrameTrackingOptions = FrameTrackingOptions(),
                codec: String? = nil, crf: Int? = nil, keepAudio: Bool = false, threads: Int = 1, trackerDisabled: Bool = false) {
        self.mask = mask
        self.tracking = tracking
        self.codec = codec
        self.crf = crf
        self.keepAudio = keepAudio
        self.threads = max(1, threads)
        self.trackerDisabled = trackerDisabled
    }
}

/// Progress of a video, reported after each batch of frames.
public struct VideoProgress: Sendable {
    /// Frames written so far.
    public var frames: Int
    /// Frames expected (from ffprobe), when known.
    public var expectedFrames: Int?
    /// Seconds since the start.
    public var seconds: Double
    /// Frames per second so far.
    public var framesPerSecond: Double { seconds > 0 ? Double(frames) / seconds : 0 }
}

/// What a video run did.
public struct VideoSummary: Sendable {
    /// The input as probed.
    public var input: VideoInfo
    /// The encoder used.
    public var codec: String
    /// Frames written.
    public var frames: Int
    /// Frames the detector ran on.
    public var detectorRuns: Int
    /// Masks drawn, summed over frames (a face in 100 frames counts 100).
    public var maskedFaceFrames: Int
    /// Distinct tracks (faces followed).
    public var tracks: Int
    /// Wall time in seconds.
    public var seconds: Double
    /// The faces of every frame, when ``VideoAnonymizer/anonymize(input:output:detector:options:recordFaces:masks:progress:)`` was asked to record them.
    public var faces: [FrameFaces]
}

/// Anonymizes a video: ffmpeg decodes it to raw RGB frames on a pipe, each frame is detected
/// (every k-th), tracked and masked, and a second ffmpeg encodes the frames from a pipe. Frames
/// stream through in batches of `2 * threads`, so memory does not grow with the video's length.
public enum VideoAnonymizer {
    /// Anonymizes `input` into `output`.
    ///
    /// - Parameters:
    ///   - recordFaces: Keep every frame's faces in the summary (for tests and measurements).
    ///   - masks: Called with each frame's index and mask regions, in order (for an audit log).
    ///   - progress: Called after each batch.
    /// - Throws: ``AnonymizerError`` naming the file when ffmpeg is missing, cannot decode the
    ///   input or cannot encode the output (then no output file is left).
    public static func anonymize(input: String, output: String, detector: FaceDetector,
                                 options: VideoAnonymizationOptions = VideoAnonymizationOptions(),
                                 recordFaces: Bool = false,
                                 masks: (_ frame: Int, _ regions: [MaskRegion]) throws -> Void = { _, _ in },
                                 progress: (VideoProgress) -> Void = { _ in }) throws -> VideoSummary {
        let start = DispatchTime.now()
        let reader = try VideoFrameReader(path: input)
        defer { reader.close() }
        let info = reader.info
        let codec = options.codec ?? FFmpeg.encoder(forCodec: info.codec) ?? "libx264"
        var pixelFormat: String?
        if ["libx264", "libx265", "libvpx", "libvpx-vp9", "libaom-av1", "libsvtav1", "mpeg4"].contains(codec) {
            // Keep a common YUV layout (players choke on the 4:4:4 ffmpeg would pick for RGB input).
            let kept: Set<String> = ["yuv420p", "yuv422p", "yuv444p", "yuv420p10le"]
            pixelFormat = info.pixelFormat.flatMap { kept.contains($0) ? $0 : nil } ?? "yuv420p"
            if codec == "libvpx" || codec == "mpeg4" { pixelFormat = "yuv420p" }
        }
        let writer = try VideoFrameWriter(
            output: output, width: info.width, height: info.height, frameRate: info.frameRate,
            settings: .init(codec: codec, crf: options.crf, pixelFormat: pixelFormat,
                            audioFrom: options.keepAudio && info.hasAudio ? input : nil))
        var tracking = FaceFrameTracker(detector: detector, options: options.tracking)
        let masker = FaceMasker(options: options.mask, boxStyle: detector.options.boxStyle)
        let threads = options.threads
        let batchSize = 2 * threads
        var summary = VideoSummary(input: info, codec: codec, frames: 0, detectorRuns: 0, maskedFaceFrames: 0,
                                   tracks: 0, seconds: 0, faces: [])
        var trackIDs = Set<Int>()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        do {
            var ended = false
            while !ended {
                var batch: [RGBImage] = []
                while batch.count < batchSize, let frame = try reader.next() { batch.append(frame) }
                if batch.count < batchSize { ended = true }
                if batch.isEmpty { break }
                let first = tracking.frameIndex
                let frames = batch
                let results = tracking.process(frames, timestamps: frames.indices.map { Double(first + $0) / info.fps }, threads: threads)
                var regions: [[MaskRegion]] = []
                for (i, result) in results.enumerated() {
                    if result.detectorRan { summary.detectorRuns += 1 }
                    let boxes: [Face.Box]
                    if options.trackerDisabled {
                        boxes = result.detections.filter { $0.score >= options.tracking.tracker.startScore }.map(\.box)
                    } else {
                        boxes = result.faces.map(\.coveringBox)
                        for f in result.faces { trackIDs.insert(f.id) }
                    }
                    regions.append(boxes.map { masker.region(for: $0) })
                    try masks(first + i, regions[regions.count - 1])
                    summary.maskedFaceFrames += boxes.count
                    if recordFaces { summary.faces.append(result) }
                }
                let masks = regions
                let masked = parallelMap(count: frames.count, threads: threads) { i in
                    masker.apply(to: frames[i], regions: masks[i])
                }
                for m in masked { try writer.write(m) }
                summary.frames += masked.count
                progress(VideoProgress(frames: summary.frames, expectedFrames: info.frameCount, seconds: elapsed()))
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        summary.tracks = trackIDs.count
        summary.seconds = elapsed()
        return summary
    }
}
