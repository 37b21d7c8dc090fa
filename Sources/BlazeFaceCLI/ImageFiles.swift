import Foundation

/// The images a command works on: files as given, and image files found in directories
/// (recursively, sorted; other files in them are ignored).
struct ImageFiles {
    static let extensions: Set<String> = ["jpg", "jpeg", "png", "ppm", "pgm", "pnm"]

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
            var found: [String] = []
            while let rel = e.nextObject() as? String {
                if Self.extensions.contains((rel as NSString).pathExtension.lowercased()) { found.append(rel) }
            }
            let base = p.hasSuffix("/") ? String(p.dropLast()) : p
            items += found.sorted().map { Item(path: base + "/" + $0, relative: $0) }
        }
    }
}
