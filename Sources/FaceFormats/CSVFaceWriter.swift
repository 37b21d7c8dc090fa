import BlazeFace
import Foundation

/// CSV: a header, then one row per face: `path,width,height,face,score,x,y,width,height`, then
/// `x, y` of each keypoint (``FaceKeypoint`` order); numbers to 2 decimals. Images that failed
/// have no rows.
public struct CSVFaceWriter: FaceWriter {
    private let output: TextOutput

    /// Starts writing (the header).
    public init(to output: TextOutput) {
        self.output = output
        let keypoints = FaceKeypoint.allCases.flatMap { ["\($0.rawValue)_x", "\($0.rawValue)_y"] }
        output.write((["path", "width", "height", "face", "score", "x", "y", "width", "height"] + keypoints).joined(separator: ",") + "\n")
    }

    /// Writes one image's record (see the type's description for what it holds).
    public mutating func write(_ r: ImageFaces) throws {
        guard r.error == nil else { return }
        for (i, f) in r.faces.enumerated() {
            var cells = [Self.quote(r.path), "\(r.width)", "\(r.height)", "\(i)", Self.number(f.score),
                         Self.number(f.box.x), Self.number(f.box.y), Self.number(f.box.width), Self.number(f.box.height)]
            for k in FaceKeypoint.allCases {
                let p = f.keypoints[k]
                cells += [p.map { Self.number($0.x) } ?? "", p.map { Self.number($0.y) } ?? ""]
            }
            output.write(cells.joined(separator: ",") + "\n")
        }
    }

    /// Completes the output and closes any file.
    public mutating func finish() throws { try output.close() }

    static func number(_ v: Float) -> String { String(format: "%.2f", v) }

    /// A field quoted when it holds a comma, quote or line break.
    static func quote(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
