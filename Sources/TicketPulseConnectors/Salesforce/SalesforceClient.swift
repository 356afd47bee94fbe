import Foundation
import Logging
import Synchronization
import TicketPulseCore

/// Salesforce Service Cloud: SOQL on `Case` through `/queryAll` (so deleted cases come
/// back with `IsDeleted = true` and become tombstones), ordered by `SystemModstamp, Id`,
/// paged with `nextRecordsUrl`.
///
/// The watermark is the (`SystemModstamp`, `Id`) of the newest row stored:
/// - Within a pass the query locator (`nextRecordsUrl`) is followed page by page and
///   kept in the checkpoint; a run that resumes after a crash uses it, and if Salesforce
///   has expired it (`INVALID_QUERY_LOCATOR`, after ~15 minutes) it continues with the
///   keyset `SystemModstamp > W OR (SystemModstamp = W AND Id > L)`, so a thousand rows
///   sharing one timestamp are neither read again nor skipped.
/// - Each new pass starts `lookbackSeconds` before the watermark, because a row's
///   `SystemModstamp` is set when its transaction starts, not when it commits: a long
///   transaction can commit a row older than rows already read. Rows of the look-back
///   window already stored are recognised by (`Id`, `SystemModstamp`) kept in the
///   checkpoint and skipped, so the `>=` re-read neither duplicates nor re-counts them.
///
/// Auth is OAuth 2.0 client credentials (`POST /services/oauth2/token`), refreshed once
/// on a 401; a fixed `token_env` access token is accepted for orgs without a connected app.
public struct SalesforceClient: TicketSource, NoteWriter {
    enum Credentials: Sendable {
        case clientCredentials(id: String, secret: String)
        case fixed(String)
    }

    static let apiVersion = "v60.0"
    /// At most this many look-back keys are kept; beyond it a re-read row is upserted
    /// again, which is idempotent (no history, no alert), just not free.
    static let recentLimit = 5_000
    static let fields = [
        "Id", "CaseNumber", "Subject", "Description", "Status", "Priority", "Origin", "Type", "Reason",
        "AccountId", "Account.Name", "ContactId", "Contact.Email", "SuppliedEmail", "OwnerId", "Owner.Name",
        "IsClosed", "IsEscalated", "IsDeleted", "CreatedDate", "ClosedDate", "LastModifiedDate", "SystemModstamp",
    ]

    let baseURL: String
    let credentials: Credentials
    let session: SalesforceSession
    let http: ConnectorHTTPClient
    let importSince: Date?
    let lookback: TimeInterval
    let customerField: String?
    let normaliser: SalesforceNormaliser
    let configuration: ConnectionConfiguration

