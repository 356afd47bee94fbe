import Foundation
import Hummingbird
import Logging
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseStorage

/// PRD-184's admin-only Zendesk integration routes:
/// - `POST /api/integrations/zendesk/connect` `{"subdomain","name"?,"external_id_prefix"?}` →
///   the authorize URL for that account, with a signed, expiring, single-use `state`;
/// - `GET /api/integrations/zendesk/callback?code=&state=` → the code exchanged, the
///   connection stored and its historical import started (201);
/// - `PUT /api/integrations/zendesk/mapping` `{"mappings":[{"organization_id","customer_id"}]}`
///   (or `{"mappings":{"<org>":"<customer>"}}`) → the whole mapping replaced and applied to
///   the stored tickets at once.
///
/// Every call is audited, allowed or refused; errors are `{"error","message"}`.
struct ZendeskConnectRoutes: Sendable {
    static let maximumBodySize = 1_048_576

    let connectors: ConnectorRuntime
    let store: any Store
    let now: @Sendable () -> Date
    let logger: Logger

    private var flow: ZendeskConnectFlow? { connectors.zendeskOAuth.map { ZendeskConnectFlow(settings: $0, runtime: connectors) } }

    /// `callbackAdmin` finds the admin of the callback, which Zendesk's redirect of the
    /// browser brings without a token (`stateAdmin`).
    func register<Context: RequestContext>(on router: Router<Context>, requireAdmin: @escaping AdminCheck, callbackAdmin: @escaping AdminCheck) {
        router.post("/api/integrations/zendesk/connect") { request, _ in
            await guarded("api:zendesk_connect", request, requireAdmin) { admin in await connect(request, admin: admin) }
        }
        router.get("/api/integrations/zendesk/callback") { request, _ in
            await guarded("api:zendesk_callback", request, callbackAdmin) { admin in await callback(request, admin: admin) }
        }
        router.put("/api/integrations/zendesk/mapping") { request, _ in
            await guarded("api:zendesk_mapping", request, requireAdmin) { admin in await mapping(request, admin: admin) }
        }
    }

    /// The callback's admin: whoever the verified `state` says started the flow, if they are
    /// still on the roster (the role is checked as for the other routes). A state this server
    /// did not sign, or one expired, is refused before anything else.
    var stateAdmin: AdminCheck {
        { [self] request in
            guard let flow else {
                throw APIRefusal(status: .serviceUnavailable, code: Self.notConfiguredCode, message: Self.notConfiguredMessage)
            }
            let email: String
            do {
                email = try flow.admin(ofState: request.uri.queryParameters.get("state"))
            } catch let failure as ZendeskConnectFlow.Failure {
                throw APIRefusal(status: .badRequest, code: "invalid_state", message: failure.description)
            }
            guard let person = try await store.csm(email: email) else {
                throw APIRefusal(status: .unauthorized, code: "unauthorized", message: "\(email), who started this connection, is no longer on the roster", actor: email)
            }
            return person
        }
    }

    /// What a call did: the answer and its audit line.
    struct Outcome: Sendable {
        var response: Response
        var audit: AuditOutcome
        var detail: String
        var customerIDs: [String] = []

        static func refused(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Outcome {
            Outcome(response: JSONResponse.error(status, code: code, message: message), audit: .refused(reason: code), detail: message)
        }
    }

    /// Runs `work` for an admin; anyone else gets the check's refusal (or 403), and both are audited.
    private func guarded(_ action: String, _ request: Request, _ requireAdmin: AdminCheck, _ work: (CSM) async -> Outcome) async -> Response {
        let outcome: Outcome
        let actor: String
        do {
            let admin = try await requireAdmin(request)
            actor = admin.email
            outcome = admin.role == .admin ? await work(admin) : .refused(.forbidden, "forbidden", "only admins may manage the Zendesk integration")
        } catch let refusal as APIRefusal {
            actor = refusal.actor ?? "anonymous"
            outcome = .refused(refusal.status, refusal.code, refusal.message)
        } catch let error as any HTTPResponseError {
            actor = "anonymous"
            outcome = .refused(error.status, "unauthorized", "\(error)")
        } catch {
            actor = "anonymous"
            outcome = .refused(.unauthorized, "unauthorized", "\(error)")
        }
        do {
            try await store.audit(AuditEntry(at: now(), actor: actor, action: action, detail: outcome.detail, customerIDs: outcome.customerIDs, outcome: outcome.audit))
        } catch {
            logger.error("API call not audited", metadata: ["action": "\(action)", "actor": "\(actor)", "error": "\(error)"])
        }
        return outcome.response
    }

    // MARK: Connect

    private func connect(_ request: Request, admin: CSM) async -> Outcome {
        guard let flow else { return Self.notConfigured }
        let body: [String: Any]
        switch await Self.jsonObject(request) {
        case .success(let object): body = object
        case .failure(let refusal): return refusal.outcome
        }
        for key in ["subdomain", "name", "external_id_prefix"] where body[key] != nil && !(body[key] is String) {
            return .refused(.badRequest, "invalid_parameter", "\(key): must be a string")
        }
        do {
            let authorization = try await flow.start(subdomain: body["subdomain"] as? String, name: body["name"] as? String,
                                                     externalIDPrefix: body["external_id_prefix"] as? String, admin: admin.email)
            return Outcome(
                response: JSONResponse.make(.ok, [
                    "authorize_url": authorization.authorizeURL, "connection": authorization.connection,
                    "subdomain": authorization.subdomain, "state_expires_at": authorization.expiresAt.formatted(.iso8601),
                ]),
                audit: .allowed, detail: "authorize \(authorization.subdomain) as \(authorization.connection)"
            )
        } catch let failure as ZendeskConnectFlow.Failure {
            return Self.refused(failure)
        } catch {
            return Self.storeUnavailable(error)
        }
    }

