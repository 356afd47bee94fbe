import Foundation
import Hummingbird
import TicketPulseCore

/// Finds the admin an API request acts for, or throws: the API's token authentication
/// provides it; the routes only depend on this shape.
public typealias AdminCheck = @Sendable (Request) async throws -> CSM

/// A refused API caller, as an admin check reports it: the status and error body to answer
/// with, and who it was when that is known (a valid token of someone who is not an admin).
public struct APIRefusal: Error, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var actor: String?

    public init(status: HTTPResponse.Status, code: String, message: String, actor: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.actor = actor
    }

    /// Until the API's token authentication is wired in, every admin-only call is refused.
    public static let authenticationNotConfigured: AdminCheck = { _ in
        throw APIRefusal(status: .serviceUnavailable, code: "api_authentication_not_configured", message: "API authentication not configured")
    }
}
