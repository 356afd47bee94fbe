/// The whole store as the rest of TicketPulse sees it: the embedded SQLite file
/// (`TicketPulseSQLite`) or a shared server. Every method is async so that a backend
/// reached over the network fits behind it; operations that must be atomic are single
/// methods (a page with its cursor, a detector pass's plans), never a caller's sequence.
public protocol Store: RosterStore, TicketStore, AlertStore, OutboxStore, AuditStore, ConnectionStore, SubscriptionStore, SlackEventStore,
                       SlackJobStore, LeaseStore, StoredConnectionStore, WebSessionStore, APITokenStore {
    /// Housekeeping this backend needs while a server runs, if any.
    var maintenance: (any StoreMaintenance)? { get }
    /// True when several processes share this store (PostgreSQL; SQLite only when asked):
    /// what one process decides from memory (a Slack retry already seen) must then be
    /// checked in the store.
    var isShared: Bool { get }
    /// Removes every ticket, alert and message (the roster and settings stay): `demo` starts over with it.
    func removeAllData() async throws
}

/// Periodic work a backend needs while a server runs (SQLite: WAL checkpoints off the
/// write path). The server runs it from one background service: `begin` once, `pass` every
/// `interval`, `end` when it stops.
public protocol StoreMaintenance: Sendable {
    var interval: Duration { get }
    func begin() async throws
    func pass() async throws
    func end() async
}
