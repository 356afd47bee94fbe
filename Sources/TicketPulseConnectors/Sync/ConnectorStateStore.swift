import Foundation

/// Durable per-connection sync state (cursor, health). Written after every page, so a
/// crash resumes where the last stored page ended.
public protocol ConnectorStateStore: Sendable {
    func state(connection: String) async throws -> ConnectionState
    func save(_ state: ConnectionState, connection: String) async throws
    func connections() async throws -> [String]
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
