import BlazeFace
import Foundation

/// Writes detection results in the chosen format, streaming where the format allows.
struct ResultWriter {
    /// The JSON record of one image (json and jsonl).
    struct Record: Encodable {
        var path: String
        var width: Int
        var height: Int
        var faces: [Face]
        var error: String?
        /// Model invocations made for the image (with tiling; absent for one pass).
        var modelCalls: Int?
    }

    let format: DetectCommand.Format
    let output: String?
    /// Whether JSON records carry `modelCalls` (set when tiling).
    var reportsModelCalls = false
    private var handle: FileHandle?
    private var count = 0
    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    init(format: DetectCommand.Format, output: String?) throws {
        self.format = format
        self.output = output
        if format == .wider {
            guard let output else { throw CLIError("--format wider needs --output DIR") }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            return
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let h = FileHandle(forWritingAtPath: output) else {
                throw CLIError("\(output): cannot create output file")
            }
            handle = h
        }
        switch format {
        case .json: emit("[")
        case .csv:
            let kp = FaceKeypoint.allCases.flatMap { ["\($0.rawValue)_x", "\($0.rawValue)_y"] }
            emit((["path", "width", "height", "face", "score", "x", "y", "width", "height"] + kp).joined(separator: ",") + "\n")
        default: break
        }
    }

    private func emit(_ s: String) {
        let data = Data(s.utf8)
        if let handle { handle.write(data) } else { FileHandle.standardOutput.write(data) }
    }

    mutating func write(_ r: DetectCommand.Result) throws {
        defer { count += 1 }
        switch format {
        case .json, .jsonl:
            let rec = Record(path: r.item.path, width: r.width, height: r.height, faces: r.faces, error: r.error,
                             modelCalls: reportsModelCalls && r.error == nil ? r.modelCalls : nil)
            let text = String(decoding: try encoder.encode(rec), as: UTF8.self)
            emit(format == .json ? (count == 0 ? "\n  " : ",\n  ") + text : text + "\n")
        case .csv:
            guard r.error == nil else { return }
            for (i, f) in r.faces.enumerated() {
                var cells = [Self.csvQuote(r.item.path), "\(r.width)", "\(r.height)", "\(i)", Self.num(f.score),
                             Self.num(f.box.x), Self.num(f.box.y), Self.num(f.box.width), Self.num(f.box.height)]
                for k in FaceKeypoint.allCases {
                    let p = f.keypoints[k]
                    cells += [p.map { Self.num($0.x) } ?? "", p.map { Self.num($0.y) } ?? ""]
                }
                emit(cells.joined(separator: ",") + "\n")
            }
        case .wider:
            guard r.error == nil, let output else { return }
            // <output>/<event>/<name>.txt: name, count, then "x y w h score" per face.
            let url = URL(fileURLWithPath: r.item.path)
            let event = url.deletingLastPathComponent().lastPathComponent
            let name = url.deletingPathExtension().lastPathComponent
            let dir = output + "/" + event
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var text = "\(name)\n\(r.faces.count)\n"
            for f in r.faces {
                text += "\(Self.num(f.box.x)) \(Self.num(f.box.y)) \(Self.num(f.box.width)) \(Self.num(f.box.height)) \(Self.num(f.score, digits: 6))\n"
            }
            do {
                try text.write(toFile: dir + "/" + name + ".txt", atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("\(dir)/\(name).txt: cannot write: \(error.localizedDescription)")
            }
        }
    }

    mutating func finish() throws {
        if format == .json { emit(count == 0 ? "]\n" : "\n]\n") }
        try handle?.close()
    }

    static func num(_ v: Float, digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }

    static func csvQuote(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// A progress bar on standard error, shown only when it is a terminal and there are many files.
final class Progress {
    let total: Int
    let enabled: Bool
    let start = Date()

    init(total: Int) {
        self.total = total
        enabled = isatty(2) != 0 && total >= 20
    }

    func update(done: Int, faces: Int) {
        guard enabled else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-6)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r[%@] %d/%d images, %d faces, %.1f images/s", bar, done, total, faces, rate).utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
