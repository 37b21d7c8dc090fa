import BlazeFace
import Foundation

/// Model names on the command line: every command resolves them through ``ModelFamily``.
enum ModelNames {
    /// The family names, for help texts: "front, back, ..., front-int8, ..., st-int8".
    static var list: String { ModelFamily.all.map(\.name).joined(separator: ", ") }

    /// The file a model argument stands for: a family name located in the search folders, or a path.
    static func path(_ value: String?) throws -> String {
        try ModelFiles.resolve(value).path
    }
}