    public init(configuration: ConnectionConfiguration, secrets: ConnectionSecrets, http: ConnectorHTTPClient) throws {
        guard let base = configuration.resolvedBaseURL else {
            throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "base_url")
        }
        if let id = secrets.clientID, let secret = secrets.clientSecret {
            credentials = .clientCredentials(id: id, secret: secret)
        } else if let token = secrets.token {
            credentials = .fixed(token)
        } else {
            throw ConnectorConfigurationError.missingSetting(connection: configuration.name, key: "client_id_env and client_secret_env")
        }
        // A custom field name goes into the SOQL: only a plain API name is accepted.
        if let field = configuration.customerFieldID, !Self.isFieldName(field) {
            throw ConnectorConfigurationError.unsupported(connection: configuration.name, reason: "customer_field_id '\(field)' is not a Salesforce field API name")
        }
        baseURL = base
        session = SalesforceSession()
        self.http = http
        importSince = configuration.importSince
        lookback = TimeInterval(max(0, configuration.lookbackSeconds))
        customerField = configuration.customerFieldID
        normaliser = SalesforceNormaliser(externalIDPrefix: configuration.externalIDPrefix)
        self.configuration = configuration
    }

    // MARK: Sync

    public func fetchPage(after checkpoint: SyncCheckpoint?) async throws -> SourcePage {
        let result: SalesforceQueryResult
        if let cursor = checkpoint?.cursor {
            do {
                result = try decode(try await send { ConnectorRequest(url: baseURL + cursor, headers: [$0]) })
            } catch let error as ConnectorError where Self.isExpiredLocator(error) {
                http.logger.notice("query locator expired; continuing from the watermark", metadata: ["since": "\(checkpoint?.since.map(SourceDate.iso) ?? "-")"])
                result = try await query(where: Self.keyset(since: checkpoint?.since, lastID: checkpoint?.lastID))
            }
        } else if let since = checkpoint?.since {
            result = try await query(where: "SystemModstamp >= \(Self.literal(since.addingTimeInterval(-lookback)))")
        } else {
            result = try await query(where: importSince.map { "SystemModstamp >= \(Self.literal($0))" })
        }
        return page(result, after: checkpoint)
    }

    /// Stores what is new in `result`, and moves the watermark to its newest row.
    func page(_ result: SalesforceQueryResult, after checkpoint: SyncCheckpoint?) -> SourcePage {
        var watermark = checkpoint?.since
        var lastID = checkpoint?.lastID
        var recent = Set(checkpoint?.recent ?? [])
        var fresh: [SourceTicket] = []
        for record in result.records ?? [] {
            let stamp = record.systemModstamp ?? record.lastModifiedDate ?? Date(timeIntervalSince1970: 0)
            let key = Self.key(id: record.id, stamp: stamp)
            if let current = watermark, stamp < current || (stamp == current && record.id <= (lastID ?? "")) {
                // Behind the watermark: a look-back re-read (skip) or a late commit (keep).
                if recent.contains(key) { continue }
            } else {
                watermark = stamp
                lastID = record.id
            }
            recent.insert(key)
            fresh.append(normaliser.normalise(record))
        }
        let kept = Self.prune(recent, from: watermark, lookback: lookback)
        if result.done != true, let next = result.nextRecordsUrl, !next.isEmpty {
            return SourcePage(tickets: fresh, next: SyncCheckpoint(cursor: next, since: watermark, lastID: lastID, recent: kept), isLastPage: false)
        }
        return SourcePage(tickets: fresh, next: SyncCheckpoint(since: watermark, lastID: lastID, recent: kept), isLastPage: true)
    }

    public func fetchTicket(id: String) async throws -> SourceTicket? {
        let raw = stripPrefix(id)
        guard Self.isRecordID(raw) else { return nil }
        let result = try await query(where: "Id = '\(raw)'")
        return result.records?.first.map(normaliser.normalise)
    }

    // MARK: Write-back

    /// A private CaseComment (`IsPublished: false`): visible to agents, never to the customer.
    public func addInternalNote(externalID: String, body: String) async throws {
        let raw = stripPrefix(externalID)
        guard Self.isRecordID(raw) else { throw ConnectorError.notFound }
        struct Comment: Encodable {
            var ParentId: String
            var CommentBody: String
            var IsPublished: Bool
        }
        // CommentBody holds at most 4,000 characters.
        let bytes = Array(try JSONEncoder().encode(Comment(ParentId: raw, CommentBody: String(body.prefix(4000)), IsPublished: false)))
        _ = try await send {
            ConnectorRequest(method: "POST", url: "\(baseURL)/services/data/\(Self.apiVersion)/sobjects/CaseComment",
                             headers: [$0, ("Content-Type", "application/json")], body: bytes)
        }
    }

    // MARK: Requests

    func query(where condition: String?) async throws -> SalesforceQueryResult {
        let url = "\(baseURL)/services/data/\(Self.apiVersion)/queryAll?q=\(soql(where: condition).queryEscaped)"
        return try decode(try await send { ConnectorRequest(url: url, headers: [$0]) })
    }

    func soql(where condition: String?) -> String {
        let fields = Self.fields + [customerField].compactMap { $0 }.filter { !Self.fields.contains($0) }
        var text = "SELECT \(fields.joined(separator: ", ")) FROM Case"
        if let condition { text += " WHERE \(condition)" }
        return text + " ORDER BY SystemModstamp, Id"
    }

    private func decode(_ response: ConnectorResponse) throws -> SalesforceQueryResult {
        do {
            return try JSONDecoder.sourceDecoder.decode(SalesforceQueryResult.self, from: Data(response.body))
        } catch {
            throw ConnectorError.malformedResponse("Salesforce query result: \(error)")
        }
    }

    /// Sends with a bearer token; a 401 (session expired or revoked) fetches a new token once.
    func send(_ make: (( String, String)) -> ConnectorRequest) async throws -> ConnectorResponse {
        let token = try await accessToken()
        let response: ConnectorResponse
        do {
            response = try await http.send(make(Authorization.bearer(token)))
        } catch ConnectorError.unauthorized(status: 401) where credentials.canRefresh {
            session.invalidate(token)
            response = try await http.send(make(Authorization.bearer(try await accessToken())))
        }
        noteLimitUsage(response)
        return response
    }

    func accessToken() async throws -> String {
        switch credentials {
        case .fixed(let token):
            return token
        case .clientCredentials(let id, let secret):
            if let cached = session.current { return cached }
            let form = "grant_type=client_credentials&client_id=\(id.queryEscaped)&client_secret=\(secret.queryEscaped)"
            let response: ConnectorResponse
            do {
                response = try await http.send(ConnectorRequest(
                    method: "POST", url: "\(baseURL)/services/oauth2/token",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8)
                ))
            } catch ConnectorError.http(let status, let body) where status == 400 && (body.contains("invalid_client") || body.contains("invalid_grant") || body.contains("unauthorized_client")) {
                // Salesforce refuses a wrong key or secret with 400 invalid_client, not 401:
                // no retry fixes it, so it is rejected credentials like a 401, with its words.
                throw CredentialAdvice.rejected(configuration, status: status, detail: body)
            }
            let token: SalesforceToken
            do {
                token = try JSONDecoder().decode(SalesforceToken.self, from: Data(response.body))
            } catch {
                throw ConnectorError.malformedResponse("Salesforce token: \(error)")
            }
            session.store(token.accessToken)
            return token.accessToken
        }
    }

    /// `Sforce-Limit-Info: api-usage=N/M`: warns when the org's daily API budget is nearly spent.
    private func noteLimitUsage(_ response: ConnectorResponse) {
        guard let usage = response.headers["sforce-limit-info"].flatMap(Self.apiUsage), usage.limit > 0 else { return }
        session.recordUsage(usage)
        if usage.used * 10 >= usage.limit * 9 {
            http.logger.warning("Salesforce API budget nearly spent", metadata: ["used": "\(usage.used)", "limit": "\(usage.limit)"])
        }
    }

    private func stripPrefix(_ id: String) -> String {
        let prefix = normaliser.externalIDPrefix
        return !prefix.isEmpty && id.hasPrefix(prefix) ? String(id.dropFirst(prefix.count)) : id
    }

    // MARK: Helpers

    /// The API usage Salesforce last reported, if any.
    public var lastAPIUsage: (used: Int, limit: Int)? { session.usage }

    static func apiUsage(_ header: String) -> (used: Int, limit: Int)? {
        guard let part = header.split(separator: ",").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("api-usage=") }) else { return nil }
        let numbers = part.trimmingCharacters(in: .whitespaces).dropFirst("api-usage=".count).split(separator: "/")
        guard numbers.count == 2, let used = Int(numbers[0]), let limit = Int(numbers[1]) else { return nil }
        return (used, limit)
    }

    /// SOQL datetime literals are unquoted UTC: `2026-03-02T09:00:00Z`. Rounded down to the
    /// second, so a millisecond watermark never moves a `>` or `>=` bound past its own rows
    /// (the extra rows this reads are recognised and skipped).
    static func literal(_ date: Date) -> String {
        SourceDate.iso(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    static func keyset(since: Date?, lastID: String?) -> String? {
        guard let since else { return nil }
        guard let lastID, isRecordID(lastID) else { return "SystemModstamp >= \(literal(since))" }
        return "(SystemModstamp > \(literal(since)) OR (SystemModstamp = \(literal(since)) AND Id > '\(lastID)'))"
    }

    static func key(id: String, stamp: Date) -> String {
        "\(id)@\(Int64((stamp.timeIntervalSince1970 * 1000).rounded()))"
    }

    static func prune(_ keys: Set<String>, from watermark: Date?, lookback: TimeInterval) -> [String]? {
        guard let watermark, !keys.isEmpty else { return nil }
        let floor = Int64(((watermark.timeIntervalSince1970 - lookback) * 1000).rounded())
        let stamped = keys.compactMap { key -> (String, Int64)? in
            guard let at = key.lastIndex(of: "@"), let ms = Int64(key[key.index(after: at)...]) else { return nil }
            return ms >= floor ? (key, ms) : nil
        }
        let kept = stamped.sorted { ($0.1, $0.0) > ($1.1, $1.0) }.prefix(recentLimit).map(\.0).sorted()
        return kept.isEmpty ? nil : kept
    }

    static func isExpiredLocator(_ error: ConnectorError) -> Bool {
        switch error {
        case .notFound: true
        case .http(let status, let body): status == 400 && body.contains("INVALID_QUERY_LOCATOR")
        default: false
        }
    }

    /// Salesforce ids: 15 or 18 alphanumerics.
    static func isRecordID(_ id: String) -> Bool {
        (id.count == 15 || id.count == 18) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.first!.isLetter && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }
    }
}

extension SalesforceClient.Credentials {
    var canRefresh: Bool {
        if case .clientCredentials = self { return true }
        return false
    }
}

/// The access token shared by every request of one client, and the last API usage seen.
final class SalesforceSession: Sendable {
    private let state = Mutex<(token: String?, usage: (used: Int, limit: Int)?)>((nil, nil))

    var current: String? { state.withLock { $0.token } }
    var usage: (used: Int, limit: Int)? { state.withLock { $0.usage } }

    func store(_ token: String) { state.withLock { $0.token = token } }

    /// Forgets `token` unless another request already replaced it.
    func invalidate(_ token: String) {
        state.withLock { if $0.token == token { $0.token = nil } }
    }

    func recordUsage(_ usage: (used: Int, limit: Int)) { state.withLock { $0.usage = usage } }
}
