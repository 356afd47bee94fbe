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
}

extension APIAuthenticator {
    /// The gate as the Zendesk connect routes take it: the person behind the bearer token,
    /// past the per-token rate; the routes check the admin role and audit the call themselves.
    public var tokenHolder: AdminCheck {
        { request in
            var actor = "api:anonymous"
            do {
                return try await authenticate(request, requires: .anyone, actor: &actor).person
            } catch let error as APIError {
                throw APIRefusal(status: error.status, code: error.code, message: error.message, actor: actor == "api:anonymous" ? nil : actor)
            }
        }
    }
}
