import Foundation
import TicketPulseCore

/// Zendesk Support: the cursor-based incremental ticket export for sync, ticket show for
/// webhook-triggered fetches, and ticket update with a private comment for notes.
///
/// The export follows `generated_timestamp` (bumped by every change, system updates
/// too), so nothing is missed the way `updated_at` filters miss; the `after_cursor` is kept
/// even at `end_of_stream`, because the next poll continues from it.
///
/// Auth: with `email`, an API token (`Basic {email}/token:{token}`); without, an OAuth
/// access token (`Bearer`). With `refresh_token_env` (and the OAuth client's id and
/// secret) a rejected or expiring access token is refreshed once and the request retried;
/// the new tokens are stored with the connection's state (`ZendeskOAuthSession`).
public struct ZendeskClient: TicketSource, NoteWriter {
    enum Auth: Sendable {
        case fixed((String, String))
        case oauth(ZendeskOAuthSession)
    }

    let baseURL: String
    let auth: Auth
    let http: ConnectorHTTPClient
    let importSince: Date?
    let now: @Sendable () -> Date
    let normaliser: ZendeskNormaliser
    static let includes = "metric_sets,users,organizations"

    /// `credentials` keeps refreshed OAuth tokens across restarts (the store's
    /// `connection_state` by default, through `ConnectorRuntime`); without it they live in memory.
    public init(
        configuration: ConnectionConfiguration, secrets: ConnectionSecrets, http: ConnectorHTTPClient,
        now: @escaping @Sendable () -> Date = { Date() }, credentials: (any ConnectionCredentialStore)? = nil
    ) throws {
        guard let base = configuration.resolvedBaseURL else {
            throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "subdomain")
        }
        baseURL = base
        if let authorized = secrets.authorizedTokens {
            // Made by the connect flow: the tokens it obtained begin the chain the store keeps.
            guard let id = secrets.clientID, let secret = secrets.clientSecret else {
                throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "zendesk_oauth (client_id and client_secret_env)")
            }
            auth = .oauth(ZendeskOAuthSession(
                connection: configuration.name, baseURL: base, client: .init(id: id, secret: secret), configured: authorized,
                remedy: "connect it again (POST /api/integrations/zendesk/connect)", store: credentials, http: http, now: now
            ))
        } else if let refreshToken = secrets.refreshToken {
            guard configuration.email == nil else {
                throw ConnectorConfigurationError.unsupported(connection: configuration.name, reason: "refresh_token_env is for OAuth; leave out email")
            }
            guard let id = secrets.clientID, let secret = secrets.clientSecret else {
                throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "client_id_env and client_secret_env")
            }
            let variables = [configuration.tokenEnv, configuration.refreshTokenEnv].compactMap { $0 }.joined(separator: " and ")
            let configured = OAuthTokens(accessToken: secrets.token, refreshToken: refreshToken, configuredRefreshTokenDigest: ZendeskOAuthSession.digest(refreshToken))
            auth = .oauth(ZendeskOAuthSession(
                connection: configuration.name, baseURL: base, client: .init(id: id, secret: secret), configured: configured,
                remedy: "authorize again and set \(variables)", store: credentials, http: http, now: now
            ))
        } else {
            guard let token = secrets.token else {
                throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "token_env")
            }
            // An email means an API token (Basic "{email}/token:{token}"); without one the token is OAuth.
            auth = .fixed(configuration.email.map { Authorization.basic(user: "\($0)/token", password: token) } ?? Authorization.bearer(token))
        }
        self.http = http
        importSince = configuration.importSince
        self.now = now
        normaliser = ZendeskNormaliser(externalIDPrefix: configuration.externalIDPrefix)
    }

    public func fetchPage(after checkpoint: SyncCheckpoint?) async throws -> SourcePage {
        let url: String
        if let cursor = checkpoint?.cursor {
            url = "\(baseURL)/api/v2/incremental/tickets/cursor.json?cursor=\(cursor.queryEscaped)&include=\(Self.includes)"
        } else {
            // Zendesk refuses a start_time within the last minute.
            let latest = now().timeIntervalSince1970 - 61
            let start = Int(max(0, min(importSince?.timeIntervalSince1970 ?? 0, latest)))
            url = "\(baseURL)/api/v2/incremental/tickets/cursor.json?start_time=\(start)&include=\(Self.includes)"
        }
        let response = try await send { ConnectorRequest(url: url, headers: [$0]) }
        let page: ZendeskExportPage
        do {
            page = try JSONDecoder.sourceDecoder.decode(ZendeskExportPage.self, from: Data(response.body))
        } catch {
            throw ConnectorError.malformedResponse("Zendesk export page: \(error)")
        }
        let sideLoads = ZendeskSideLoads(users: page.users, organizations: page.organizations, metricSets: page.metricSets)
        let tickets = (page.tickets ?? []).map { normaliser.normalise($0, sideLoads: sideLoads) }
        let next = SyncCheckpoint(cursor: page.afterCursor ?? checkpoint?.cursor)
        // A page without a cursor to continue from cannot be followed: treat it as the end.
        return SourcePage(tickets: tickets, next: next, isLastPage: (page.endOfStream ?? true) || page.afterCursor == nil)
    }

    public func fetchTicket(id: String) async throws -> SourceTicket? {
        let rawID = stripPrefix(id)
        guard rawID.allSatisfy(\.isNumber), !rawID.isEmpty else { return nil }
        let response: ConnectorResponse
        do {
            let url = "\(baseURL)/api/v2/tickets/\(rawID).json?include=\(Self.includes)"
            response = try await send { ConnectorRequest(url: url, headers: [$0]) }
        } catch ConnectorError.notFound {
            return nil
        }
        let show: ZendeskShowTicket
        do {
            show = try JSONDecoder.sourceDecoder.decode(ZendeskShowTicket.self, from: Data(response.body))
        } catch {
            throw ConnectorError.malformedResponse("Zendesk ticket: \(error)")
        }
        return normaliser.normalise(show.ticket, sideLoads: ZendeskSideLoads(users: show.users, organizations: show.organizations, metricSets: show.metricSets))
    }

    public func addInternalNote(externalID: String, body: String) async throws {
        let payload = ["ticket": ["comment": ZendeskComment(body: body, public: false)]]
        let bytes = Array(try JSONEncoder().encode(payload))
        let url = "\(baseURL)/api/v2/tickets/\(stripPrefix(externalID).queryEscaped).json"
        _ = try await send { ConnectorRequest(method: "PUT", url: url, headers: [$0, ("Content-Type", "application/json")], body: bytes) }
    }

    /// Sends with the connection's credentials; under OAuth a 401 refreshes the token once
    /// and the request is sent again (a second 401 is an error).
    func send(_ make: ((String, String)) -> ConnectorRequest) async throws -> ConnectorResponse {
        switch auth {
        case .fixed(let header):
            return try await http.send(make(header))
        case .oauth(let session):
            let token = try await session.accessToken()
            do {
                return try await http.send(make(Authorization.bearer(token)))
            } catch ConnectorError.unauthorized(status: 401) {
                let fresh = try await session.refresh(rejecting: token)
                return try await http.send(make(Authorization.bearer(fresh)))
            }
        }
    }

    private func stripPrefix(_ id: String) -> String {
        let prefix = normaliser.externalIDPrefix
        return !prefix.isEmpty && id.hasPrefix(prefix) ? String(id.dropFirst(prefix.count)) : id
    }
}

struct ZendeskComment: Encodable {
    var body: String
    var `public`: Bool
}
