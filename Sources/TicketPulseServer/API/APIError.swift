import Foundation
import Hummingbird

/// A refusal of an API call, as the caller sees it (`{"error", "message"}`, plus the
/// parameter at fault for a 400) and as the audit log keeps it (`reason`, which may say
/// more than the caller is told: an id in another book answers exactly as an unknown one).
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var parameter: String?
    /// The audit row's reason; the code when nil.
    public var reason: String?
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, code: String, message: String, parameter: String? = nil, reason: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.reason = reason
        self.retryAfter = retryAfter
    }

    public static func unauthorized(_ message: String, reason: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message: message, reason: reason)
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message: message, reason: "role")
    }

    /// A bad parameter, named in the message and the body's `parameter`.
    public static func badParameter(_ name: String, _ problem: String) -> APIError {
        APIError(.badRequest, code: "bad_parameter", message: "\(name): \(problem)", parameter: name)
    }

    /// Unknown, or outside the caller's scope: the same answer for both (`reason` tells them apart).
    public static func notFound(_ what: String, _ id: String, reason: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "no \(what) '\(id)'", reason: reason)
    }

    var response: Response {
        var body: [String: Any] = ["error": code, "message": message]
        if let parameter { body["parameter"] = parameter }
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return JSONResponse.make(status, body, headers: headers)
    }
}
