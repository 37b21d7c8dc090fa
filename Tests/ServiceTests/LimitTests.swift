import AsyncHTTPClient
import Foundation
import Imaging
import NIOCore
import Testing
import TestSupport

/// Every limit answers with its status and a JSON error naming the problem, with a request ID.
@Suite(.serialized) struct LimitTests {
    static var photo: [UInt8] { (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: SharedData.samplePhoto)))) ?? [] }

    static func expectError(_ reply: Reply, _ status: UInt, _ code: String, mentioning words: [String] = []) {
        #expect(reply.status.code == status, "\(reply.text)")
        #expect(reply.errorCode == code, "\(reply.text)")
        #expect(reply.headers.first(name: "Content-Type") == "application/json")
        #expect(reply.headers.first(name: "X-Request-ID")?.isEmpty == false)
        #expect(reply.json?["request_id"] as? String == reply.headers.first(name: "X-Request-ID"))
        for w in words { #expect(reply.errorMessage.contains(w), "'\(w)' not in \(reply.errorMessage)") }
    }

    @Test func badImagesAndParameters() async throws {
        let server = try await ServerProcess()
        var random = SplitMix64(seed: 17)
        let noise = (0..<5000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        Self.expectError(try await server.post("/v1/detect", noise), 415, "unsupported_image", mentioning: ["JPEG, PNG"])
        Self.expectError(try await server.post("/v1/detect", Array("BM".utf8) + noise), 415, "unsupported_image", mentioning: ["BMP"])
        let photo = Self.photo
        let truncated = Array(photo.prefix(photo.count / 2))
        let reply = try await server.post("/v1/detect", truncated)
        #expect([422].contains(reply.status.code), "\(reply.text)")
        #expect(["truncated_image", "corrupt_image"].contains(reply.errorCode ?? ""), "\(reply.text)")
        Self.expectError(try await server.post("/v1/detect", []), 400, "empty_body")
        Self.expectError(try await server.post("/v1/detect?min_score=2", photo), 400, "invalid_parameter", mentioning: ["min_score", "0.0...1.0"])
        Self.expectError(try await server.post("/v1/detect?colour=red", photo), 400, "invalid_parameter", mentioning: ["colour", "unknown"])
        Self.expectError(try await server.post("/v1/detect?tiles=9", photo), 400, "invalid_parameter", mentioning: ["tiles"])
        Self.expectError(try await server.post("/v1/detect?model=back", photo), 400, "invalid_parameter", mentioning: ["serves front"])
        Self.expectError(try await server.get("/nowhere"), 404, "not_found")
        // The server still answers normally.
        #expect(try await server.post("/v1/detect", photo).status == .ok)
        #expect(try await server.terminate() == 0)
    }

    @Test func bodyAndPixelLimits() async throws {
        let server = try await ServerProcess(["--max-body-mb", "0.1", "--max-megapixels", "1"])
        let photo = Self.photo
        #expect(photo.count > 100_000)
        Self.expectError(try await server.post("/v1/detect", photo), 413, "body_too_large", mentioning: ["104858 bytes", "--max-body-mb"])
        // Streamed without a Content-Length: the limit is checked as the bytes arrive.
        var streamed = HTTPClientRequest(url: server.url + "/v1/detect")
        streamed.method = .POST
        let chunks = stride(from: 0, to: photo.count, by: 8192).map { ByteBuffer(bytes: photo[$0..<min(photo.count, $0 + 8192)]) }
        streamed.body = .stream(chunks.async, length: .unknown)
        Self.expectError(try await server.send(streamed), 413, "body_too_large")
        // A small file of a large image: 1500x1000 pixels, past 1 megapixel.
        let big = try ImageEncoder().pngData(RGBImage(width: 1500, height: 1000, pixels: [UInt8](repeating: 90, count: 1500 * 1000 * 3)))
        #expect(big.count < 100_000)
        Self.expectError(try await server.post("/v1/detect", big), 413, "image_too_large", mentioning: ["1500", "1000"])
        #expect(try await server.terminate() == 0)
    }

    @Test func slowBodyTimesOutWithoutStarvingOthers() async throws {
        let server = try await ServerProcess(["--deadline", "4", "--threads", "1"])
        let photo = Self.photo
        // A body dribbled a byte every 100 ms never completes within the deadline...
        async let slow: Reply = {
            var r = HTTPClientRequest(url: server.url + "/v1/detect")
            r.method = .POST
            r.body = .stream(Dribble(bytes: Array(photo.prefix(200)), interval: 100_000_000), length: .known(Int64(photo.count)))
            return try await server.send(r)
        }()
        // ...while other clients are served meanwhile.
        try await Task.sleep(nanoseconds: 200_000_000)
        for _ in 0..<5 { #expect(try await server.post("/v1/detect", photo).status == .ok) }
        Self.expectError(try await slow, 408, "body_timeout")
        #expect(try await server.terminate() == 0)
    }

    @Test func overloadAnswers503WithRetryAfter() async throws {
        let server = try await ServerProcess(["--threads", "1", "--queue", "1", "--deadline", "300"])
        let photo = Self.photo
        let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
            for _ in 0..<12 { group.addTask { try await server.post("/v1/detect?tiles=2", photo) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let refused = replies.filter { $0.status == .serviceUnavailable }
        #expect(replies.allSatisfy { $0.status == .ok || $0.status == .serviceUnavailable }, "\(replies.map(\.text))")
        #expect(replies.contains { $0.status == .ok })
        #expect(!refused.isEmpty)
        for r in refused {
            Self.expectError(r, 503, "overloaded", mentioning: ["busy"])
            #expect(r.headers.first(name: "Retry-After") == "1")
        }
        #expect(try await server.terminate() == 0)
    }
}

/// Bytes one at a time, `interval` nanoseconds apart.
struct Dribble: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let bytes: [UInt8]
    let interval: UInt64

    struct AsyncIterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        let interval: UInt64
        var index = 0
        mutating func next() async throws -> ByteBuffer? {
            guard index < bytes.count else { return nil }
            try await Task.sleep(nanoseconds: interval)
            defer { index += 1 }
            return ByteBuffer(bytes: [bytes[index]])
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes, interval: interval) }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    var async: AsyncStream<Element> {
        AsyncStream { c in
            for e in self { c.yield(e) }
            c.finish()
        }
    }
}
