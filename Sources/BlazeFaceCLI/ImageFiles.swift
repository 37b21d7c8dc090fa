import Foundation
import Imaging

/// The images a command works on: files as given, `-` for standard input, and image files found
/// in directories (recursively, sorted).
///
/// In a directory, a file is taken when its extension names a supported format (`.jpg`, `.png`,
/// `.webp`, `.ppm`...). A file with no extension or another one is taken when its first bytes
/// are a supported image (an extensionless JPEG from a camera or a download), or a well-known
/// image format the decoder does not read (BMP, TIFF, GIF, HEIF...), so that it is reported
/// rather than silently left out. Anything else (text, FIFOs, devices) is ignored.
struct ImageFiles {
    static let extensions: Set<String> = ["jpg", "jpeg", "jpe", "jfif", "png", "ppm", "pgm", "pnm", "webp"]

    /// The relative name standard input gets (for outputs that mirror input names).
    static let standardInputRelativeName = "stdin"

    /// One file to process, with the path relative to the directory it was found in.
    struct Item {
        var path: String
        var relative: String
    }

    var items: [Item] = []
    /// Paths that do not exist or cannot be listed, with the reason.
    var missing: [(path: String, reason: String)] = []

    init(_ paths: [String]) {
        let fm = FileManager.default
        for p in paths {
            if p == ImageDecoder.standardInputPath {
                items.append(Item(path: p, relative: Self.standardInputRelativeName))
                continue
            }
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                missing.append((p, "no such file or directory"))
                continue
            }
            if !isDir.boolValue {
                items.append(Item(path: p, relative: (p as NSString).lastPathComponent))
                continue
            }
            guard let e = fm.enumerator(atPath: p) else {
                missing.append((p, "cannot list directory"))
                continue
            }
            let base = p.hasSuffix("/") ? String(p.dropLast()) : p
            var found: [String] = []
            while let rel = e.nextObject() as? String {
                if Self.extensions.contains((rel as NSString).pathExtension.lowercased()) {
                    found.append(rel)
                } else if ImageFormat.sniff(path: base + "/" + rel) != nil {
                    found.append(rel)
                }
            }
            items += found.sorted().map { Item(path: base + "/" + $0, relative: $0) }
        }
    }
}
