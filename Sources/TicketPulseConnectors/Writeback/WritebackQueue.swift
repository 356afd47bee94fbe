import Foundation
import TicketPulseCore
import TicketPulseStorage

/// A CSM action waiting to be written back to its support system: the store's record,
/// under the name the write-back side uses.
public typealias PendingWriteback = StoredWriteback

/// The durable outbox of write-backs. The store implementation reads `ticket_actions`
/// with `writeback_status = 'pending'` whose retry time has come
/// (`ConnectionStore.dueWritebacks`).
public protocol WritebackQueue: Sendable {
    func due(at now: Date, limit: Int) async throws -> [PendingWriteback]
    func markWritten(id: Int64, at now: Date) async throws
    /// `retryAt == nil` gives up for good (the ticket is gone); otherwise it stays pending.
    func markFailed(id: Int64, error: String, retryAt: Date?) async throws
}

public actor InMemoryWritebackQueue: WritebackQueue {
    public enum Status: Sendable, Equatable { case pending, written(Date), failed(String) }

    private var items: [Int64: (item: PendingWriteback, status: Status, retryAt: Date?, lastError: String?)] = [:]

    public init(_ items: [PendingWriteback] = []) {
        for item in items { self.items[item.id] = (item, .pending, nil, nil) }
    }

    public func add(_ item: PendingWriteback) { items[item.id] = (item, .pending, nil, nil) }

    public func status(id: Int64) -> Status? { items[id]?.status }
    public func attempts(id: Int64) -> Int? { items[id]?.item.attempts }

    public func due(at now: Date, limit: Int) -> [PendingWriteback] {
        items.values.filter { $0.status == .pending && ($0.retryAt ?? .distantPast) <= now }
            .map(\.item).sorted { $0.id < $1.id }.prefix(limit).map { $0 }
    }

    public func markWritten(id: Int64, at now: Date) { items[id]?.status = .written(now) }

    public func markFailed(id: Int64, error: String, retryAt: Date?) {
        guard var entry = items[id] else { return }
        entry.item.attempts += 1
        entry.lastError = error
        entry.retryAt = retryAt
        if retryAt == nil { entry.status = .failed(error) }
        items[id] = entry
    }
}
