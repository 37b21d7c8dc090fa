import Foundation

/// Resolves `--model`: a path, or the names `float` / `int8`, or (when omitted) the model the
/// setup script installed.
enum ModelLocator {
    static let floatFile = "face_detection_front.tflite"
    static let int8File = "blazeface_front_128_quant_pc_ff_od_wider_face.tflite"

    /// Folders searched for named models: `$BLAZEFACE_MODELS`, `./models`, the `models` folder of
    /// the checkout the binary was built in, and `../shared/models` beside that checkout.
    static var searchFolders: [String] {
        var folders: [String] = []
        let env = ProcessInfo.processInfo.environment
        if let d = env["BLAZEFACE_MODELS"], !d.isEmpty { folders.append(d) }
        folders.append(FileManager.default.currentDirectoryPath + "/models")
        // The binary lives in <checkout>/.build/<config>/blazeface (or .build/<triple>/<config>/).
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            if dir.lastPathComponent == ".build" {
                let checkout = dir.deletingLastPathComponent()
                folders.append(checkout.appendingPathComponent("models").path)
                folders.append(checkout.deletingLastPathComponent().appendingPathComponent("shared/models").path)
                break
            }
            dir = dir.deletingLastPathComponent()
        }
        folders.append(FileManager.default.currentDirectoryPath + "/../shared/models")
        return folders
    }

    /// The model path for `--model` (nil = default: the float model).
    static func resolve(_ value: String?) throws -> String {
        let env = ProcessInfo.processInfo.environment
        let name = value ?? env["BLAZEFACE_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "float"
        let file: String
        switch name {
        case "float": file = floatFile
        case "int8":
            if let p = env["BLAZEFACE_INT8_MODEL"], !p.isEmpty { return p }
            file = int8File
        default: return name
        }
        for folder in searchFolders {
            let p = folder + "/" + file
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        throw CLIError("model '\(name)' (\(file)) not found in \(searchFolders.joined(separator: ", ")); run scripts/setup.sh or pass --model PATH")
    }
}
