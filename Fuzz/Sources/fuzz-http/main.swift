import Dispatch
import FaceService
import Foundation
import FuzzDriver
import Glibc
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

// The HTTP request path without a socket. Each input is raw bytes from a client: NIO's HTTP/1
// decoder and the HTTPTypes codec parse them as Hummingbird's HTTP1Channel does (its default
// decoder limits), and every request parsed goes through FaceServer's router, middleware and
// endpoints: request IDs, query options, body limits, image decoding, detection, anonymization,
// error responses, metrics and the JSON log line. A request whose body stops short of its
// Content-Length gets a body that fails at its end, as when the client hangs up.
//
// A finding is a trap, a leak, a hang (libFuzzer's timeout), or a response that breaks the
// service's contract: a 500, an error that is not the documented JSON, or a 200 from
// /v1/detect whose body is not a JSON record. Needs models/front.tflite (run from the repository).

/// A value handed from a task to the thread waiting for it.
final class Handoff<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var value: T?

    func put(_ v: T) {
        lock.withLock { value = v }
        done.signal()
    }

    func take() -> T? {
        done.wait()
        return lock.withLock { value }
    }
}

/// Waits on this (non-async) thread for `body`, run as a task.
func block<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T? {
    let handoff = Handoff<T>()
    Task { handoff.put(await body()) }
    return handoff.take()
}

/// Collects a response body.
final class Collected: @unchecked Sendable {
    var bytes: [UInt8] = []
}

struct Collector: ResponseBodyWriter {
    let into: Collected
    mutating func write(_ buffer: ByteBuffer) async throws { into.bytes += buffer.readableBytesView }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// A body that yields what arrived, then fails: the client hung up before its Content-Length.
struct CutShort: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let received: ByteBuffer
    struct HungUp: Error {}
    struct AsyncIterator: AsyncIteratorProtocol {
        var received: ByteBuffer?
        mutating func next() async throws -> ByteBuffer? {
            guard let r = received else { throw HungUp() }
            received = nil
            return r
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(received: received) }
}

func finding(_ what: String, _ status: HTTPResponse.Status, _ body: [UInt8]) -> Never {
    fatalError("fuzz-http: \(what): \(status.code) \(String(decoding: body.prefix(600), as: UTF8.self))")
}

// One server for the whole run, as `blazeface serve` is, with the default limits except: one
// worker (the fuzzer keeps to one core), and a 2 s deadline, so that the (at most 4) requests
// of an input are answered within libFuzzer's 10 s timeout, slow ones as 503s; a hang is a finding.
let logger = Logger(label: "blazeface.serve") { JSONLogHandler(label: $0) { _ in } }
let configuration = ServiceConfiguration(port: 0, models: ["front"], threads: 1, queue: 8, deadlineSeconds: 2)
let server: FaceServer
do {
    server = FaceServer(configuration: configuration, models: try ServedModels(configuration.models), logger: logger)
} catch {
    FileHandle.standardError.write(Data("fuzz-http: cannot prepare the model 'front' (run from the repository, with models/front.tflite): \(error)\n".utf8))
    exit(2)
}
_ = block { await server.warmUp() }
let responder = server.makeResponder()
/// The requests' channel (Hummingbird's context asks for one): a thread-safe testing channel, as
/// the handlers run on other threads than the embedded channel that parses.
let contextChannel = NIOAsyncTestingChannel()
let decoderDefaults = HTTP1Channel.Configuration().httpDecoder
/// FUZZ_HTTP_TRACE=1: print each request's method, path and answer (to check seeds and repros).
let trace = ProcessInfo.processInfo.environment["FUZZ_HTTP_TRACE"] == "1"

exit(fuzz { bytes in
    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
    var limits = NIOHTTPDecoderLimitConfiguration()
    limits.maxHeaderFieldSize = decoderDefaults.maxHeaderFieldSize
    limits.maxHeaderListSize = decoderDefaults.maxHeaderListSize
    limits.maxHeaderFieldCount = decoderDefaults.maxHeaderFieldCount
    do {
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
    } catch {
        fatalError("fuzz-http: pipeline setup failed: \(error)")
    }
    // A parse error ends the connection (Hummingbird answers 400 and closes); what was parsed
    // before it is still served, as pipelined requests are.
    _ = try? channel.writeInbound(channel.allocator.buffer(bytes: bytes))

    var requests: [Request] = []
    var head: HTTPRequest?
    var body = ByteBuffer()
    while let part = try? channel.readInbound(as: HTTPRequestPart.self) {
        switch part {
        case .head(let h):
            head = h
            body.clear()
        case .body(var b):
            body.writeBuffer(&b)
        case .end:
            if let h = head { requests.append(Request(head: h, body: RequestBody(buffer: body))) }
            head = nil
        }
    }
    if let h = head { requests.append(Request(head: h, body: RequestBody(asyncSequence: CutShort(received: body)))) }

    for request in requests.prefix(4) {
        let answer = block { () async -> (HTTPResponse.Status, HTTPFields, [UInt8])? in
            let context = ServiceRequestContext(source: .init(channel: contextChannel, logger: logger))
            guard let response = try? await responder.respond(to: request, context: context) else { return nil }
            let collected = Collected()
            try? await response.body.write(Collector(into: collected))
            return (response.status, response.headers, collected.bytes)
        }
        guard let (status, headers, responseBody) = answer ?? nil else {
            finding("the responder threw (the middleware answers every error)", .internalServerError, [])
        }
        if trace {
            print("\(request.method) \(request.uri.path) -> \(status.code) \(String(decoding: responseBody.prefix(160), as: UTF8.self))")
        }
        if status.code >= 500 && status != .serviceUnavailable { finding("server error", status, responseBody) }
        if headers[.contentType] == "application/json" {
            guard let json = try? JSONSerialization.jsonObject(with: Data(responseBody)) as? [String: Any] else {
                finding("the JSON body does not parse as an object", status, responseBody)
            }
            if status.code >= 400, !(json["error"] is [String: Any]) || !(json["request_id"] is String) {
                finding("an error without {error, request_id}", status, responseBody)
            }
            if status == .ok, request.uri.path == "/v1/detect", !(json["faces"] is [Any]) {
                finding("a detect answer without faces", status, responseBody)
            }
        }
        // The response head goes out through the same codec and encoder as on a socket.
        var h1 = HTTPResponse(status: status)
        h1.headerFields = headers
        _ = try? channel.writeOutbound(HTTPResponsePart.head(h1))
        _ = try? channel.writeOutbound(HTTPResponsePart.end(nil))
        while (try? channel.readOutbound(as: ByteBuffer.self)) ?? nil != nil {}
    }
})
