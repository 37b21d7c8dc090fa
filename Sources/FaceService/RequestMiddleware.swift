import Dispatch
import HTTPTypes
import Hummingbird
import Logging

/// The request context of the service: Hummingbird's core context and the request's ID.
public struct ServiceRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The request's ID: the client's `X-Request-ID` when it is a plain token, else a new one.
    public var requestID: String = ""

    /// Creates the context of a new request.
    public init(source: Source) { coreContext = .init(source: source) }
}

/// Around every request: gives it an ID (sent back as `X-Request-ID`), counts it in flight,
/// turns any error into a JSON error response, records its status and latency, and writes one
/// structured log line with the ID.
struct RequestMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let metrics: ServiceMetrics
    let logger: Logger
    let state: ServiceState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now()
        var context = context
        context.requestID = Self.requestID(request.headers[.xRequestID])
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        var response: Response
        var errorCode: String?
        do {
            response = try await next(request, context)
        } catch {
            let e = Self.serviceError(error)
            errorCode = e.code
            response = Self.errorResponse(e, requestID: context.requestID)
        }
        response.headers[.xRequestID] = context.requestID
        // Draining: the client must not send another request on this connection, which closes
        // after this response (a request sent meanwhile would meet a reset, losing this answer).
        if state.current == .draining { response.headers[.connection] = "close" }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let route = Self.route(request.uri.path)
        metrics.record(route: route, status: Int(response.status.code), seconds: seconds)
        var meta: Logger.Metadata = [
            "request_id": .string(context.requestID), "method": .string(request.method.rawValue),
            "path": .string(request.uri.path), "status": .stringConvertible(Int(response.status.code)),
            "duration_ms": .stringConvertible((seconds * 1e5).rounded() / 100),
        ]
        if let n = response.headers[.faceCount] { meta["faces"] = .string(n) }
        if let errorCode { meta["error"] = .string(errorCode) }
        logger.info("request", metadata: meta)
        return response
    }

    /// The routes metrics are labelled with; anything else is `other` (bounded label values).
    static let routes: Set<String> = ["/", "/v1/detect", "/v1/anonymize", "/healthz", "/readyz", "/metrics", "/demo-image"]

    static func route(_ path: String) -> String { routes.contains(path) ? path : "other" }

    /// The client's ID when it is 1-64 letters, digits, `-`, `_` or `.`; else a new one.
    static func requestID(_ given: String?) -> String {
        if let given, (1...64).contains(given.utf8.count),
           given.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }) {
            return given
        }
        return RequestID().description
    }

    /// Hummingbird's own errors (no route, body past the limit...) as service errors.
    static func serviceError(_ error: any Error) -> ServiceError {
        if let e = error as? ServiceError { return e }
        if let e = error as? HTTPError {
            switch e.status.code {
            case 404: return ServiceError(.notFound, "not_found", "no such endpoint; see GET / and docs/service.md")
            case 405: return ServiceError(.methodNotAllowed, "method_not_allowed", e.body ?? "method not allowed here")
            case 413: return ServiceError(.contentTooLarge, "body_too_large", e.body ?? "the request body is too large")
            default: return ServiceError(e.status, "http_error", e.body ?? e.status.reasonPhrase)
            }
        }
        return ServiceError(.internalServerError, "internal_error", "\(error)")
    }

    /// `{"error": {"code", "message"}, "request_id"}` with the error's status (and `Retry-After`).
    static func errorResponse(_ e: ServiceError, requestID: String) -> Response {
        let body = JSON.object([
            ("error", JSON.object([("code", JSON.string(e.code)), ("message", JSON.string(e.message)), ("status", String(e.status.code))])),
            ("request_id", JSON.string(requestID)),
        ]) + "\n"
        var headers: HTTPFields = [.contentType: "application/json"]
        if let r = e.retryAfter { headers[.retryAfter] = String(r) }
        if e.closesConnection { headers[.connection] = "close" }
        return Response(status: e.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`.
    static let xRequestID = HTTPField.Name("X-Request-ID")!
    /// `X-Face-Count`: faces found (detect and anonymize).
    static let faceCount = HTTPField.Name("X-Face-Count")!
}
