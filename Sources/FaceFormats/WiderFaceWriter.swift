import BlazeFace
import Foundation

/// WIDER FACE's submission layout, the one formatter that `detect --format wider` and `eval
/// --save-predictions` share: `<folder>/<event>/<name>.txt` holding the image name, the number
/// of boxes, then one `x y w h score` line per box.
public enum WiderFile {
    /// The key "event/name" of an image: its folder's name and its file name without extension.
    public static func key(forImagePath path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().lastPathComponent + "/" + url.deletingPathExtension().lastPathComponent
    }

    /// One image's file. Numbers are written in Swift's shortest round-trip form for `Double`,
    /// so reading the file back gives the same doubles (and the same AP as scoring in memory).
    public static func text(name: String, boxes: [(x: Double, y: Double, width: Double, height: Double, score: Double)]) -> String {
        var text = "\(name)\n\(boxes.count)\n"
        for b in boxes {
            text += "\(b.x) \(b.y) \(b.width) \(b.height) \(b.score)\n"
        }
        return text
    }

    /// The boxes of faces as WIDER rows (floats widened to doubles).
    public static func boxes(_ faces: [Face]) -> [(x: Double, y: Double, width: Double, height: Double, score: Double)] {
        faces.map { (Double($0.box.x), Double($0.box.y), Double($0.box.width), Double($0.box.height), Double($0.score)) }
    }

    /// Writes `text` to `<folder>/<key>.txt`, creating the event folder.
    ///
    /// - Throws: ``FaceFormatError`` naming the file when it cannot be written.
    public static func write(_ text: String, key: String, into folder: String) throws {
        let path = (folder as NSString).appendingPathComponent(key + ".txt")
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw FaceFormatError("\(path): cannot write: \(error.localizedDescription)")
        }
    }
}

/// Writes each image's faces as a WIDER file under a folder (``WiderFile``). Images that failed
/// get no file.
public struct WiderFaceWriter: FaceWriter {
    private let folder: String

    /// Creates the folder.
    ///
    /// - Throws: ``FaceFormatError`` when no folder is given or it cannot be created.
    public init(folder: String?) throws {
        guard let folder else { throw FaceFormatError("the wider format writes a folder: give one with --output DIR") }
        if let problem = OutputPath.folderProblem(folder) { throw FaceFormatError("\(folder): cannot write the predictions: \(problem)") }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FaceFormatError("\(folder): cannot create the folder: \(error.localizedDescription)")
        }
        self.folder = folder
    }

    /// Writes one image's record (see the type's description for what it holds).
    public mutating func write(_ r: ImageFaces) throws {
        guard r.error == nil else { return }
        let key = WiderFile.key(forImagePath: r.path)
        let name = String(key.split(separator: "/").last ?? "")
        try WiderFile.write(WiderFile.text(name: name, boxes: WiderFile.boxes(r.faces)), key: key, into: folder)
    }

    /// Completes the output and closes any file.
    public mutating func finish() throws {}
}
