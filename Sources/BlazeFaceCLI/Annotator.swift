import BlazeFace
import Foundation
import Imaging

/// What `--draw` puts on an annotated copy.
struct DrawStyle: OptionSet, Sendable {
    let rawValue: Int
    /// The face's box.
    static let box = DrawStyle(rawValue: 1)
    /// The score above the box (dropped on faces too small to carry it legibly).
    static let score = DrawStyle(rawValue: 2)
    /// The six keypoints.
    static let keypoints = DrawStyle(rawValue: 4)
    static let all: DrawStyle = [.box, .score, .keypoints]

    static let names: [(String, DrawStyle)] = [("box", .box), ("score", .score), ("keypoints", .keypoints), ("all", .all)]

    /// Parses a comma-separated list such as `box,score`; nil names the first unknown word.
    static func parse(_ text: String) -> Result<DrawStyle, DrawStyleError> {
        var style: DrawStyle = []
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !word.isEmpty {
            guard let part = names.first(where: { $0.0 == word })?.1 else { return .failure(DrawStyleError(word: word)) }
            style.formUnion(part)
        }
        return style.isEmpty ? .failure(DrawStyleError(word: text)) : .success(style)
    }
}

/// An unknown word in `--draw-style`.
struct DrawStyleError: Error, CustomStringConvertible {
    var word: String
    var description: String {
        "'\(word)' is not a draw style; use a comma-separated list of \(DrawStyle.names.map(\.0).joined(separator: ", "))"
    }
}

/// Draws faces on a full-resolution copy of an image and saves it.
///
/// Marks are sized by each face, not by the image, so a crowd of small faces stays readable: the
/// box line is about 1/30 of the face, keypoint dots 1/40, and the score label is drawn only on
/// faces at least as wide as the label at its smallest size.
enum Annotator {
    static let keypointColors: [FaceKeypoint: RGBColor] = [
        .rightEye: .red, .leftEye: .blue, .noseTip: .yellow, .mouthCenter: .white,
        .rightEarTragion: .red, .leftEarTragion: .blue,
    ]

    /// A coordinate as a pixel index, clamped to a margin around the image (faces may lie partly
    /// outside it; absurd or non-finite values never trap).
    static func pixel(_ v: Float, limit: Int) -> Int {
        guard v.isFinite else { return v > 0 ? limit : -limit }
        return Int(max(Float(-limit), min(Float(limit), v.rounded())))
    }

    static func annotate(_ image: RGBImage, faces: [Face], style: DrawStyle = .all) -> RGBImage {
        var img = image
        let limit = 4 * max(img.width, img.height) + 16
        let imageScale = max(1, min(img.width, img.height) / 300)
        for f in faces {
            let x = pixel(f.box.x, limit: limit), y = pixel(f.box.y, limit: limit)
            let w = pixel(f.box.width, limit: limit), h = pixel(f.box.height, limit: limit)
            let side = max(1, min(w, h))
            if style.contains(.box) {
                img.drawRect(x: x, y: y, width: w, height: h, color: .green, thickness: max(1, min(2 * imageScale, side / 30)))
            }
            if style.contains(.keypoints) {
                let radius = max(1, min(2 * imageScale, side / 40))
                for (k, p) in f.keypoints {
                    img.drawDot(x: pixel(p.x, limit: limit), y: pixel(p.y, limit: limit), radius: radius, color: keypointColors[k] ?? .white)
                }
            }
            if style.contains(.score) { drawLabel(&img, String(format: "%.2f", f.score), x: x, y: y, faceWidth: w, maxScale: imageScale) }
        }
        return img
    }

    /// The score above the box, at the largest scale (up to the image's) whose label fits the
    /// face's width; nothing when even the smallest does not fit.
    static func drawLabel(_ img: inout RGBImage, _ label: String, x: Int, y: Int, faceWidth: Int, maxScale: Int) {
        var scale = maxScale
        while scale > 1 && RGBImage.textSize(label, scale: scale).width + 2 * scale > faceWidth { scale -= 1 }
        let size = RGBImage.textSize(label, scale: scale)
        guard size.width + 2 * scale <= faceWidth else { return }
        let ty = max(0, y - size.height - 2 * scale)
        img.fillRect(x: x, y: ty, width: size.width + 2 * scale, height: size.height + 2 * scale, color: .green)
        img.drawText(label, x: x + scale, y: ty + scale, color: .black, scale: scale)
    }

    /// Writes the annotated copy of `path` to `target` (PNG stays PNG; JPEG stays JPEG), creating
    /// its folder.
    static func write(path: String, faces: [Face], style: DrawStyle, to target: String) throws {
        let full = try ImageDecoder.decode(path: path)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ImageEncoder(jpegQuality: 90).write(annotate(full, faces: faces, style: style), to: target)
    }
}
