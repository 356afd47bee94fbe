import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TicketPulseCore
import TicketPulseStorage

/// Who is calling: the roster member behind the bearer token, with the scope they have in Slack.
public struct APICaller: Sendable {
    public var person: CSM
    public var token: APIToken
    public var scope: AccessScope
}

/// The HTTP API's gate: `Authorization: Bearer <token>` → the token's person (401 without
/// one, or with one that is unknown, revoked, or whose person left the roster), the
/// per-token rate (429 with `Retry-After`), the role a route needs (403), then the
/// handler; every call is audited once, `api:<operation>`, allowed or refused, with the
/// customers it showed. Routes outside this file register through `protect`, so a new
/// route cannot skip any of it.
public struct APIAuthenticator: Sendable {
    /// Who may call a route beyond having a token.
    public enum Requirement: Sendable {
        case anyone
        /// Configuration (the Zendesk connect flow, mappings): admins only, 403 for others.
        case admin
    }

    let store: any Store
    let now: @Sendable () -> Date
    let limiter: APIRateLimiter
    let logger: Logger

    init(store: any Store, ratePerMinute: Int, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.store = store
        self.now = now
        limiter = APIRateLimiter(perMinute: ratePerMinute, now: now)
        self.logger = logger
    }

    /// A route's handler behind the gate.
    public func protect<Context: RequestContext>(_ operation: String, requires requirement: Requirement = .anyone,
                                                 _ handler: @escaping @Sendable (Request, Context, APICaller) async throws -> APIReply)
        -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            var actor = "api:anonymous"
            do {
                let caller = try await authenticate(request, requires: requirement, actor: &actor)
                let reply = try await handler(request, context, caller)
                await audit(operation, request, actor: actor, status: reply.response.status, customers: reply.customers, outcome: .allowed)
                return reply.response
            } catch let error as APIError {
                await audit(operation, request, actor: actor, status: error.status, customers: [], outcome: .refused(reason: error.reason ?? error.code))
                return error.response
            } catch let error as StoreUnavailable {
                // The server's one answer to a lost store (`StoreUnavailableMiddleware`): a 503
                // the caller retries, not a 500. No audit row: the store cannot take one.
                throw error
            } catch {
                logger.error("API call failed", metadata: ["operation": "\(operation)", "error": "\(error)"])
                await audit(operation, request, actor: actor, status: .internalServerError, customers: [], outcome: .failed(reason: "\(error)"))
                return APIError(.internalServerError, code: "internal_error", message: "the request could not be answered").response
            }
        }
    }

    /// The caller of `request`, allowed past the rate and `requirement`; `actor` is set as
    /// soon as the token is known, so a refusal is audited under the right name.
    public func authenticate(_ request: Request, requires requirement: Requirement, actor: inout String) async throws -> APICaller {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("send Authorization: Bearer <token> (ticketpulse tokens create --as EMAIL)", reason: "no_token")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("the Authorization header must be Bearer <token>", reason: "malformed_header")
        }
        guard let token = try await store.apiToken(hash: APITokenIssuer.hash(String(parts[1]).trimmingCharacters(in: .whitespaces))) else {
            actor = "api:unknown_token"
            throw APIError.unauthorized("the token is unknown or revoked", reason: "unknown_token")
        }
        actor = token.email
        guard let person = try await store.csm(email: token.email) else {
            throw APIError.unauthorized("the token's owner is no longer on the roster", reason: "not_on_roster")
        }
        if let wait = limiter.take(token.id) {
            throw APIError(.tooManyRequests, code: "rate_limited", message: "more than \(limiter.perMinute) calls a minute with this token; retry in \(wait) s",
                           retryAfter: wait)
        }
        if requirement == .admin, person.role != .admin {
            throw APIError.forbidden("this needs the admin role; \(person.email) is a \(person.role.rawValue)")
        }
        return APICaller(person: person, token: token, scope: try await AccessScope.of(person, in: store))
    }

    func audit(_ operation: String, _ request: Request, actor: String, status: HTTPResponse.Status, customers: [String], outcome: AuditOutcome) async {
        let entry = AuditEntry(at: now(), actor: actor, action: "api:\(operation)", detail: "\(request.method) \(request.uri.path) → \(status.code)",
                               customerIDs: Array(Set(customers)).sorted(), outcome: outcome)
        do {
            try await store.audit(entry)
        } catch {
            logger.error("audit entry not written", metadata: ["actor": "\(actor)", "action": "\(entry.action)", "error": "\(error)"])
        }
    }
}
