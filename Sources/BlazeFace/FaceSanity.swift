/// The last step of detection: faces with absurd coordinates are dropped, and boxes are clipped
/// to the image unless the caller wants the raw ones.
enum FaceSanity {
    /// `face` with its box clipped to `width` x `height` (when `clip`), or nil when any coordinate
    /// is not finite, the box is more than 4 times the image's long side, or its centre lies more
    /// than one long side outside the image (or, clipped, wholly outside it). A working model never gives such a face; a broken
    /// or hostile one can, and its numbers must not reach drawing or output.
    static func checked(_ face: Face, width: Int, height: Int, clip: Bool) -> Face? {
        let b = face.box
        let long = Float(max(width, height, 1))
        let coordinates = [b.x, b.y, b.width, b.height, face.score] + face.keypoints.values.flatMap { [$0.x, $0.y] }
        guard coordinates.allSatisfy(\.isFinite), b.width >= 0, b.height >= 0,
              b.width <= 4 * long, b.height <= 4 * long else { return nil }
        let cx = b.x + b.width / 2, cy = b.y + b.height / 2
        guard cx >= -long, cy >= -long, cx <= Float(width) + long, cy <= Float(height) + long else { return nil }
        guard face.keypoints.values.allSatisfy({ abs($0.x) <= 8 * long && abs($0.y) <= 8 * long }) else { return nil }
        guard clip, b.x < 0 || b.y < 0 || b.x + b.width > Float(width) || b.y + b.height > Float(height) else { return face }
        var clipped = face
        let x0 = min(max(b.x, 0), Float(width)), y0 = min(max(b.y, 0), Float(height))
        let x1 = min(max(b.x + b.width, 0), Float(width)), y1 = min(max(b.y + b.height, 0), Float(height))
        guard x1 > x0, y1 > y0 else { return nil }  // wholly outside the image
        clipped.box = Face.Box(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        return clipped
    }
}
