import Foundation
import Imaging
import Testing
import TestSupport

/// Graceful shutdown, and the anonymize endpoint.
@Suite(.serialized) struct LifecycleTests {
    @Test func sigtermFinishesAcceptedRequestsAndExitsZero() async throws {
        let server = try await ServerProcess(["--threads", "1", "--queue", "16", "--deadline", "300"])
        let photo = LimitTests.photo
        // Slow requests (2 dense tile levels), all accepted before SIGTERM...
        let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
            for _ in 0..<4 { group.addTask { try await server.post("/v1/detect?tiles=2", photo) } }
            // SIGTERM once all four are in flight (the metrics request itself is the fifth).
            let start = Date()
            while Date().timeIntervalSince(start) < 60 {
                let metrics = try await server.get("/metrics").text
                if metrics.contains("blazeface_http_requests_in_flight 5.0") { break }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            let status = try await server.terminate()
            #expect(status == 0, "exit status \(status): \(server.log)")
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // ...are all answered in full.
        #expect(replies.count == 4)
        for r in replies {
            #expect(r.status == .ok, "\(r.text)")
            // The astronaut, and with dense tiles an int8 model may add the flag's corner at 0.5.
            #expect(((r.json?["faces"] as? [Any])?.count ?? 0) >= 1)
            #expect(r.text == replies.first?.text, "the same photo gets the same answer")
        }
        #expect(server.log.contains("\"message\":\"draining"))
        #expect(server.log.contains("\"served\":4"), "\(server.log)")
        // And nothing listens any more.
        await #expect(throws: (any Error).self) { _ = try await server.get("/healthz") }
    }

    @Test func anonymizeMasksTheFace() async throws {
        let server = try await ServerProcess()
        let photo = LimitTests.photo
        let original = try ImageDecoder.decode(data: photo)
        let reply = try await server.post("/v1/anonymize?method=solid&format=png", photo)
        #expect(reply.status == .ok, "\(reply.text)")
        #expect(reply.headers.first(name: "Content-Type") == "image/png")
        #expect(reply.headers.first(name: "X-Face-Count") == "1")
        let masked = try ImageDecoder.decode(data: reply.body)
        #expect(masked.width == original.width && masked.height == original.height)
        // The face (astronaut.png: about x 178-272, y 81-175) is black; a far corner is untouched.
        func pixel(_ i: RGBImage, _ x: Int, _ y: Int) -> [UInt8] { Array(i.pixels[(y * i.width + x) * 3..<(y * i.width + x) * 3 + 3]) }
        #expect(pixel(masked, 225, 128) == [0, 0, 0])
        #expect(pixel(masked, 500, 500) == pixel(original, 500, 500))
        // Output format = input format by default; blur and mosaic change the face, not the corner.
        for method in ["blur", "mosaic"] {
            let r = try await server.post("/v1/anonymize?method=\(method)", photo)
            #expect(r.status == .ok && r.headers.first(name: "Content-Type") == "image/png")
            let m = try ImageDecoder.decode(data: r.body)
            #expect(pixel(m, 225, 128) != pixel(original, 225, 128))
            #expect(pixel(m, 10, 500) == pixel(original, 10, 500))
        }
        let jpeg = try await server.post("/v1/anonymize?format=jpeg", photo)
        #expect(ImageFormat.detect(jpeg.body) == .jpeg)
        LimitTests.expectError(try await server.post("/v1/anonymize?method=paint", photo), 400, "invalid_parameter", mentioning: ["blur, mosaic, solid"])
        #expect(try await server.terminate() == 0)
    }
}
