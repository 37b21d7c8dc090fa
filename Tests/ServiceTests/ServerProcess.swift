import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

/// A `blazeface serve` process on a free loopback port, as a user would start it.
final class ServerProcess: @unchecked Sendable {
    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("blazeface").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/blazeface").path
    }()

    let process = Process()
    private(set) var port = 0
    private let lock = NSLock()
    private var lines: [String] = []

    /// Starts `blazeface serve --port 0 ARGS` and waits until it listens and is ready.
    init(_ args: [String] = []) async throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"] + args
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        let portBox = PortBox()
        err.fileHandleForReading.readabilityHandler = { [weak self] h in
            let data = h.availableData
            guard !data.isEmpty else { h.readabilityHandler = nil; return }
            self?.append(String(decoding: data, as: UTF8.self), portBox)
        }
        try process.run()
        let start = Date()
        while portBox.port == nil {
            guard process.isRunning, Date().timeIntervalSince(start) < 60 else {
                throw ServerError("server did not start: \(log)")
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        port = portBox.port ?? 0
        while try await get("/readyz").status != .ok {
            guard Date().timeIntervalSince(start) < 60 else { throw ServerError("server never became ready: \(log)") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    private var partial = ""
    private func append(_ text: String, _ portBox: PortBox) {
        lock.lock()
        defer { lock.unlock() }
        partial += text
        while let nl = partial.firstIndex(of: "\n") {
            let line = String(partial[..<nl])
            partial = String(partial[partial.index(after: nl)...])
            lines.append(line)
            if line.contains("\"message\":\"listening\""), let r = line.range(of: "\"port\":") {
                portBox.port = Int(line[r.upperBound...].prefix { $0.isNumber })
            }
        }
    }

    /// Everything logged so far, one JSON object a line.
    var log: String { lock.withLock { lines.joined(separator: "\n") } }
    var logLines: [String] { lock.withLock { lines } }

    var url: String { "http://127.0.0.1:\(port)" }

    /// A GET.
    func get(_ path: String) async throws -> Reply {
        try await send(HTTPClientRequest(url: url + path))
    }

    /// A POST of `body` to `path` (query included).
    func post(_ path: String, _ body: [UInt8], headers: [(String, String)] = []) async throws -> Reply {
        var r = HTTPClientRequest(url: url + path)
        r.method = .POST
        r.body = .bytes(ByteBuffer(bytes: body))
        for (k, v) in headers { r.headers.add(name: k, value: v) }
        return try await send(r)
    }

    func send(_ request: HTTPClientRequest, timeout: Int64 = 60) async throws -> Reply {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: response.status, headers: response.headers, body: Array(body.readableBytesView))
    }

    /// SIGTERM, then the exit status (waits at most `seconds`).
    func terminate(within seconds: Double = 30) async throws -> Int32 {
        process.terminate()
        let start = Date()
        while process.isRunning {
            guard Date().timeIntervalSince(start) < seconds else {
                kill(process.processIdentifier, SIGKILL)
                throw ServerError("server still running \(seconds) s after SIGTERM")
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

final class PortBox: @unchecked Sendable {
    var port: Int?
}

/// A response: status, headers, body.
struct Reply: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    /// The `code` of a JSON error body.
    var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String { (json?["error"] as? [String: Any])?["message"] as? String ?? "" }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
