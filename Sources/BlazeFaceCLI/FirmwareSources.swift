import Foundation
import MicroExport

/// The firmware's source files (Firmware/, Sources/MicroKernels/, Sources/CMicroPlan/include/),
/// found beside the binary's checkout or install, and the project `export` writes from them.
struct FirmwareSources {
    /// The folder holding Firmware/ and Sources/.
    var root: String

    /// `$BLAZEFACE_SOURCE`, else the checkout the binary was built in (walking up from it), else
    /// `<prefix>/share/blazeface` of an installed binary (scripts/install.sh copies them there).
    static func locate() throws -> FirmwareSources {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["BLAZEFACE_SOURCE"], !env.isEmpty { candidates.append(env) }
        var dir = (CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } ?? "") as NSString
        for _ in 0..<6 {
            dir = dir.deletingLastPathComponent as NSString
            candidates.append(dir as String)
            candidates.append(dir.appendingPathComponent("share/blazeface"))
        }
        for c in candidates where FileManager.default.fileExists(atPath: c + "/Firmware/Makefile")
            && FileManager.default.fileExists(atPath: c + "/Sources/MicroKernels/Runtime.swift") {
            return FirmwareSources(root: c)
        }
        throw CLIError("cannot find the firmware sources (Firmware/ and Sources/MicroKernels/); set BLAZEFACE_SOURCE to the blazeface checkout")
    }

    /// Files copied into the project: (source relative to the root, destination relative to DIR).
    func files() throws -> [(String, String)] {
        let fm = FileManager.default
        func list(_ dir: String, _ ext: String) throws -> [String] {
            try fm.contentsOfDirectory(atPath: root + "/" + dir).filter { $0.hasSuffix(ext) }.sorted().map { dir + "/" + $0 }
        }
        var pairs: [(String, String)] = [("Firmware/Makefile", "Makefile"), ("Firmware/an547.ld", "an547.ld"), ("Firmware/lib.ld", "lib.ld")]
        for f in try list("Sources/MicroKernels", ".swift") + list("Firmware/swift", ".swift") { pairs.append((f, "blazeface/swift/" + (f as NSString).lastPathComponent)) }
        for f in try list("Sources/CMicroPlan/include", ".h") + list("Firmware/include", ".h") { pairs.append((f, "blazeface/include/" + (f as NSString).lastPathComponent)) }
        pairs.append(("Sources/CMicroPlan/include/module.modulemap", "blazeface/include/module.modulemap"))
        for f in try list("Firmware/src", ".c") + list("Firmware/src", ".h") { pairs.append((f, "blazeface/src/" + (f as NSString).lastPathComponent)) }
        if fm.fileExists(atPath: root + "/Firmware/mve") {
            for f in try list("Firmware/mve", ".c") + list("Firmware/mve", ".h") + list("Firmware/mve", ".modulemap") {
                pairs.append((f, "blazeface/mve/" + (f as NSString).lastPathComponent))
            }
        }
        return pairs
    }

    /// Writes the project: sources, model_data.c, demo_data.c and index.json. Refuses a DIR
    /// that is a file; never touches files it does not write.
    static func writeProject(_ export: MicroExport, modelName: String, sources: FirmwareSources, to dir: String,
                             outputFiles: [String], dumpIndex: Data) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir), !isDir.boolValue { throw CLIError("\(dir): exists and is not a folder") }
        for sub in ["", "/blazeface/swift", "/blazeface/include", "/blazeface/src", "/blazeface/mve"] {
            try fm.createDirectory(atPath: dir + sub, withIntermediateDirectories: true)
        }
        for (from, to) in try sources.files() {
            try writeIfChanged(try Data(contentsOf: URL(fileURLWithPath: sources.root + "/" + from)), to: dir + "/" + to)
        }
        let source = MicroSource(export, modelName: modelName)
        try writeIfChanged(Data(source.modelData().utf8), to: dir + "/model_data.c")
        try writeIfChanged(Data(try source.demoData(outputFiles: outputFiles).utf8), to: dir + "/demo_data.c")
        try writeIfChanged(dumpIndex, to: dir + "/index.json")
        try writeIfChanged(Data(source.readme().utf8), to: dir + "/README.md")
    }

    /// Writes `data` unless the file already holds exactly it (so `make` rebuilds only what changed).
    static func writeIfChanged(_ data: Data, to path: String) throws {
        if let old = FileManager.default.contents(atPath: path), old == data { return }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
