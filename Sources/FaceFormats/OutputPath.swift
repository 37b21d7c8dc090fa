import Foundation

/// Why an output path cannot be written, found before anything is written: a missing parent
/// folder, a folder where a file is wanted (or the reverse), or no permission.
enum OutputPath {
    /// nil when `path` can be created or replaced as a file; else the reason.
    static func fileProblem(_ path: String) -> String? {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { return "is a folder; give a file name" }
            return FileManager.default.isWritableFile(atPath: path) ? nil : "permission denied"
        }
        return parentProblem(path)
    }

    /// nil when `path` is, or can be made, a folder; else the reason.
    static func folderProblem(_ path: String) -> String? {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            return isDir.boolValue ? nil : "exists and is not a folder"
        }
        // Folders are created with their parents; the nearest existing ancestor must be a folder.
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDir) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        if ancestor.isEmpty { return nil }
        if !isDir.boolValue { return "\(ancestor) is not a folder" }
        return FileManager.default.isWritableFile(atPath: ancestor) ? nil : "permission denied in \(ancestor)"
    }

    static func parentProblem(_ path: String) -> String? {
        let parent = (path as NSString).deletingLastPathComponent
        let dir = parent.isEmpty ? "." : parent
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) else { return "the folder \(dir) does not exist" }
        guard isDir.boolValue else { return "\(dir) is not a folder" }
        return FileManager.default.isWritableFile(atPath: dir) ? nil : "permission denied in \(dir)"
    }
}
