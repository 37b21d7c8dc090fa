import Foundation

/// Where `--draw DIR` writes each annotated copy, decided before anything is written.
///
/// Each input keeps its path relative to the deepest folder that holds every input, mirrored
/// under `DIR` (`detect a/x.jpg b/x.jpg --draw out` writes `out/a/x.jpg` and `out/b/x.jpg`;
/// `detect photos --draw out` writes `out/<path inside photos>`). JPEG and PNG keep their
/// format and name; other formats are written as PNG with `.png` appended (`x.ppm.png`), so no
/// two inputs share a target. A target that is one of the inputs is refused.
struct DrawTargets {
    /// Target path for each input path.
    let targets: [String: String]

    /// Why the plan was refused: a target is an input file.
    struct Conflict: Error, CustomStringConvertible {
        var input: String
        var folder: String
        var description: String {
            "--draw \(folder) would overwrite the input \(input); choose a folder outside the inputs"
        }
    }

    /// Plans targets for `items` (as listed by ``ImageFiles``) under `folder`, given the paths
    /// the user named on the command line.
    init(items: [ImageFiles.Item], roots: [String], folder: String) throws {
        let rootDirs = roots.map { root -> String in
            let abs = Self.absolute(root)
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: abs, isDirectory: &isDir) && isDir.boolValue
                ? abs : (abs as NSString).deletingLastPathComponent
        }
        let base = Self.commonAncestor(rootDirs)
        let out = Self.absolute(folder)
        var targets: [String: String] = [:]
        var inputs = Set<String>()
        for item in items { inputs.insert(Self.resolved(Self.absolute(item.path))) }
        for item in items {
            let abs = Self.absolute(item.path)
            var relative = abs.hasPrefix(base + "/") ? String(abs.dropFirst(base.count + 1)) : (abs as NSString).lastPathComponent
            if base == "/" { relative = String(abs.dropFirst()) }
            let ext = (relative as NSString).pathExtension.lowercased()
            if !["jpg", "jpeg", "png"].contains(ext) { relative += ".png" }
            let target = out + "/" + relative
            if inputs.contains(Self.resolved(target)) { throw Conflict(input: item.path, folder: folder) }
            targets[item.path] = target
        }
        self.targets = targets
    }

    /// `path` made absolute against the working directory and standardized (no `.`, `..`, `//`).
    static func absolute(_ path: String) -> String {
        let abs = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: abs).standardized.path
    }

    /// `path` with symbolic links resolved where it exists (so a link to an input is caught).
    static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// The deepest folder that contains every path in `dirs` ("/" at worst).
    static func commonAncestor(_ dirs: [String]) -> String {
        guard var common = dirs.first?.split(separator: "/", omittingEmptySubsequences: true) else { return "/" }
        for d in dirs.dropFirst() {
            let parts = d.split(separator: "/", omittingEmptySubsequences: true)
            var n = 0
            while n < min(common.count, parts.count) && common[n] == parts[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        return "/" + common.joined(separator: "/")
    }
}
