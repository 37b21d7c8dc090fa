import BlazeFace
import Foundation
import Imaging

/// Draws faces on a full-resolution copy of an image and saves it.
enum Annotator {
    static let keypointColors: [FaceKeypoint: RGBColor] = [
        .rightEye: .red, .leftEye: .blue, .noseTip: .yellow, .mouthCenter: .white,
        .rightEarTragion: .red, .leftEarTragion: .blue,
    ]

    static func annotate(_ image: RGBImage, faces: [Face]) -> RGBImage {
        var img = image
        let scale = max(1, min(img.width, img.height) / 300)
        for f in faces {
            img.drawRect(x: Int(f.box.x.rounded()), y: Int(f.box.y.rounded()), width: Int(f.box.width.rounded()),
                         height: Int(f.box.height.rounded()), color: .green, thickness: 2 * scale)
            for (k, p) in f.keypoints {
                img.drawDot(x: Int(p.x.rounded()), y: Int(p.y.rounded()), radius: 2 * scale, color: keypointColors[k] ?? .white)
            }
            let label = String(format: "%.2f", f.score)
            let size = RGBImage.textSize(label, scale: scale)
            let ty = max(0, Int(f.box.y.rounded()) - size.height - 2 * scale)
            img.fillRect(x: Int(f.box.x.rounded()), y: ty, width: size.width + 2 * scale, height: size.height + 2 * scale, color: .green)
            img.drawText(label, x: Int(f.box.x.rounded()) + scale, y: ty + scale, color: .black, scale: scale)
        }
        return img
    }

    /// Writes `<dir>/<relative path>` (PNG stays PNG; everything else becomes JPEG).
    static func write(item: ImageFiles.Item, faces: [Face], into dir: String) throws {
        let full = try ImageDecoder.decode(path: item.path)
        let ext = (item.relative as NSString).pathExtension.lowercased()
        var rel = item.relative
        if ext != "png" && ext != "jpg" && ext != "jpeg" { rel = (rel as NSString).deletingPathExtension + ".png" }
        let out = dir + "/" + rel
        try FileManager.default.createDirectory(atPath: (out as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ImageEncoder(jpegQuality: 90).write(annotate(full, faces: faces), to: out)
    }
}
