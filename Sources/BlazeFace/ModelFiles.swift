import Foundation
import Installation

/// Where model files are looked for, and what a `--model` value names.
public enum ModelFiles {
    /// The folders searched for a family's file, in order, each once:
    ///
    /// 1. `$BLAZEFACE_MODELS`, when set;
    /// 2. `./models` (the current directory's);
    /// 3. the `models` folder of the checkout the running executable was built in
    ///    (`<checkout>/.build/<config>/blazeface`), and `shared/models` beside that checkout;
    /// 4. `./../shared/models`.
    ///
    /// This is the one list; an install prefix (`<executable>/../share/blazeface/models`) belongs
    /// here.
    public static func searchFolders(environment: [String: String] = ProcessInfo.processInfo.environment,
                                     currentDirectory: String = FileManager.default.currentDirectoryPath,
                                     executable: String = CommandLine.arguments.first ?? "") -> [String] {
        var folders: [String] = []
        if let d = environment["BLAZEFACE_MODELS"], !d.isEmpty { folders.append(d) }
        folders.append(currentDirectory + "/models")
        if let checkout = buildCheckout(of: executable) {
            folders.append(checkout.appendingPathComponent("models").path)
            folders.append(checkout.deletingLastPathComponent().appendingPathComponent("shared/models").path)
        }
        // An installed binary (scripts/install.sh): PREFIX/bin/blazeface finds PREFIX/share/blazeface/models.
        var isDir: ObjCBool = false
        let installedHere = executable.hasPrefix("/")
            ? InstalledModels.folder(forExecutable: URL(fileURLWithPath: executable).resolvingSymlinksInPath().path) : nil
        if let installedHere, FileManager.default.fileExists(atPath: installedHere, isDirectory: &isDir), isDir.boolValue {
            folders.append(installedHere)
        } else if installedHere == nil, let installed = InstalledModels.folder() {
            folders.append(installed)
        }
        folders.append(currentDirectory + "/../shared/models")
        var seen = Set<String>()
        return folders.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }

    /// The checkout an executable under `<checkout>/.build/...` was built in.
    static func buildCheckout(of executable: String) -> URL? {
        guard !executable.isEmpty else { return nil }
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            if dir.lastPathComponent == ".build" { return dir.deletingLastPathComponent() }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// The name used when no model is given: `$BLAZEFACE_MODEL`, else `front-int8` when its file
    /// is found (`scripts/setup.sh` makes it), else `front`.
    public static var defaultModel: String {
        defaultModel(environment: ProcessInfo.processInfo.environment)
    }

    /// ``defaultModel`` under `environment`.
    public static func defaultModel(environment: [String: String]) -> String {
        if let name = environment["BLAZEFACE_MODEL"], !name.isEmpty { return name }
        return ModelFamily.frontInt8.find(environment: environment) != nil ? ModelFamily.frontInt8.name : ModelFamily.front.name
    }

    /// What a model argument stands for: a family name (located in the search folders) or a path.
    ///
    /// - Parameter value: A family name or alias (``ModelFamily/named(_:)``), a file path, or nil
    ///   for ``defaultModel``.
    /// - Returns: The file's path, and the family when the value named one.
    /// - Throws: ``ModelNotFound`` when a named family's file is in none of the folders.
    public static func resolve(_ value: String?) throws -> (path: String, family: ModelFamily?) {
        let name = value ?? defaultModel
        guard let family = ModelFamily.named(name) else { return (name, nil) }
        return (try family.locate(), family)
    }
}

extension ModelFamily {
    /// The path the family's environment variable gives, when it is set.
    public func environmentPath(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        environmentVariable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where the family's file is: the environment variable's path when it is set (and only
    /// there), else the first search folder
    /// (``ModelFiles/searchFolders(environment:currentDirectory:executable:)``) holding
    /// ``fileName``; nil when the file is not there.
    public func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = environmentPath(environment) { return FileManager.default.fileExists(atPath: p) ? p : nil }
        return ModelFiles.searchFolders(environment: environment)
            .map { $0 + "/" + fileName }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The family's file path.
    ///
    /// - Throws: ``ModelNotFound`` naming the file, the environment variable and each folder
    ///   searched.
    public func locate() throws -> String {
        if let p = find() { return p }
        throw ModelNotFound(family: self, folders: ModelFiles.searchFolders(), environmentPath: environmentPath())
    }
}

/// A named model whose file is in none of the search folders.
public struct ModelNotFound: Error, CustomStringConvertible, Sendable {
    /// The family looked for.
    public var family: ModelFamily
    /// The folders searched, in order.
    public var folders: [String]
    /// The path the family's environment variable gave (then the only place looked).
    public var environmentPath: String?

    /// Creates the error.
    public init(family: ModelFamily, folders: [String], environmentPath: String? = nil) {
        self.family = family
        self.folders = folders
        self.environmentPath = environmentPath
    }

    /// Names the file, where it was looked for, and how to provide it.
    public var description: String {
        if let p = environmentPath, let v = family.environmentVariable {
            return "model '\(family.name)': $\(v) is \(p), which does not exist; set it to the file's path, or pass --model PATH"
        }
        var text = "model '\(family.name)' (\(family.fileName)) not found"
        if let v = family.environmentVariable { text += "; $\(v) is not set" }
        text += "; searched " + folders.joined(separator: ", ")
        if let float = family.quantizedFrom {
            text += "; run scripts/setup.sh to make it (blazeface quantize of '\(float)'), or pass --model PATH"
        } else if family.fetchedBySetup {
            text += "; run scripts/setup.sh to fetch it, or pass --model PATH"
        } else if let v = family.environmentVariable {
            text += "; set $\(v) to the file's path, put it in one of those folders, or pass --model PATH"
        } else {
            text += "; pass --model PATH"
        }
        return text
    }
}