    // MARK: Callback

    private func callback(_ request: Request, admin: CSM) async -> Outcome {
        guard let flow else { return Self.notConfigured }
        let query = request.uri.queryParameters
        if let denied = query.get("error") {
            // The person at Zendesk declined (access_denied), or Zendesk refused the request.
            let description = query.get("error_description").map { ": \($0)" } ?? ""
            return .refused(.badRequest, "authorization_denied", "Zendesk answered \(denied)\(description); nothing was connected")
        }
        do {
            let connected = try await flow.complete(code: query.get("code"), state: query.get("state"), admin: admin.email)
            let connection = connected.connection
            var body: [String: Any] = [
                "connection": Self.json(connection),
                "historical_import": connected.setupError == nil ? "started" : "waiting",
            ]
            if let error = connected.setupError { body["setup_error"] = error }
            return Outcome(response: JSONResponse.make(.created, body), audit: .allowed,
                           detail: "connected \(connection.subdomain) as \(connection.name)")
        } catch let failure as ZendeskConnectFlow.Failure {
            return Self.refused(failure)
        } catch {
            logger.error("Zendesk connection not stored", metadata: ["error": "\(error)"])
            return Self.storeUnavailable(error)
        }
    }

    static func json(_ connection: StoredConnection) -> [String: Any] {
        var object: [String: Any] = [
            "name": connection.name, "system": connection.system.rawValue, "subdomain": connection.subdomain,
            "external_id_prefix": connection.externalIDPrefix, "origin": "store",
            "created_at": connection.createdAt.formatted(.iso8601), "created_by": connection.createdBy,
        ]
        if let base = connection.baseURL { object["base_url"] = base }
        return object
    }

    // MARK: Mapping

    private func mapping(_ request: Request, admin: CSM) async -> Outcome {
        let body: Any
        switch await Self.json(request) {
        case .success(let value): body = value
        case .failure(let refusal): return refusal.outcome
        }
        let mappings: [String: String]
        let customers: [Customer]
        do {
            customers = try await store.customers()
        } catch {
            return Self.storeUnavailable(error)
        }
        switch OrganizationMappingBody.parse(body, customerIDs: Set(customers.map(\.id))) {
        case .success(let parsed): mappings = parsed
        case .failure(let problem): return .refused(.badRequest, problem.code, problem.message)
        }
        do {
            try await store.replaceOrganizationMappings(mappings, source: .zendesk, at: now())
            await connectors.organizationMappingChanged()
            let fileMapped = connectors.connections.filter { $0.origin == .file && $0.configuration.system == .zendesk }
                .reduce(into: Set<String>()) { $0.formUnion($1.configuration.organizationMap.keys) }
            let moved = try await store.applyOrganizationMapping(source: .zendesk, fileMapped: fileMapped, at: now())
            let sorted = mappings.sorted { $0.key < $1.key }
            return Outcome(
                response: JSONResponse.make(.ok, [
                    "mappings": sorted.map { ["organization_id": $0.key, "customer_id": $0.value] },
                    "tickets_moved": moved,
                ]),
                audit: .allowed, detail: "\(mappings.count) organization mappings, \(moved) tickets moved",
                customerIDs: Array(Set(mappings.values)).sorted()
            )
        } catch {
            logger.error("organization mapping not applied", metadata: ["error": "\(error)"])
            return Self.storeUnavailable(error)
        }
    }

    // MARK: Answers

    static let notConfiguredCode = "zendesk_oauth_not_configured"
    static let notConfiguredMessage = "the Zendesk OAuth client is not configured (zendesk_oauth: in ticketpulse.yml)"
    static let notConfigured = Outcome.refused(.serviceUnavailable, notConfiguredCode, notConfiguredMessage)

    /// Allowed, but the store failed: 503, audited as failed.
    static func storeUnavailable(_ error: any Error) -> Outcome {
        Outcome(response: JSONResponse.storeUnavailable(error),
                audit: .failed(reason: "store_unavailable"), detail: "\(error)")
    }

    static func refused(_ failure: ZendeskConnectFlow.Failure) -> Outcome {
        switch failure {
        case .invalid(let parameter, let message): .refused(.badRequest, "invalid_parameter", "\(parameter): \(message)")
        case .conflict(let message): .refused(.conflict, "conflict", message)
        case .invalidState(let message): .refused(.badRequest, "invalid_state", message)
        case .exchangeFailed(let message): .refused(.badGateway, "code_exchange_failed", message)
        }
    }

    /// The request's JSON body, or the 400 saying why there is none.
    static func json(_ request: Request) async -> Result<Any, OutcomeRefusal> {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maximumBodySize) else {
            return .failure(OutcomeRefusal(.refused(.contentTooLarge, "body_too_large", "bodies are at most 1 MB")))
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [.fragmentsAllowed]) else {
            return .failure(OutcomeRefusal(.refused(.badRequest, "malformed_body", "the body must be JSON")))
        }
        return .success(value)
    }

    static func jsonObject(_ request: Request) async -> Result<[String: Any], OutcomeRefusal> {
        switch await json(request) {
        case .success(let object as [String: Any]): .success(object)
        case .success: .failure(OutcomeRefusal(.refused(.badRequest, "malformed_body", "the body must be a JSON object")))
        case .failure(let refusal): .failure(refusal)
        }
    }

    /// An `Outcome` carried as a `Result` failure.
    struct OutcomeRefusal: Error {
        var outcome: Outcome
        init(_ outcome: Outcome) { self.outcome = outcome }
    }
}
