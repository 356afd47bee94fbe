import Foundation
import TicketPulseCore

/// Intercom: conversations search on `updated_at` with `starting_after` paging.
///
/// Search results are not sorted, so the newest `updated_at` of the whole pass becomes
/// the next `since` only when the pass ends; mid-pass the checkpoint keeps the pass's
/// `since` and cursor. The query asks for `> since - 1` so conversations changed in the
/// same second as the last pass's newest are read again (idempotent) rather than missed.
public struct IntercomClient: TicketSource, NoteWriter {
    let baseURL: String
    let headers: [(String, String)]
    let http: ConnectorHTTPClient
    let importSince: Date?
    let adminID: String?
    let normaliser: IntercomNormaliser
    static let pageSize = 150

    public init(configuration: ConnectionConfiguration, secrets: ConnectionSecrets, http: ConnectorHTTPClient) throws {
        guard let token = secrets.token else { throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "token_env") }
        baseURL = configuration.resolvedBaseURL ?? "https://api.intercom.io"
        headers = [Authorization.bearer(token), ("Intercom-Version", "2.11")]
        self.http = http
        importSince = configuration.importSince
        adminID = configuration.adminID
        normaliser = IntercomNormaliser(externalIDPrefix: configuration.externalIDPrefix)
    }

    public func fetchPage(after checkpoint: SyncCheckpoint?) async throws -> SourcePage {
        let since = checkpoint?.since ?? importSince ?? Date(timeIntervalSince1970: 0)
        var pagination: [String: Any] = ["per_page": Self.pageSize]
        if let cursor = checkpoint?.cursor { pagination["starting_after"] = cursor }
        let query: [String: Any] = [
            "query": ["field": "updated_at", "operator": ">", "value": max(0, Int(since.timeIntervalSince1970) - 1)],
            "pagination": pagination,
        ]
        let body = Array(try JSONSerialization.data(withJSONObject: query, options: [.sortedKeys]))
        let response = try await http.send(ConnectorRequest(
            method: "POST", url: "\(baseURL)/conversations/search",
            headers: headers + [("Content-Type", "application/json")], body: body
        ))
        let page: IntercomSearchPage
        do {
            page = try JSONDecoder.sourceDecoder.decode(IntercomSearchPage.self, from: Data(response.body))
        } catch {
            throw ConnectorError.malformedResponse("Intercom search page: \(error)")
        }
        let conversations = page.conversations ?? []
        let newest = ([checkpoint?.passMaximum].compactMap { $0 } + conversations.compactMap(\.updatedAt)).max()
        if let next = page.pages?.next?.startingAfter, !next.isEmpty, !conversations.isEmpty {
            return SourcePage(tickets: conversations.map(normaliser.normalise), next: SyncCheckpoint(cursor: next, since: since, passMaximum: newest), isLastPage: false)
        }
        return SourcePage(tickets: conversations.map(normaliser.normalise), next: SyncCheckpoint(since: max(since, newest ?? since)), isLastPage: true)
    }

    public func fetchTicket(id: String) async throws -> SourceTicket? {
        let raw = stripPrefix(id)
        do {
            let response = try await http.send(ConnectorRequest(url: "\(baseURL)/conversations/\(raw.queryEscaped)", headers: headers))
            return normaliser.normalise(try JSONDecoder.sourceDecoder.decode(IntercomConversation.self, from: Data(response.body)))
        } catch ConnectorError.notFound {
            return nil
        } catch let error as DecodingError {
            throw ConnectorError.malformedResponse("Intercom conversation: \(error)")
        }
    }

    /// An admin note: visible to teammates only.
    public func addInternalNote(externalID: String, body: String) async throws {
        guard let adminID else { throw ConnectorConfigurationError.missingSetting(connection: "intercom", key: "admin_id") }
        let payload = ["message_type": "note", "type": "admin", "admin_id": adminID, "body": body]
        _ = try await http.send(ConnectorRequest(
            method: "POST", url: "\(baseURL)/conversations/\(stripPrefix(externalID).queryEscaped)/reply",
            headers: headers + [("Content-Type", "application/json")], body: Array(try JSONEncoder().encode(payload))
        ))
    }

    private func stripPrefix(_ id: String) -> String {
        let prefix = normaliser.externalIDPrefix
        return !prefix.isEmpty && id.hasPrefix(prefix) ? String(id.dropFirst(prefix.count)) : id
    }
}
