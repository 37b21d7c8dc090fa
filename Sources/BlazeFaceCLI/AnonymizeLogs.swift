import Anonymizer
import Foundation

/// `--masks FILE`: JSON lines `{"path":…,"frame":…,"width":…,"height":…,"masks":[{"x":…,"y":…,"width":…,"height":…,"shape":"ellipse"}]}`.
final class MaskLog {
    let handle: FileHandle
    let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw CLIError("\(path): cannot create the --masks file")
        }
        handle = h
    }

    func write(path input: String, frame: Int?, width: Int?, height: Int?, regions: [MaskRegion]) {
        var fields = ["\"path\":\(Self.quoted(input))"]
        if let frame { fields.append("\"frame\":\(frame)") }
        if let width, let height { fields.append("\"width\":\(width),\"height\":\(height)") }
        let masks = regions.map { r in
            String(format: "{\"x\":%.2f,\"y\":%.2f,\"width\":%.2f,\"height\":%.2f,\"shape\":\"%@\"}",
                   r.box.x, r.box.y, r.box.width, r.box.height, r.shape.rawValue)
        }
        fields.append("\"masks\":[" + masks.joined(separator: ",") + "]")
        handle.write(Data(("{" + fields.joined(separator: ",") + "}\n").utf8))
    }

    static func quoted(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    func close() { try? handle.close() }
}

/// A one-line progress bar on standard error: frames, frames per second, time left.
final class ProgressBar {
    let name: String
    let enabled: Bool
    init(name: String, enabled: Bool) {
        self.name = name
        self.enabled = enabled
    }

    func show(_ p: VideoProgress) {
        guard enabled else { return }
        var line = "\(name) "
        if let total = p.expectedFrames, total > 0 {
            let f = min(1, Double(p.frames) / Double(total))
            let width = 30, filled = Int(f * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += "\(p.frames)/\(total)"
            let rate = p.framesPerSecond
            if rate > 0 {
                let left = Int((Double(max(0, total - p.frames)) / rate).rounded())
                line += String(format: " %.1f fps, %d:%02d left", rate, left / 60, left % 60)
            }
        } else {
            line += String(format: "%d frames, %.1f fps", p.frames, p.framesPerSecond)
        }
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
