import BlazeFace

/// The faces of one video frame with their track IDs: the JSON line `blazeface detect` writes per
/// frame of a video or of `--stream`.
///
/// `{"path":"clip.mp4","frame":0,"time":0,"width":320,"height":240,"detected":true,
/// "faces":[{"id":1,"since_seen":0,"score":…,"box":{…},"keypoints":{…}}]}`; a video that fails
/// gets `{"path":…,"frame":N,"error":"…"}` (N: the frames written before the failure).
public struct FrameRecord: Sendable, Equatable {
    /// One tracked face.
    public struct TrackedEntry: Sendable, Equatable {
        /// The track's ID: the same face keeps it from frame to frame.
        public var id: Int
        /// Frames since the detector last saw the face (0: detected in this frame).
        public var framesSinceSeen: Int
        /// The face: the track's box, with the score and keypoints of its latest detection.
        public var face: Face

        /// Creates an entry.
        public init(id: Int, framesSinceSeen: Int, face: Face) {
            self.id = id
            self.framesSinceSeen = framesSinceSeen
            self.face = face
        }
    }

    /// The video's path as given (`-` for standard input).
    public var path: String
    /// The frame's position, from 0.
    public var frame: Int
    /// The frame's time in seconds.
    public var time: Double
    /// Frame width in pixels.
    public var width: Int
    /// Frame height in pixels.
    public var height: Int
    /// Whether the detector ran on this frame (otherwise the faces are the tracker's).
    public var detected: Bool
    /// The live tracks.
    public var faces: [TrackedEntry]
    /// Why the video stopped here; nil for a frame.
    public var error: String?

    /// Creates a frame's record.
    public init(path: String, frame: Int, time: Double, width: Int, height: Int, detected: Bool, faces: [TrackedEntry]) {
        (self.path, self.frame, self.time, self.width, self.height) = (path, frame, time, width, height)
        self.detected = detected
        self.faces = faces
        error = nil
    }

    /// Creates the record of a video that failed after `frame` frames.
    public init(path: String, frame: Int, error: String) {
        (self.path, self.frame, time, width, height, detected, faces) = (path, frame, 0, 0, 0, false, [])
        self.error = error
    }

    /// The record as one line of JSON (no newline).
    public var json: String {
        if let error {
            return JSONText.object([("path", JSONText.string(path)), ("frame", "\(frame)"), ("error", JSONText.string(error))])
        }
        let faces = faces.map { entry in
            // The face's own object with the track's members in front.
            "{\"id\":\(entry.id),\"since_seen\":\(entry.framesSinceSeen)," + JSONText.face(entry.face).dropFirst()
        }
        return JSONText.object([("path", JSONText.string(path)), ("frame", "\(frame)"), ("time", JSONText.number(time)),
                                ("width", "\(width)"), ("height", "\(height)"), ("detected", detected ? "true" : "false"),
                                ("faces", JSONText.array(faces))])
    }
}
