import Foundation
import TicketPulseCore

/// Zendesk Support: the cursor-based incremental ticket export for sync, ticket show for
/// webhook-triggered fetches, and ticket update with a private comment for notes.
///
/// The export follows `generated_timestamp` (bumped by every change, system updates
/// too), so nothing is missed the way `updated_at` filters miss; the `after_cursor` is kept
/// even at `end_of_stream`, because the next poll continues from it.
public struct ZendeskClient: TicketSource, NoteWriter {
    let baseURL: String
    let authorization: (String, String)
    let http: ConnectorHTTPClient
    let importSince: Date?
    let now: @Sendable () -> Date
    let normaliser: ZendeskNormaliser
    static let includes = "metric_sets,users,organizations"

    public init(configuration: ConnectionConfiguration, secrets: ConnectionSecrets, http: ConnectorHTTPClient, now: @escaping @Sendable () -> Date = { Date() }) throws {
        guard let base = configuration.resolvedBaseURL else {
            throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "subdomain")
        }
        guard let token = secrets.token else {
            throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "token_env")
        }
        baseURL = base
        // An email means an API token (Basic "{email}/token:{token}"); without one the token is OAuth.
        authorization = configuration.email.map { Authorization.basic(user: "\($0)/token", password: token) } ?? Authorization.bearer(token)
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
        let response = try await http.send(ConnectorRequest(url: url, headers: [authorization]))
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
            response = try await http.send(ConnectorRequest(url: "\(baseURL)/api/v2/tickets/\(rawID).json?include=\(Self.includes)", headers: [authorization]))
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
        _ = try await http.send(ConnectorRequest(
            method: "PUT", url: "\(baseURL)/api/v2/tickets/\(stripPrefix(externalID).queryEscaped).json",
            headers: [authorization, ("Content-Type", "application/json")], body: bytes
        ))
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
