import Foundation
import TicketPulseCore

/// What connectors keep: their state (cursors, tokens), webhook de-duplication, and the
/// CSM actions waiting to be written back to the support systems.
public protocol ConnectionStore: Sendable {
    /// The connector state saved for `connection` (JSON, the connectors' format), if any.
    func connectionState(_ connection: String) async throws -> Data?
    func saveConnectionState(_ state: Data, connection: String, at now: Date) async throws
    func connectionStateNames() async throws -> [String]
    /// A page of tickets and the connection's state after it, in one transaction: after a
    /// crash either both are there or neither is.
    @discardableResult
    func upsert(_ tickets: [Ticket], at now: Date, savingState state: Data, connection: String) async throws -> [UpsertResult]
    /// A webhook's tickets, stored once per delivery: a redelivery (same signature or
    /// delivery id) stores nothing and says so.
    @discardableResult
    func upsert(_ tickets: [Ticket], at now: Date, delivery: WebhookDeliveryKeys) async throws -> WebhookDeliveryResult
    func webhookDeliveryKeyCount() async throws -> Int

    func dueWritebacks(at now: Date, limit: Int) async throws -> [StoredWriteback]
    func markWrittenBack(actionID: Int64, at now: Date) async throws
    func markWritebackFailed(actionID: Int64, error: String, retryAt: Date?) async throws
}
