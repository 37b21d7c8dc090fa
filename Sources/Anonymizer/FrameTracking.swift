import BlazeFace
import Imaging

/// Settings of ``FaceFrameTracker``: how often the detector runs, how it runs, and the tracker.
public struct FrameTrackingOptions: Sendable, Hashable {
    /// Run the detector on every `detectEvery`-th frame (1: all); the tracker carries the faces
    /// in between.
    public var detectEvery: Int
    /// Multi-scale tiling for small faces (``TilingMode/off``: one pass).
    public var tiling: TilingOptions
    /// Tracker settings (matching, hold, smoothing).
    public var tracker: TrackerOptions

    /// Creates options.
    public init(detectEvery: Int = 1, tiling: TilingOptions = TilingOptions(), tracker: TrackerOptions = TrackerOptions()) {
        self.detectEvery = max(1, detectEvery)
        self.tiling = tiling
        self.tracker = tracker
    }
}

/// The faces of one frame.
public struct FrameFaces: Sendable, Equatable {
    /// Position of the frame in the sequence, from 0.
    public var index: Int
    /// The frame's time in seconds.
    public var timestamp: Double
    /// Whether the detector ran on this frame (otherwise the faces are the tracker's).
    public var detectorRan: Bool
    /// The raw detections, when the detector ran.
    public var detections: [Face]
    /// The live tracks: detected now, carried between detector runs, or held after a miss.
    public var faces: [TrackedFace]

    /// Creates a value.
    public init(index: Int, timestamp: Double, detectorRan: Bool, detections: [Face], faces: [TrackedFace]) {
        self.index = index
        self.timestamp = timestamp
        self.detectorRan = detectorRan
        self.detections = detections
        self.faces = faces
    }
}

/// Detection plus tracking over a sequence of frames, one frame at a time: the synchronous core
/// of ``FaceTrackingSequence`` and of video anonymization.
///
/// ```swift
/// var tracking = FaceFrameTracker(detector: detector, options: FrameTrackingOptions(detectEvery: 2))
/// for (k, frame) in frames.enumerated() {
///     let result = tracking.process(frame, timestamp: Double(k) / 30)
///     for face in result.faces { print(face.id, face.box) }
/// }
/// ```
///
/// To detect on several frames at once (threads), ask ``needsDetection(at:)``, run
/// ``detect(in:)`` on those frames in parallel, then feed each frame's result in order to
/// ``advance(detections:timestamp:)``.
public struct FaceFrameTracker: Sendable {
    /// The detector.
    public let detector: FaceDetector
    /// The settings.
    public let options: FrameTrackingOptions
    private var tracker: FaceTracker
    private var nextIndex = 0

    /// Creates a tracker for one sequence of frames.
    public init(detector: FaceDetector, options: FrameTrackingOptions = FrameTrackingOptions()) {
        self.detector = detector
        self.options = options
        tracker = FaceTracker(options: options.tracker, detectEvery: options.detectEvery)
    }

    /// The index the next frame gets.
    public var frameIndex: Int { nextIndex }

    /// Whether the detector runs on frame `index`.
    public func needsDetection(at index: Int) -> Bool { index % options.detectEvery == 0 }

    /// Runs the detector (one pass or tiled, as set) on a frame.
    public func detect(in image: RGBImage, threads: Int = 1) -> [Face] {
        detector.detect(in: image, options: DetectionOptions(tiling: options.tiling, threads: threads)).faces
    }

    /// Advances one frame: `detections` when the detector ran on it, nil otherwise.
    public mutating func advance(detections: [Face]?, timestamp: Double) -> FrameFaces {
        let index = nextIndex
        nextIndex += 1
        if let detections {
            return FrameFaces(index: index, timestamp: timestamp, detectorRan: true, detections: detections,
                              faces: tracker.update(detections: detections, timestamp: timestamp))
        }
        return FrameFaces(index: index, timestamp: timestamp, detectorRan: false, detections: [],
                          faces: tracker.coast(timestamp: timestamp))
    }

