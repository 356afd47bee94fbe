import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Connector state in the store's `connection_state` table: the default. Because it lives
/// beside the tickets, each page's tickets and the cursor after it are written in one
/// transaction (`savePage`).
public struct StoreConnectorStateStore: ConnectorStateStore {
    public let store: any Store
    let now: @Sendable () -> Date

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public func state(connection: String) async throws -> ConnectionState {
        guard let data = try await store.connectionState(connection) else { return ConnectionState() }
        do {
            return try JSONDecoder().decode(ConnectionState.self, from: data)
        } catch {
            throw ConnectorError.malformedResponse("stored state of connection '\(connection)' is unreadable: \(error)")
        }
    }

    public func save(_ state: ConnectionState, connection: String) async throws {
        try await store.saveConnectionState(try Self.encode(state), connection: connection, at: now())
    }

    /// Connection names only, without the OAuth token entries.
    public func connections() async throws -> [String] { try await store.connectionStateNames().filter { !$0.contains("#") } }

    /// The page's tickets and the state after it, in one transaction.
    func upsert(_ tickets: [Ticket], at date: Date, saving state: ConnectionState, connection: String) async throws -> [UpsertResult] {
        try await store.upsert(tickets, at: date, savingState: try Self.encode(state), connection: connection)
    }

    static func encode(_ state: ConnectionState) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(state)
    }
}

/// The write-back outbox over the store's `ticket_actions`: CSM notes and escalation
/// requests recorded as `pending` are written back, retried with their delay, and given up
/// only when the ticket is gone.
public struct StoreWritebackQueue: WritebackQueue {
    public let store: any Store

    public init(store: any Store) { self.store = store }

    public func due(at now: Date, limit: Int) async throws -> [PendingWriteback] {
        try await store.dueWritebacks(at: now, limit: limit)
    }

    public func markWritten(id: Int64, at now: Date) async throws { try await store.markWrittenBack(actionID: id, at: now) }

    public func markFailed(id: Int64, error: String, retryAt: Date?) async throws {
        try await store.markWritebackFailed(actionID: id, error: error, retryAt: retryAt)
    }
}
