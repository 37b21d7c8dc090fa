import Dispatch
import Foundation
import Hummingbird
import Imaging
import NIOCore

extension FaceServer {
    /// The endpoints. To add one: a route here, its name in `RequestMiddleware.routes` (the
    /// metrics' label), and a test in `Tests/ServiceTests`.
    func makeRouter() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: RequestMiddleware(metrics: metrics, logger: logger, state: state))
        router.get("/") { _, _ in Self.text(WebPage.html, type: "text/html; charset=utf-8") }
        router.get("/healthz") { _, _ in Self.text("{\"status\":\"ok\"}\n", type: "application/json") }
        router.get("/readyz") { [state] _, _ in
            let phase = state.current
            return Self.text("{\"status\":\"\(phase.rawValue)\"}\n", type: "application/json",
                             status: phase == .ready ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { [metrics, pool] _, _ in
            metrics.queueDepth.set(to: Double(pool.load.queued))
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: metrics.text())))
        }
        router.get("/demo-image") { [configuration] _, _ in
            guard let path = configuration.demoImage, let data = FileManager.default.contents(atPath: path) else {
                throw ServiceError(.notFound, "no_demo_image", "this server was started without --demo-image")
            }
            let format = ImageFormat.detect([UInt8](data.prefix(16))) ?? .png
            return Response(status: .ok, headers: [.contentType: "image/\(format == .pnm ? "x-portable-anymap" : format.rawValue)"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.post("/v1/detect") { [self] request, context in
            let (deadline, options, body) = try await accept(request, context, keys: RequestOptions.detectKeys)
            let requests = FaceRequests(models: models, metrics: metrics)
            let (json, faces) = try await pool.run(deadline: deadline) { try requests.detect(body, options: options) }
            state.countServed()
            return Response(status: .ok, headers: [.contentType: "application/json", .faceCount: String(faces)],
                            body: .init(byteBuffer: ByteBuffer(string: json + "\n")))
        }
        router.post("/v1/anonymize") { [self] request, context in
            let (deadline, options, body) = try await accept(request, context, keys: RequestOptions.anonymizeKeys)
            let requests = FaceRequests(models: models, metrics: metrics)
            let (image, format, faces) = try await pool.run(deadline: deadline) { try requests.anonymize(body, options: options) }
            state.countServed()
            return Response(status: .ok, headers: [.contentType: "image/\(format.rawValue)", .faceCount: String(faces)],
                            body: .init(byteBuffer: ByteBuffer(bytes: image)))
        }
        return router
    }

    /// Checks readiness, reads the options and the body (within the size limit and the
    /// deadline), and gives the deadline the work must meet.
    func accept(_ request: Request, _ context: ServiceRequestContext, keys: Set<String>)
        async throws -> (DispatchTime, RequestOptions, [UInt8]) {
        let deadline = DispatchTime.now() + configuration.deadlineSeconds
        guard state.current == .ready else {
            throw ServiceError(.serviceUnavailable, "not_ready", "the server is \(state.current.rawValue)", retryAfter: 1)
        }
        let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        let options = try RequestOptions(query: query, allowed: keys)
        let limit = configuration.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw Self.tooLarge(limit, declared: declared)
        }
        let body = try await Self.collect(request.body, limit: limit, until: deadline)
        return (deadline, options, body)
    }

    /// The body, read within `limit` bytes and by `deadline` (408 past it: a client too slow).
    static func collect(_ body: RequestBody, limit: Int, until deadline: DispatchTime) async throws -> [UInt8] {
        let now = DispatchTime.now().uptimeNanoseconds
        let nanoseconds = deadline.uptimeNanoseconds > now ? deadline.uptimeNanoseconds - now : 0
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                do {
                    let buffer = try await body.collect(upTo: limit)
                    return Array(buffer.readableBytesView)
                } catch let e as HTTPError where e.status == .contentTooLarge {
                    throw tooLarge(limit, declared: nil)
                } catch is NIOTooManyBytesError {
                    throw tooLarge(limit, declared: nil)
                } catch {
                    throw ServiceError(.badRequest, "body_incomplete", "the request body ended early or could not be read (\(error))",
                                       closesConnection: true)
                }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: nanoseconds)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else {
                throw ServiceError(.requestTimeout, "body_timeout", "the request body did not arrive within the deadline",
                                   closesConnection: true)
            }
            return bytes
        }
    }

    static func tooLarge(_ limit: Int, declared: Int?) -> ServiceError {
        ServiceError(.contentTooLarge, "body_too_large",
                     "the request body\(declared.map { " (\($0) bytes)" } ?? "") is larger than this server's limit of \(limit) bytes (--max-body-mb)",
                     closesConnection: true)
    }

    static func text(_ s: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}
