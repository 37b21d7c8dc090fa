import FaceFormats
import Foundation
import Logging

/// A swift-log handler that writes one JSON object a line to standard error:
/// `{"time", "level", "message", "label", ...metadata}`, for log collectors.
public struct JSONLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// Metadata added to every line.
    public var metadata: Logger.Metadata = [:]
    /// The least severe level written.
    public var logLevel: Logger.Level = .info

    private static let lock = NSLock()
    private let output: @Sendable (String) -> Void

    /// Creates a handler for the logger `label` that writes to standard error.
    public init(label: String) {
        self.init(label: label) { line in
            JSONLogHandler.lock.lock()
            FileHandle.standardError.write(Data(line.utf8))
            JSONLogHandler.lock.unlock()
        }
    }

    /// Creates a handler for the logger `label` that hands each line, newline included, to `output`.
    public init(label: String, output: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.output = output
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        var members: [(String, String)] = [
            ("time", JSON.string(Date().formatted(.iso8601))), ("level", JSON.string(event.level.rawValue)),
            ("message", JSON.string("\(event.message)")), ("label", JSON.string(label)),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { members.append((key, JSON.value(value))) }
        output(JSON.object(members) + "\n")
    }
}

/// JSON text for the service's own small documents (errors, logs, status), through
/// FaceFormats' `JSONText` (the writer of `detect`'s JSON).
enum JSON {
    /// A JSON string literal.
    static func string(_ s: String) -> String { JSONText.string(s) }

    /// `{"k": v, ...}` from members whose values are already JSON.
    static func object(_ members: [(String, String)]) -> String { JSONText.object(members) }

    /// A log metadata value: integers and decimals as numbers, the rest as strings.
    static func value(_ v: Logger.Metadata.Value) -> String {
        switch v {
        case .string(let s): return string(s)
        case .stringConvertible(let c):
            if let i = c as? Int { return String(i) }
            if let d = c as? Double, d.isFinite { return String(d) }
            return string(c.description)
        case .array(let a): return "[" + a.map(value).joined(separator: ",") + "]"
        case .dictionary(let d): return object(d.sorted { $0.key < $1.key }.map { ($0.key, value($0.value)) })
        }
    }
}