    /// Detects (on every ``FrameTrackingOptions/detectEvery``-th frame) and tracks one frame.
    public mutating func process(_ image: RGBImage, timestamp: Double) -> FrameFaces {
        let detections = needsDetection(at: nextIndex) ? detect(in: image) : nil
        return advance(detections: detections, timestamp: timestamp)
    }

    /// Detects and tracks consecutive frames: the detector runs on up to `threads` of them at
    /// once, then the tracker advances through them in order. The same result as
    /// ``process(_:timestamp:)`` frame by frame.
    /// - Parameters:
    ///   - images: The next frames, in order.
    ///   - timestamps: Each frame's time in seconds (as many as `images`).
    ///   - threads: Frames detected in parallel (with one frame, the threads tile that frame).
    public mutating func process(_ images: [RGBImage], timestamps: [Double], threads: Int) -> [FrameFaces] {
        precondition(images.count == timestamps.count, "one timestamp per frame")
        let first = nextIndex, t = self
        let detections = parallelMap(count: images.count, threads: threads) { i -> [Face]? in
            t.needsDetection(at: first + i) ? t.detect(in: images[i], threads: images.count == 1 ? threads : 1) : nil
        }
        return zip(detections, timestamps).map { advance(detections: $0, timestamp: $1) }
    }
}

/// A frame of a video or camera stream.
public struct VideoFrame: Sendable {
    /// The pixels.
    public var image: RGBImage
    /// Its time in seconds.
    public var timestamp: Double

    /// Creates a frame.
    public init(image: RGBImage, timestamp: Double) {
        self.image = image
        self.timestamp = timestamp
    }
}

/// A frame with its tracked faces.
public struct TrackedFrame: Sendable {
    /// The frame.
    public var frame: VideoFrame
    /// Its faces, with track IDs.
    public var faces: FrameFaces
}

/// Frames in, tracked faces out: an `AsyncSequence` over any `AsyncSequence` of ``VideoFrame``
/// (a camera callback bridged through an `AsyncStream`, a decoder...), made by
/// ``_Concurrency/AsyncSequence/trackingFaces(detector:options:)``.
///
/// ```swift
/// let (frames, camera) = AsyncStream.makeStream(of: VideoFrame.self, bufferingPolicy: .bufferingNewest(1))
/// // camera.yield(VideoFrame(image: ..., timestamp: ...)) from the capture callback
/// for try await tracked in frames.trackingFaces(detector: detector) {
///     for face in tracked.faces.faces { print(face.id, face.box) }
/// }
/// ```
///
/// Frames are processed one at a time, in order, as they are pulled; with
/// `.bufferingNewest(1)` a slow detector drops camera frames instead of queueing them.
public struct FaceTrackingSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == VideoFrame {
    /// Elements are frames with their faces.
    public typealias Element = TrackedFrame

    let base: Base
    let detector: FaceDetector
    let options: FrameTrackingOptions

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var tracking: FaceFrameTracker

        /// The next frame with its faces, or nil at the end of the frames.
        public mutating func next() async throws -> TrackedFrame? {
            guard let frame = try await base.next() else { return nil }
            return TrackedFrame(frame: frame, faces: tracking.process(frame.image, timestamp: frame.timestamp))
        }
    }

    /// Starts a pass over the frames with a fresh tracker.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), tracking: FaceFrameTracker(detector: detector, options: options))
    }
}

extension AsyncSequence where Element == VideoFrame, Self: Sendable {
    /// Detects and tracks faces in each frame of this sequence (see ``FaceTrackingSequence``).
    public func trackingFaces(detector: FaceDetector, options: FrameTrackingOptions = FrameTrackingOptions()) -> FaceTrackingSequence<Self> {
        FaceTrackingSequence(base: self, detector: detector, options: options)
    }
}
