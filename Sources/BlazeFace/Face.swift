/// A detected face in source image pixels, ready for output.
///
/// Encodes to JSON as
/// `{"box":{"x":…,"y":…,"width":…,"height":…},"score":…,"keypoints":{"right_eye":{"x":…,"y":…},…}}`
/// (object key order depends on the encoder; use `.sortedKeys` for stable text).
public struct Face: Sendable, Equatable, Codable {
    /// An axis-aligned box: top-left corner and size, in source pixels.
    public struct Box: Sendable, Hashable, Codable {
        /// Left and top edges.
        public var x, y: Float
        /// Width and height (non-negative).
        public var width, height: Float

        /// Creates a box.
        public init(x: Float, y: Float, width: Float, height: Float) {
            (self.x, self.y, self.width, self.height) = (x, y, width, height)
        }
    }

    /// A point in source pixels.
    public struct Point: Sendable, Hashable, Codable {
        /// Horizontal coordinate.
        public var x: Float
        /// Vertical coordinate.
        public var y: Float

        /// Creates a point.
        public init(x: Float, y: Float) {
            self.x = x
            self.y = y
        }
    }

    /// The face box.
    public var box: Box
    /// Confidence in 0...1.
    public var score: Float
    /// Keypoint positions by name.
    public var keypoints: [FaceKeypoint: Point]

    /// Creates a face.
    public init(box: Box, score: Float, keypoints: [FaceKeypoint: Point]) {
        self.box = box
        self.score = score
        self.keypoints = keypoints
    }

    /// Maps a normalized detection into source pixels.
    ///
    /// Both box corners and every keypoint go through `mapping`; the box is the axis-aligned
    /// box spanned by the two mapped corners, so a mapping that flips an axis still gives a
    /// non-negative size. Keypoints are named by index (``FaceKeypoint/init(index:)``); extra
    /// ones are ignored.
    ///
    /// - Parameters:
    ///   - detection: A detection in normalized model input coordinates.
    ///   - mapping: From normalized model coordinates `(x, y)` to source pixels `(x, y)`, e.g.
    ///     `{ ($0 * width, $1 * height) }` for a stretched input, or the letterbox inverse.
    public init(detection: Detection, mapping: (Float, Float) -> (Float, Float)) {
        let topLeft = mapping(detection.box.xMin, detection.box.yMin)
        let bottomRight = mapping(detection.box.xMax, detection.box.yMax)
        box = Box(
            x: min(topLeft.0, bottomRight.0),
            y: min(topLeft.1, bottomRight.1),
            width: abs(bottomRight.0 - topLeft.0),
            height: abs(bottomRight.1 - topLeft.1))
        score = detection.score
        var named: [FaceKeypoint: Point] = [:]
        for (index, point) in detection.keypoints.enumerated() {
            guard let name = FaceKeypoint(index: index) else { break }
            let mapped = mapping(point.x, point.y)
            named[name] = Point(x: mapped.0, y: mapped.1)
        }
        keypoints = named
    }
}
