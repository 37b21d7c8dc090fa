import ArgumentParser
import BlazeFace
import Foundation

/// `blazeface models`: the model names, the files they resolve to, and whether each is present.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the model names, the files they resolve to, and whether each is present.",
        discussion: """
        Every command that takes a model (detect, eval, bench --model; inspect and run) accepts \
        these names or a .tflite path. A file is looked for in each folder below, in order; a \
        family with an environment variable uses that path when it is set.
        """
    )

    @Flag(help: "Print the list as JSON.")
    var json = false

    /// One family's line: its names, its file, where it was found and whether it is there.
    struct Entry: Encodable {
        var name: String, aliases: [String]
        var file: String, path: String?, present: Bool
        /// Whether a command given no model uses this one.
        var isDefault: Bool
    }

    func run() throws {
        let folders = ModelFiles.searchFolders()
        let defaultName = ModelFiles.defaultModel  // searches the folders: once
        let defaultFamily = ModelFamily.named(defaultName)
        let entries = ModelFamily.all.map { f -> Entry in
            let path = f.find()
            return Entry(name: f.name, aliases: f.aliases, file: f.fileName, path: path ?? f.environmentPath(), present: path != nil,
                         isDefault: f == defaultFamily)
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(entries), as: UTF8.self))
            return
        }
        let rows = zip(ModelFamily.all, entries).map { f, e in
            [f.names.joined(separator: ", ") + (e.isDefault ? " (default)" : ""), "\(f.inputSize)", e.present ? "yes" : "no",
             e.path ?? e.file + (f.quantizedFrom != nil ? " (scripts/setup.sh makes it)"
                                 : f.fetchedBySetup ? " (scripts/setup.sh fetches it)" : f.environmentVariable.map { " (set $\($0))" } ?? ""),
             f.summary]
        }
        print(Table(header: ["name", "input", "present", "file", "model"], rows: rows).render(), terminator: "")
        print("\nsearched, in order:")
        for f in folders { print("  \(f)") }
        print("default: \(defaultName) ($BLAZEFACE_MODEL, else front-int8 when present, else front)")
    }
}
