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

/// State kept by whoever owns the database: the lead wires `load`/`save` to a
/// `connector_state(connection TEXT PRIMARY KEY, state_json TEXT NOT NULL, updated_at REAL NOT NULL)` table.
public struct ClosureConnectorStateStore: ConnectorStateStore {
    public var load: @Sendable (String) throws -> Data?
    public var store: @Sendable (String, Data) throws -> Void
    public var list: @Sendable () throws -> [String]

    public init(load: @escaping @Sendable (String) throws -> Data?, store: @escaping @Sendable (String, Data) throws -> Void, list: @escaping @Sendable () throws -> [String]) {
        self.load = load
        self.store = store
        self.list = list
    }

    public func state(connection: String) throws -> ConnectionState {
        guard let data = try load(connection) else { return ConnectionState() }
        return try JSONDecoder().decode(ConnectionState.self, from: data)
    }

    public func save(_ state: ConnectionState, connection: String) throws {
        try store(connection, try JSONEncoder().encode(state))
    }

    public func connections() throws -> [String] { try list() }
}
