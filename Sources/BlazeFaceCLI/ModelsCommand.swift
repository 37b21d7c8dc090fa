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

    struct Entry: Encodable {
        var name: String
        var aliases: [String]
        var inputSize: Int
        var file: String
        var path: String?
        var present: Bool
        var environmentVariable: String?
        var fetchedBySetup: Bool
        var summary: String
    }

    func run() throws {
        let folders = ModelFiles.searchFolders()
        let entries = ModelFamily.all.map { f -> Entry in
            let path = f.find()
            return Entry(name: f.name, aliases: f.aliases, inputSize: f.inputSize, file: f.fileName, path: path ?? f.environmentPath(),
                         present: path != nil,
                         environmentVariable: f.environmentVariable, fetchedBySetup: f.fetchedBySetup, summary: f.summary)
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(entries), as: UTF8.self))
            return
        }
        let rows = entries.map { e in
            [([e.name] + e.aliases).joined(separator: ", "), "\(e.inputSize)", e.present ? "yes" : "no",
             e.path ?? e.file + (e.fetchedBySetup ? " (scripts/setup.sh fetches it)" : e.environmentVariable.map { " (set $\($0))" } ?? "")]
        }
        print(Table(header: ["name", "input", "present", "file"], rows: rows).render(), terminator: "")
        print("\nsearched, in order:")
        for f in folders { print("  \(f)") }
    }
}
