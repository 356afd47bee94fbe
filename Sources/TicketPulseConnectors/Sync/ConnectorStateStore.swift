import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Durable per-connection sync state (cursor, health). Written after every page, so a
/// crash resumes where the last stored page ended.
public protocol ConnectorStateStore: Sendable {
    func state(connection: String) async throws -> ConnectionState
    func save(_ state: ConnectionState, connection: String) async throws
    func connections() async throws -> [String]
    /// A page of tickets stored into `store` and the state after it saved. A crash must
    /// never keep the cursor without the page; by default the tickets are stored first and
    /// the cursor after (a crash between the two re-reads the page, which changes nothing).
    func savePage(_ tickets: [Ticket], at now: Date, into store: any Store, saving state: ConnectionState, connection: String) async throws -> [UpsertResult]
}

extension ConnectorStateStore {
    public func savePage(_ tickets: [Ticket], at now: Date, into store: any Store, saving state: ConnectionState, connection: String) async throws -> [UpsertResult] {
        let results = tickets.isEmpty ? [] : try await store.upsert(tickets, at: now)
        try await save(state, connection: connection)
        return results
    }
}

/// For tests and `--dry-run` style one-offs.
public actor InMemoryConnectorStateStore: ConnectorStateStore {
    private var states: [String: ConnectionState] = [:]
    var credentialsByConnection: [String: OAuthTokens] = [:]
    public private(set) var saveCount = 0

    public init() {}

    public func state(connection: String) -> ConnectionState { states[connection] ?? ConnectionState() }

    public func save(_ state: ConnectionState, connection: String) {
        states[connection] = state
        saveCount += 1
    }

    public func connections() -> [String] { states.keys.sorted() }
}
