import Foundation
import Logging
import TicketPulseCore

/// Freshdesk: tickets listed by `updated_since`, oldest change first, 100 per page.
///
/// Always sends `updated_since` (without it Freshdesk returns only 30 days). Pages past
/// 300 fail, so at the cap the next pass restarts at page 1 from the newest `updated_at`
/// seen; ascending order makes that the last ticket read, and the tickets sharing its
/// second are read again (idempotent), never skipped. `include=requester` costs an extra
/// API credit per call but carries the email that domain matching needs.
///
/// Tickets carry no CSAT in Freshdesk: after the tickets, each pass reads
/// `/api/v2/surveys/satisfaction_ratings?created_since=` (100 per page, `link` header like
/// the tickets) with its own cursor in the checkpoint (`ratingsSince`), and the ratings are
/// applied to their tickets by the engine.
public struct FreshdeskClient: TicketSource, NoteWriter {
    let baseURL: String
    let authorization: (String, String)
    let http: ConnectorHTTPClient
    let importSince: Date?
    let pageCap: Int
    let normaliser: FreshdeskNormaliser
    static let epoch = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01: "everything"

    public init(configuration: ConnectionConfiguration, secrets: ConnectionSecrets, http: ConnectorHTTPClient, pageCap: Int = 300) throws {
        guard let base = configuration.resolvedBaseURL else { throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "domain") }
        guard let key = secrets.token else { throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "token_env") }
        baseURL = base
        authorization = Authorization.basic(user: key, password: "X")
        self.http = http
        importSince = configuration.importSince
        self.pageCap = max(1, pageCap)
        normaliser = FreshdeskNormaliser(externalIDPrefix: configuration.externalIDPrefix)
    }

    public func fetchPage(after checkpoint: SyncCheckpoint?) async throws -> SourcePage {
        if let checkpoint, let page = checkpoint.ratingsPage {
            return try await ratingsPage(page, after: checkpoint)
        }
        let ratingsSince = checkpoint?.ratingsSince
        let since = checkpoint?.since ?? importSince ?? Self.epoch
        let page = max(1, checkpoint?.page ?? 1)
        let url = "\(baseURL)/api/v2/tickets?updated_since=\(SourceDate.iso(since).queryEscaped)&order_by=updated_at&order_type=asc&per_page=100&page=\(page)&include=requester,stats"
        let response = try await http.send(ConnectorRequest(url: url, headers: [authorization]))
        let raw: [FreshdeskTicket]
        do {
            raw = try JSONDecoder.sourceDecoder.decode([FreshdeskTicket].self, from: Data(response.body))
        } catch {
            throw ConnectorError.malformedResponse("Freshdesk tickets page: \(error)")
        }
        let tickets = raw.map(normaliser.normalise)
        let newest = tickets.map(\.ticket.updatedAt).max()
        let hasNext = Self.hasNextLink(response.headers["link"]) && !raw.isEmpty
        if hasNext && page < pageCap {
            return SourcePage(tickets: tickets, next: SyncCheckpoint(since: since, page: page + 1, ratingsSince: ratingsSince), isLastPage: false)
        }
        if hasNext {
            // At the cap: continue from the newest change read. Should 30,000 tickets share
            // one second, step a second on rather than loop on the same window forever.
            let restart = (newest ?? since) > since ? (newest ?? since) : since.addingTimeInterval(1)
            return SourcePage(tickets: tickets, next: SyncCheckpoint(since: restart, page: 1, ratingsSince: ratingsSince), isLastPage: false)
        }
        // The tickets are read: the ratings next, in the same pass, so a rating never
        // arrives before its ticket is stored.
        return SourcePage(tickets: tickets, next: SyncCheckpoint(since: max(since, newest ?? since), page: 1, ratingsSince: ratingsSince, ratingsPage: 1), isLastPage: false)
    }

    /// One page of satisfaction ratings created since the ratings cursor. The cursor moves
    /// to the newest rating read only when the read ends, and is asked for inclusively, so
    /// ratings sharing its second are read again (applying one twice changes nothing).
    func ratingsPage(_ page: Int, after checkpoint: SyncCheckpoint) async throws -> SourcePage {
        let since = checkpoint.ratingsSince ?? importSince ?? Self.epoch
        let url = "\(baseURL)/api/v2/surveys/satisfaction_ratings?created_since=\(SourceDate.iso(since).queryEscaped)&per_page=100&page=\(page)"
        var ended = checkpoint
        ended.ratingsPage = nil
        ended.ratingsMaximum = nil
        let response: ConnectorResponse
        do {
            response = try await http.send(ConnectorRequest(url: url, headers: [authorization]))
        } catch let error as ConnectorError where error == .notFound || error == .unauthorized(status: 403) {
            // The tickets were just read with this key, so this is the account (a plan
            // without surveys), not the key: sync without CSAT rather than fail every pass.
            http.logger.warning("Freshdesk satisfaction ratings unavailable; syncing tickets without CSAT", metadata: ["error": "\(error)"])
            return SourcePage(tickets: [], next: ended, isLastPage: true)
        }
        let raw: [FreshdeskSatisfactionRating]
        do {
            raw = try JSONDecoder.sourceDecoder.decode([FreshdeskSatisfactionRating].self, from: Data(response.body))
        } catch {
            throw ConnectorError.malformedResponse("Freshdesk satisfaction ratings page: \(error)")
        }
        let ratings = raw.compactMap(normaliser.rating)
        let newest = ([checkpoint.ratingsMaximum].compactMap { $0 } + raw.compactMap { $0.createdAt }).max()
        let hasNext = Self.hasNextLink(response.headers["link"]) && !raw.isEmpty
        if hasNext && page < pageCap {
            var next = checkpoint
            next.ratingsPage = page + 1
            next.ratingsMaximum = newest
            return SourcePage(tickets: [], next: next, isLastPage: false, ratings: ratings)
        }
        if hasNext {
            // At the cap, as for tickets: start again from the newest rating read.
            var next = checkpoint
            next.ratingsSince = (newest ?? since) > since ? (newest ?? since) : since.addingTimeInterval(1)
            next.ratingsPage = 1
            next.ratingsMaximum = nil
            return SourcePage(tickets: [], next: next, isLastPage: false, ratings: ratings)
        }
        ended.ratingsSince = max(since, newest ?? since)
        return SourcePage(tickets: [], next: ended, isLastPage: true, ratings: ratings)
    }

    public func fetchTicket(id: String) async throws -> SourceTicket? {
        let raw = stripPrefix(id)
        guard !raw.isEmpty, raw.allSatisfy(\.isNumber) else { return nil }
        do {
            let response = try await http.send(ConnectorRequest(url: "\(baseURL)/api/v2/tickets/\(raw)?include=requester,stats", headers: [authorization]))
            return normaliser.normalise(try JSONDecoder.sourceDecoder.decode(FreshdeskTicket.self, from: Data(response.body)))
        } catch ConnectorError.notFound {
            return nil
        } catch let error as DecodingError {
            throw ConnectorError.malformedResponse("Freshdesk ticket: \(error)")
        }
    }

    public func addInternalNote(externalID: String, body: String) async throws {
        struct Note: Encodable { var body: String; var `private`: Bool }
        _ = try await http.send(ConnectorRequest(
            method: "POST", url: "\(baseURL)/api/v2/tickets/\(stripPrefix(externalID).queryEscaped)/notes",
            headers: [authorization, ("Content-Type", "application/json")], body: Array(try JSONEncoder().encode(Note(body: body, private: true)))
        ))
    }

    static func hasNextLink(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { $0.contains("rel=\"next\"") || $0.contains("rel=next") }
    }

    private func stripPrefix(_ id: String) -> String {
        let prefix = normaliser.externalIDPrefix
        return !prefix.isEmpty && id.hasPrefix(prefix) ? String(id.dropFirst(prefix.count)) : id
    }
}
