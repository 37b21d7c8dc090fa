import BlazeFace
import Foundation
import Imaging

/// Cuts one aligned square per face, rotated so that the eyes are level: the input face
/// recognition models expect (112 x 112 for ArcFace-style models).
///
/// The crop is centred halfway between the eyes' midpoint and the mouth, turned by the angle of
/// the line from the subject's right eye to the left eye (a similarity transform: rotation,
/// uniform scale, translation), and spans the face's longer box side times `1 + 2 * margin`.
/// Pixels are sampled bilinearly; outside the image they are black.
public struct FaceCropper: Sendable {
    /// Side of the square output, in pixels.
    public var size: Int
    /// Margin on each side, as a fraction of the face's box side.
    public var margin: Float

    /// Creates a cropper.
    public init(size: Int = 112, margin: Float = 0.25) {
        self.size = max(1, size)
        self.margin = max(0, margin)
    }

    /// Centre (source pixels), rotation (radians, clockwise as seen with y down) and side (source
    /// pixels) of the crop for a face with the model's box.
    public func placement(for face: Face) -> (centerX: Float, centerY: Float, angle: Float, side: Float) {
        let b = face.box
        var cx = b.x + b.width / 2, cy = b.y + b.height / 2
        var angle: Float = 0
        if let r = face.keypoints[.rightEye], let l = face.keypoints[.leftEye] {
            angle = atan2(l.y - r.y, l.x - r.x)
            if let m = face.keypoints[.mouthCenter] {
                cx = ((r.x + l.x) / 2 + m.x) / 2
                cy = ((r.y + l.y) / 2 + m.y) / 2
            }
        }
        let side = max(1, max(b.width, b.height) * (1 + 2 * margin))
        return (cx, cy, angle.isFinite ? angle : 0, side.isFinite ? side : 1)
    }

    /// Maps a point of a crop (in crop pixels, continuous: pixel `u` spans `u...u+1`) back to
    /// the source image.
    public func sourcePoint(x u: Float, y v: Float, for face: Face) -> Face.Point {
        let p = placement(for: face)
        let scale = p.side / Float(size)
        let du = (u - Float(size) / 2) * scale, dv = (v - Float(size) / 2) * scale
        let c = cos(p.angle), s = sin(p.angle)
        return Face.Point(x: p.centerX + c * du - s * dv, y: p.centerY + s * du + c * dv)
    }

    /// The face with its keypoints re-measured on aligned crops: BlazeFace's keypoints
    /// understate a tilt (a face turned by 30 degrees reads as about 20), so each pass detects
    /// again in the crop the previous keypoints gave and maps the new keypoints back. Two passes
    /// bring a 30-degree tilt within a few degrees. The box and score are kept; when the detector
    /// finds nothing in a crop, the keypoints of the last pass are kept.
    public func refined(_ face: Face, in image: RGBImage, detector: FaceDetector, passes: Int = 2) -> Face {
        var current = face
        let probe = FaceCropper(size: detector.inputSize * 2, margin: max(margin, 0.5))
        for _ in 0..<max(0, passes) {
            let crop = probe.crop(image, face: current)
            let centre = Float(probe.size) / 2
            // The face nearest the crop's centre.
            guard let best = detector.detect(in: crop).min(by: { a, b in
                let da = hypot(a.box.x + a.box.width / 2 - centre, a.box.y + a.box.height / 2 - centre)
                let db = hypot(b.box.x + b.box.width / 2 - centre, b.box.y + b.box.height / 2 - centre)
                return da < db
            }) else { break }
            var keypoints: [FaceKeypoint: Face.Point] = [:]
            for (k, p) in best.keypoints { keypoints[k] = probe.sourcePoint(x: p.x, y: p.y, for: current) }
            current.keypoints = keypoints
        }
        return current
    }

    /// The aligned crop of one face.
    public func crop(_ image: RGBImage, face: Face) -> RGBImage {
        let p = placement(for: face)
        let n = size
        let scale = p.side / Float(n)
        let c = cos(p.angle), s = sin(p.angle)
        var out = [UInt8](repeating: 0, count: n * n * 3)
        let src = image.pixels, w = image.width, h = image.height
        for v in 0..<n {
            let dv = (Float(v) + 0.5 - Float(n) / 2) * scale
            for u in 0..<n {
                let du = (Float(u) + 0.5 - Float(n) / 2) * scale
                // Output axes turned by the eyes' angle, in source pixel centres.
                let sx = p.centerX + c * du - s * dv - 0.5
                let sy = p.centerY + s * du + c * dv - 0.5
                guard sx.isFinite, sy.isFinite, sx > -1, sy > -1, sx < Float(w), sy < Float(h) else { continue }
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                let fx = sx - Float(x0), fy = sy - Float(y0)
                let o = (v * n + u) * 3
                for ch in 0..<3 {
                    func at(_ x: Int, _ y: Int) -> Float {
                        guard x >= 0, y >= 0, x < w, y < h else { return 0 }
                        return Float(src[(y * w + x) * 3 + ch])
                    }
                    let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
                    let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
                    out[o + ch] = UInt8(max(0, min(255, (top * (1 - fy) + bottom * fy).rounded())))
                }
            }
        }
        return (try? RGBImage(width: n, height: n, pixels: out)) ?? RGBImage(width: n, height: n)
    }
}
