import Foundation
import Testing
import TestSupport

/// `POST /v1/detect` against the real server: the same faces as `blazeface detect` on the same
/// files, to the last digit.
@Suite(.serialized) struct DetectEndpointTests {
    /// `detect FILE --format jsonl ARGS`'s record, parsed.
    static func cliRecord(_ file: String, _ args: [String] = []) throws -> [String: Any] {
        let out = try runProcess(ServerProcess.binary, ["detect", file, "--format", "jsonl"] + args)
        #expect(out.status == 0, "\(out.stderr)")
        let line = out.stdout.split(separator: "\n").first.map(String.init) ?? ""
        return try #require((try JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])
    }

    /// The record's faces, width, height and model calls, compared as JSON text (the JSON is
    /// written by the same formatter, so equal faces are equal text).
    static func comparable(_ r: [String: Any]) throws -> String {
        var r = r
        r["path"] = nil
        let data = try JSONSerialization.data(withJSONObject: r, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func compare(_ server: ServerProcess, files: [String], query: String = "", cliArgs: [String] = []) async throws {
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            let reply = try await server.post("/v1/detect" + query, bytes)
            #expect(reply.status == .ok, "\(file): \(reply.text)")
            let record = try #require(reply.json, "\(file): not JSON: \(reply.text)")
            let cli = try cliRecord(file, cliArgs)
            #expect(try comparable(record) == comparable(cli), "\(file)\(query)")
            #expect(reply.headers.first(name: "X-Face-Count") == String((record["faces"] as? [Any])?.count ?? -1))
        }
    }

    @Test func sampleFetchedBySetupMatchesDetect() async throws {
        let server = try await ServerProcess()
        try await Self.compare(server, files: [SharedData.samplePhoto])
        try await Self.compare(server, files: [SharedData.samplePhoto], query: "?min_score=0.3&box=wider&max_faces=1",
                               cliArgs: ["--min-score", "0.3", "--box", "wider", "--max-faces", "1"])
        #expect(try await server.terminate() == 0)
    }

    @Test(.requires(.samples)) func sharedPhotosMatchDetect() async throws {
        let server = try await ServerProcess()
        let files = ["jpg", "png", "webp"].flatMap { SharedData.files(under: "data/samples", extension: $0) }
        #expect(files.count >= 5)
        try await Self.compare(server, files: Array(files.prefix(40)))
        #expect(try await server.terminate() == 0)
    }

    @Test(.requires(.samples)) func tiledDetectionMatchesDetect() async throws {
        // Tiled requests in a debug (or ASan) build on a loaded machine can pass the default 10 s.
        let server = try await ServerProcess(["--deadline", "120"])
        let files = SharedData.files(under: "data/samples/photos", extension: "jpg")
        try await Self.compare(server, files: Array(files.prefix(4)), query: "?tiles=auto", cliArgs: ["--tiles", "auto"])
        #expect(try await server.terminate() == 0)
    }

    @Test func requestIDsAreSentAndLogged() async throws {
        let server = try await ServerProcess()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: SharedData.samplePhoto)))
        let given = try await server.post("/v1/detect", bytes, headers: [("X-Request-ID", "abc-123.x_y")])
        #expect(given.headers.first(name: "X-Request-ID") == "abc-123.x_y")
        let made = try await server.post("/v1/detect", bytes, headers: [("X-Request-ID", "bad id with spaces")])
        let id = try #require(made.headers.first(name: "X-Request-ID"))
        #expect(id != "bad id with spaces" && !id.isEmpty)
        #expect(try await server.terminate() == 0)
        for rid in ["abc-123.x_y", id] {
            let line = try #require(server.logLines.first { $0.contains("\"request_id\":\"\(rid)\"") }, "no log line for \(rid): \(server.log)")
            let fields = try #require((try JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])
            #expect(fields["status"] as? Int == 200)
            #expect(fields["path"] as? String == "/v1/detect")
            #expect(fields["faces"] as? String == "1")
        }
    }

    @Test func metricsHealthAndPage() async throws {
        let server = try await ServerProcess()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: SharedData.samplePhoto)))
        _ = try await server.post("/v1/detect", bytes)
        _ = try await server.post("/v1/detect?tiles=2", bytes)
        _ = try await server.post("/v1/detect", [1, 2, 3])
        #expect(try await server.get("/healthz").status == .ok)
        let metrics = try await server.get("/metrics").text
        #expect(metrics.contains(#"blazeface_http_requests_total{route="/v1/detect",status="200"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"blazeface_http_requests_total{route="/v1/detect",status="415"} 1"#))
        #expect(metrics.contains(#"blazeface_http_request_duration_seconds_bucket{route="/v1/detect",le="+Inf"} 3"#))
        #expect(metrics.contains("blazeface_http_requests_in_flight 1.0"))  // this request
        // The model served when none is given is the CLI's default (front-int8 once setup made it).
        let models = try runProcess(ServerProcess.binary, ["models", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [[String: Any]])
        let defaultName = try #require(list.first { $0["isDefault"] as? Bool == true }?["name"] as? String)
        #expect(metrics.contains("blazeface_model_calls_total{model=\"\(defaultName)\"}"), "\(metrics)")
        #expect(metrics.contains("blazeface_ready 1"))
        let page = try await server.get("/")
        #expect(page.status == .ok && page.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.text.contains("/v1/detect") && page.text.contains("tiles=auto"))
        // Offline: nothing fetched from another host.
        #expect(!page.text.contains("http://") && !page.text.contains("https://") && !page.text.contains("//cdn"))
        #expect(try await server.terminate() == 0)
    }
}
