import Foundation
import Synchronization
import TicketPulseStorage

/// The connections a runtime holds: the file's, built at start, and the store's, added while
/// the server runs (the connect flow, or another replica's). Services that run the added
/// ones listen for additions.
final class ConnectionRegistry: Sendable {
    private struct State {
        var connections: [ConnectorRuntime.Connection] = []
        var shadowed: [StoredConnection] = []
        var listeners: [UUID: AsyncStream<Void>.Continuation] = [:]
    }

    private let state = Mutex(State())

    var connections: [ConnectorRuntime.Connection] { state.withLock { $0.connections } }
    var shadowed: [StoredConnection] { state.withLock { $0.shadowed } }

    func contains(_ name: String) -> Bool {
        state.withLock { state in state.connections.contains { $0.name == name } || state.shadowed.contains { $0.name == name } }
    }

    /// Adds `connection` unless one of that name is there already (the first one stays:
    /// the file's are added first, so the file wins); listeners hear of it.
    @discardableResult
    func add(_ connection: ConnectorRuntime.Connection) -> Bool {
        let listeners = state.withLock { state -> [AsyncStream<Void>.Continuation]? in
            guard !state.connections.contains(where: { $0.name == connection.name }) else { return nil }
            state.connections.append(connection)
            return Array(state.listeners.values)
        }
        listeners?.forEach { $0.yield() }
        return listeners != nil
    }

    /// A stored connection a file connection of the same name hides.
    func shadow(_ connection: StoredConnection) {
        state.withLock { state in
            if !state.shadowed.contains(where: { $0.name == connection.name }) { state.shadowed.append(connection) }
        }
    }

    /// `continuation` is told of every addition until `stopListening`.
    func listen(_ continuation: AsyncStream<Void>.Continuation) -> UUID {
        let id = UUID()
        state.withLock { $0.listeners[id] = continuation }
        return id
    }

    func stopListening(_ id: UUID) {
        let continuation = state.withLock { $0.listeners.removeValue(forKey: id) }
        continuation?.finish()
    }
}
