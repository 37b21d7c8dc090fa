import Foundation
import Hummingbird
import Imaging

/// An error the service answers with: an HTTP status and a JSON body
/// `{"error": {"code", "message"}, "request_id"}` naming the problem.
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code (`body_too_large`, `unsupported_image`, ...).
    public var code: String
    /// What went wrong, for a person.
    public var message: String
    /// Seconds after which the client may retry (503), sent as `Retry-After`.
    public var retryAfter: Int?
    /// The connection is closed after the response (the body was not read to its end).
    public var closesConnection: Bool

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil, closesConnection: Bool = false) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.closesConnection = closesConnection
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// The error for an image that could not be decoded: 413 too large, 415 unsupported format,
    /// 422 corrupt or truncated, 400 empty.
    static func image(_ e: ImageError) -> ServiceError {
        switch e.kind {
        case .empty: return ServiceError(.badRequest, "empty_body", "the request has no image: \(e.reason)")
        case .unsupportedFormat: return ServiceError(.unsupportedMediaType, "unsupported_image", e.reason)
        case .truncated: return ServiceError(.unprocessableContent, "truncated_image", e.reason)
        case .corrupt: return ServiceError(.unprocessableContent, "corrupt_image", e.reason)
        case .tooLarge: return ServiceError(.contentTooLarge, "image_too_large", e.reason)
        case .invalidArgument: return ServiceError(.unprocessableContent, "invalid_image", e.reason)
        case .io, .encodingFailed: return ServiceError(.internalServerError, "image_error", e.reason)
        }
    }

    /// A query parameter that is not valid.
    static func parameter(_ name: String, _ problem: String) -> ServiceError {
        ServiceError(.badRequest, "invalid_parameter", "query parameter '\(name)': \(problem)")
    }
}
