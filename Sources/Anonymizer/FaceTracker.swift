import BlazeFace
import Foundation

/// A face followed from frame to frame.
public struct TrackedFace: Sendable, Equatable {
    /// The track's identifier: unique within a tracker, never reused, starting at 1.
    public var id: Int
    /// The smoothed box (one-euro filter on centre and size), moved by the track's velocity on
    /// frames without a detection.
    public var box: Face.Box
    /// The latest detection of the track (box, score, keypoints) as the detector reported it.
    public var face: Face
    /// Frames since the track was last matched to a detection (0: detected in this frame).
    public var framesSinceSeen: Int
    /// Frames the track has existed, this one included.
    public var age: Int

    /// The smallest box holding both the smoothed box and the latest detection: what a mask must
    /// cover so that neither the smoother's lag nor a jump of the detector exposes the face.
    public var coveringBox: Face.Box {
        guard framesSinceSeen == 0 else { return box }
        let b = face.box
        let x0 = min(box.x, b.x), y0 = min(box.y, b.y)
        let x1 = max(box.x + box.width, b.x + b.width), y1 = max(box.y + box.height, b.y + b.height)
        return Face.Box(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Creates a value.
    public init(id: Int, box: Face.Box, face: Face, framesSinceSeen: Int, age: Int) {
        self.id = id
        self.box = box
        self.face = face
        self.framesSinceSeen = framesSinceSeen
        self.age = age
    }
}

/// Settings of ``FaceTracker``.
public struct TrackerOptions: Sendable, Hashable {
    /// A detection continues a track when their boxes overlap at least this much (IoU).
    public var iouThreshold: Float
    /// Frames a track is kept after it was last matched, beyond the frames between two detector
    /// runs (so that a face the detector misses for a few frames stays masked).
    public var hold: Int
    /// One-euro minimum cutoff (Hz).
    public var minCutoff: Double
    /// One-euro speed coefficient, per face size per second.
    public var beta: Double
    /// The score a detection needs to start a track (hysteresis). A detection scoring less only
    /// continues a track it overlaps, so a detector run at a lower ``FaceDetector`` minimum score
    /// keeps following a face whose score sags (turned away, leaving the frame) without starting
    /// tracks on weak false detections. 0: every detection starts a track.
    public var startScore: Float

    /// Creates options.
    public init(iouThreshold: Float = 0.3, hold: Int = 5, minCutoff: Double = 1, beta: Double = 2, startScore: Float = 0) {
        self.iouThreshold = iouThreshold
        self.hold = hold
        self.minCutoff = minCutoff
        self.beta = beta
        self.startScore = startScore
    }
}

/// Follows faces through a sequence of frames: greedy IoU matching of detections to tracks
/// (highest overlap first), stable track IDs, a one-euro smoother per box coordinate, and lost
/// tracks held for ``TrackerOptions/hold`` frames.
///
/// Call ``update(detections:timestamp:)`` on frames where the detector ran and
/// ``coast(timestamp:)`` on the others; each returns the live tracks.
public struct FaceTracker: Sendable {
    /// The settings.
    public var options: TrackerOptions
    /// Frames between detector runs (1: every frame); tracks are kept `detectEvery - 1 + hold`
    /// frames after their last match.
    public var detectEvery: Int

    private struct Track: Sendable {
        var id: Int
        var face: Face
        var filters: [OneEuroFilter]   // centre x, centre y, width, height, in units of `unit`
        var unit: Float
        var smoothed: Face.Box
        var lastSeen: Int
        var born: Int
        var lastTime: Double
    }

    private var tracks: [Track] = []
    private var nextID = 1
    private var frame = -1

    /// Creates a tracker.
    public init(options: TrackerOptions = TrackerOptions(), detectEvery: Int = 1) {
        self.options = options
        self.detectEvery = max(1, detectEvery)
    }

    /// Intersection over union of two boxes (0 for empty ones).
    public static func iou(_ a: Face.Box, _ b: Face.Box) -> Float {
        let w = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
        let h = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
        let inter = max(0, w) * max(0, h)
        let union = a.width * a.height + b.width * b.height - inter
        return union > 0 ? inter / union : 0
    }

    /// Advances one frame in which the detector found `detections`.
    public mutating func update(detections: [Face], timestamp: Double) -> [TrackedFace] {
        frame += 1
        var pairs: [(iou: Float, track: Int, detection: Int)] = []
        for (t, track) in tracks.enumerated() {
            let predicted = predictedBox(track, at: timestamp)
            for (d, det) in detections.enumerated() {
                let v = max(Self.iou(predicted, det.box), Self.iou(track.face.box, det.box))
                if v >= options.iouThreshold { pairs.append((v, t, d)) }
            }
        }
        pairs.sort { $0.iou != $1.iou ? $0.iou > $1.iou : ($0.track, $0.detection) < ($1.track, $1.detection) }
        var usedTracks = Set<Int>(), usedDetections = Set<Int>()
        for p in pairs where !usedTracks.contains(p.track) && !usedDetections.contains(p.detection) {
            usedTracks.insert(p.track)
            usedDetections.insert(p.detection)
            Self.observe(&tracks[p.track], detections[p.detection], at: timestamp, frame: frame)
        }
        for (d, det) in detections.enumerated() where !usedDetections.contains(d) && det.score >= options.startScore {
            let unit = max(1, max(det.box.width, det.box.height))
            var track = Track(id: nextID, face: det, filters: [], unit: unit, smoothed: det.box,
                              lastSeen: frame, born: frame, lastTime: timestamp)
            track.filters = Array(repeating: OneEuroFilter(minCutoff: options.minCutoff, beta: options.beta), count: 4)
            Self.observe(&track, det, at: timestamp, frame: frame)
            nextID += 1
            tracks.append(track)
        }
        return finishFrame(timestamp: timestamp)
    }

    /// Advances one frame in which the detector did not run: tracks keep their smoothed box,
    /// moved by their filtered velocity.
    public mutating func coast(timestamp: Double) -> [TrackedFace] {
        frame += 1
        return finishFrame(timestamp: timestamp)
    }

    /// The live tracks after the last frame, without advancing.
    public var current: [TrackedFace] {
        tracks.map { t in
            TrackedFace(id: t.id, box: t.smoothed, face: t.face, framesSinceSeen: frame - t.lastSeen, age: frame - t.born + 1)
        }
    }

    private mutating func finishFrame(timestamp: Double) -> [TrackedFace] {
        let keep = detectEvery - 1 + max(0, options.hold)
        tracks.removeAll { frame - $0.lastSeen > keep }
        for i in tracks.indices where tracks[i].lastSeen != frame {
            tracks[i].smoothed = predictedBox(tracks[i], at: timestamp)
        }
        return current
    }

    /// The smoothed box moved by the filtered velocity of its centre, from the last observation
    /// to `time` (at most half a second ahead).
    private func predictedBox(_ t: Track, at time: Double) -> Face.Box {
        let dt = Float(max(0, min(0.5, time - t.lastTime)))
        guard t.filters.count == 4, dt > 0,
              let cx = t.filters[0].current, let cy = t.filters[1].current,
              let w = t.filters[2].current, let h = t.filters[3].current else { return t.smoothed }
        let x = (Float(cx) + Float(t.filters[0].speed) * dt) * t.unit
        let y = (Float(cy) + Float(t.filters[1].speed) * dt) * t.unit
        let width = Float(w) * t.unit, height = Float(h) * t.unit
        return Face.Box(x: x - width / 2, y: y - height / 2, width: width, height: height)
    }

    private static func observe(_ t: inout Track, _ det: Face, at time: Double, frame: Int) {
        let b = det.box, u = Double(t.unit)
        let raw = [Double(b.x + b.width / 2) / u, Double(b.y + b.height / 2) / u, Double(b.width) / u, Double(b.height) / u]
        var out = [Double](repeating: 0, count: 4)
        for k in 0..<4 { out[k] = t.filters[k].filter(raw[k], at: time) }
        let unit = t.unit
        let w = Float(out[2]) * unit, h = Float(out[3]) * unit
        t.smoothed = Face.Box(x: Float(out[0]) * unit - w / 2, y: Float(out[1]) * unit - h / 2, width: w, height: h)
        t.face = det
        t.lastSeen = frame
        t.lastTime = time
    }
}
