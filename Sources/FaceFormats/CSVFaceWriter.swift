import BlazeFace
import Foundation

/// CSV: a header, then one row per face: `path,image_width,image_height,face,score,x,y,width,height`,
/// `x, y` of each keypoint (``FaceKeypoint`` order), and `error`. Coordinates have 2 decimals;
/// scores are written in full (shortest round trip), since 0.50 and 0.504 rank differently.
/// Every image has at least one row: an image without faces has one row with empty face fields,
/// and an image that could not be read one row with its `error`.
public struct CSVFaceWriter: FaceWriter {
    private let output: TextOutput

    /// Starts writing (the header).
    public init(to output: TextOutput) {
        self.output = output
        let keypoints = FaceKeypoint.allCases.flatMap { ["\($0.rawValue)_x", "\($0.rawValue)_y"] }
        output.write((["path", "image_width", "image_height", "face", "score", "x", "y", "width", "height"] + keypoints + ["error"])
            .joined(separator: ",") + "\n")
    }

    /// Writes one image's record (see the type's description for what it holds).
    public mutating func write(_ r: ImageFaces) throws {
        let image = [Self.quote(r.path), "\(r.width)", "\(r.height)"]
        let emptyFace = Array(repeating: "", count: 6 + 2 * FaceKeypoint.allCases.count)
        guard r.error == nil, !r.faces.isEmpty else {
            output.write((image + emptyFace + [Self.quote(r.error ?? "")]).joined(separator: ",") + "\n")
            return
        }
        for (i, f) in r.faces.enumerated() {
            var cells = image + ["\(i)", Self.score(f.score),
                                 Self.number(f.box.x), Self.number(f.box.y), Self.number(f.box.width), Self.number(f.box.height)]
            for k in FaceKeypoint.allCases {
                let p = f.keypoints[k]
                cells += [p.map { Self.number($0.x) } ?? "", p.map { Self.number($0.y) } ?? ""]
            }
            output.write((cells + [""]).joined(separator: ",") + "\n")
        }
    }

    /// Completes the output and closes any file.
    public mutating func finish() throws { try output.close() }

    static func number(_ v: Float) -> String { v.isFinite ? String(format: "%.2f", v) : "" }

    static func score(_ v: Float) -> String { v.isFinite ? "\(v)" : "" }

    /// A field quoted when it holds a comma, quote or line break.
    static func quote(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
