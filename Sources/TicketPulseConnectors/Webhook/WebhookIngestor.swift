import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Verifies and stores one webhook delivery for one connection. The server maps a thrown
/// `WebhookError` to its status and JSON body; nothing is stored unless the signature
/// holds and the whole body parses.
public struct WebhookIngestor: Sendable {
    public let connection: ConnectionConfiguration
    private let secret: String
    private let engine: SyncEngine
    private let store: any Store
    private let now: @Sendable () -> Date
    private let tolerance: TimeInterval

    /// What a delivery did.
    public struct Outcome: Sendable, Equatable {
        public var externalID: String
        /// nil when the source no longer has the ticket, or the delivery was a duplicate.
        public var result: UpsertResult?
        /// The delivery id was received before: acknowledged, nothing changed.
        public var duplicate: Bool = false

        public init(externalID: String, result: UpsertResult?, duplicate: Bool = false) {
            self.externalID = externalID
            self.result = result
            self.duplicate = duplicate
        }
    }

    /// The header naming a generic delivery. A sender that retries keeps it (and signs
    /// again with a new `t`), so a retry is acknowledged without being applied twice.
    public static let deliveryHeader = "x-ticketpulse-delivery"

    public init(
        connection: ConnectionConfiguration, secrets: ConnectionSecrets, engine: SyncEngine, store: any Store,
        now: @escaping @Sendable () -> Date = { Date() }, tolerance: TimeInterval = 300
    ) throws {
        guard let secret = secrets.webhookSecret else {
            throw ConnectorConfigurationError.missingSetting(connection: connection.name, key: "webhook_secret_env")
        }
        self.connection = connection
        self.secret = secret
        self.engine = engine
        self.store = store
        self.now = now
        self.tolerance = tolerance
    }

    /// `headers` with lowercased names.
    public func ingest(headers: [String: String], body: [UInt8]) async throws -> Outcome {
        switch connection.system {
        case .zendesk:
            try WebhookSignature.verifyZendesk(
                secret: secret, signature: headers["x-zendesk-webhook-signature"],
                timestamp: headers["x-zendesk-webhook-signature-timestamp"], body: body, now: now(), tolerance: tolerance
            )
            // Zendesk webhook bodies are whatever the trigger author wrote; the id is all
            // we rely on, and the ticket itself comes from the API.
            guard let id = Self.zendeskTicketID(body) else { throw WebhookError.malformed("no ticket id in the body (detail.id, ticket.id, ticket_id or id)") }
            let externalID = connection.externalIDPrefix + id
            return Outcome(externalID: externalID, result: try await engine.syncTicket(id: externalID))
        case .intercom:
            try WebhookSignature.verifyIntercom(secret: secret, header: headers["x-hub-signature"], body: body)
            let ticket = try IntercomWebhook.conversation(from: body, prefix: connection.externalIDPrefix)
            return Outcome(externalID: ticket.ticket.externalID, result: try await engine.ingest([ticket]).first)
        case .webhook:
            let at = now()
            let verified = try WebhookSignature.verifyGeneric(
                secret: secret, signature: headers["x-ticketpulse-signature"], authorization: headers["authorization"], body: body,
                now: at, tolerance: tolerance, allowLegacy: connection.legacySignature
            )
            let deliveryID = try Self.deliveryID(headers[Self.deliveryHeader])
            let payload = try GenericWebhookPayload.parse(body)
            let existing = try await store.ticket(source: .webhook, externalID: payload.ticketID)?.ticket
            let ticket = payload.ticket(over: existing, now: at)
            // A request is accepted while its t is within `tolerance` either side of the
            // clock, so one received now can come again until 2 × tolerance from now.
            let keys = WebhookDeliveryKeys(connection: connection.name, signature: verified.replayKey, deliveryID: deliveryID,
                                           forgetBefore: at.addingTimeInterval(-2 * tolerance))
            switch try await engine.ingest([SourceTicket(ticket: ticket)], delivery: keys) {
            case .stored(let results): return Outcome(externalID: ticket.externalID, result: results.first)
            case .duplicate: return Outcome(externalID: ticket.externalID, result: nil, duplicate: true)
            case .replayed: throw WebhookError.unauthorized("replayed request: this signature was already received")
            }
        case .freshdesk, .salesforce:
            throw WebhookError.malformed("\(connection.system.rawValue) webhooks are not supported; it is synced by polling")
        }
    }

    /// The sender's delivery id: printable ASCII, at most 200 characters, else 400 (it is
    /// stored as a key and logged).
    static func deliveryID(_ header: String?) throws(WebhookError) -> String? {
        guard let header else { return nil }
        let id = header.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, id.utf8.count <= 200, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .malformed("X-TicketPulse-Delivery must be 1–200 printable ASCII characters without spaces")
        }
        return id
    }

    static func zendeskTicketID(_ body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
        func id(_ value: Any?) -> String? {
            switch value {
            case let text as String where !text.isEmpty && text.allSatisfy(\.isNumber): text
            case let number as NSNumber where !(number is Bool): number.stringValue
            default: nil
            }
        }
        return id((object["detail"] as? [String: Any])?["id"]) ?? id((object["ticket"] as? [String: Any])?["id"])
            ?? id(object["ticket_id"]) ?? id(object["id"])
    }
}

/// The source of the generic webhook connection: nothing to poll.
public struct WebhookOnlySource: TicketSource {
    public init() {}
    public func fetchPage(after checkpoint: SyncCheckpoint?) async throws -> SourcePage {
        SourcePage(tickets: [], next: checkpoint ?? SyncCheckpoint(), isLastPage: true)
    }
    public func fetchTicket(id: String) async throws -> SourceTicket? { nil }
}
