import Foundation

/// Messages to Slack (and digest emails) waiting to be delivered exactly once, and the digests that batch them.
public protocol OutboxStore: Sendable {
    /// Pending rows whose time has come, and in-flight ones older than `staleAfter` (a
    /// delivery that died mid-way), oldest first.
    func dueOutbox(at now: Date, staleAfter: TimeInterval, limit: Int) async throws -> [OutboxRow]
    func outboxRow(id: Int64) async throws -> OutboxRow?
    func outboxRow(key: String) async throws -> OutboxRow?
    func outbox(alertID: Int64) async throws -> [OutboxRow]
    func postKeys(alertID: Int64) async throws -> [String]
    func livePostKeys(alertID: Int64) async throws -> [String]
    func outboxCounts() async throws -> [OutboxRow.State: Int]
    /// Marks `row` in flight for this deliverer, before its send, unless another took it
    /// since it was read: true when this one holds it. The row's `attempts`, which every
    /// claim raises, is the version compared, so of two replicas that read the same row
    /// (a leader and one that took over its expired lease) exactly one sends it.
    func claimForDelivery(_ row: OutboxRow, at now: Date) async throws -> Bool
    func markSent(_ id: Int64, channel: String, ts: String, at now: Date) async throws
    func markAttemptFailed(_ id: Int64, error: String, retryAt: Date?) async throws
    /// Whether an update to `parentID` newer than `id` was already delivered.
    func newerUpdateSent(than id: Int64, parentID: Int64) async throws -> Bool
    /// Points a delivered row at a message posted anew (the old one was deleted in Slack).
    func repoint(_ id: Int64, channel: String, ts: String) async throws

    func pendingDigestItems() async throws -> [String: [StoredAlert]]
    func lastDigest(email: String) async throws -> Date?
    func queueDigest(_ message: OutboxMessage, email: String, alertIDs: [Int64], at now: Date) async throws
    /// One digest as several messages (Slack and email), queued together with its items
    /// marked as sent in the first, in one transaction.
    func queueDigests(_ messages: [OutboxMessage], email: String, alertIDs: [Int64], at now: Date) async throws
    /// An outreach email a CSM confirmed: saved with the customer's email drafts and queued
    /// (`message`, an email row), in one transaction.
    func queueOutreachEmail(_ message: OutboxMessage, alertID: Int64?, customerID: String, author: String, subject: String, body: String, at now: Date) async throws
}

extension OutboxStore {
    public func dueOutbox(at now: Date, staleAfter: TimeInterval = 30) async throws -> [OutboxRow] {
        try await dueOutbox(at: now, staleAfter: staleAfter, limit: 50)
    }
}
