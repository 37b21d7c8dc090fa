import BlazeFace

/// The models a server was started with, each prepared once and shared by every request (each
/// request borrows an interpreter from its detector's pool).
public struct ServedModels: Sendable {
    /// One prepared model, under the name it was given and its family's names.
    public struct Entry: Sendable {
        /// The name or path given to `--model`.
        public var name: String
        /// The detector with the default options.
        public var detector: FaceDetector
        /// Names that select it in `?model=`.
        public var names: Set<String>
    }

    /// In the order given; the first is the default.
    public let entries: [Entry]

    /// Resolves and prepares each model (names as `detect --model` takes them).
    ///
    /// - Throws: `ModelNotFound`, or the detector's errors, naming the model.
    public init(_ names: [String]) throws {
        entries = try names.map { name in
            let (path, family) = try ModelFiles.resolve(name)
            let detector = try FaceDetector(modelPath: path, family: family)
            return Entry(name: name, detector: detector, names: Set([name] + detector.family.names))
        }
    }

    /// The model `?model=` selects (nil: the default), or a 400 naming the served ones.
    func entry(_ name: String?) throws -> Entry {
        guard let first = entries.first else { throw ServiceError(.serviceUnavailable, "no_model", "no model is loaded") }
        guard let name else { return first }
        guard let e = entries.first(where: { $0.names.contains(name) }) else {
            throw ServiceError.parameter("model", "'\(name.prefix(60))' is not served here; this server serves \(entries.map(\.name).joined(separator: ", ")) (start it with --model to add one)")
        }
        return e
    }
}
