/// Where a store's schema stands against this build's migrations.
public struct StoreSchemaStatus: Sendable, Equatable {
    /// The migrations this build knows that the store has, in order; the last is its version.
    public var applied: [String]
    /// Every migration this build knows, in order.
    public var known: [String]
    /// Migrations the store has that this build does not know: a newer TicketPulse wrote it.
    public var unknown: [String]

    public init(applied: [String], known: [String], unknown: [String]) {
        self.applied = applied
        self.known = known
        self.unknown = unknown
    }

    /// The store's schema version as this build names it.
    public var version: String? { applied.last }
    public var isCurrent: Bool { unknown.isEmpty && applied == known }
}

/// A backend that can say which schema version its store is at (for `ticketpulse doctor`).
/// Apart from `Store` so that a backend without it still is one.
public protocol StoreSchemaReporting: Sendable {
    func schemaStatus() async throws -> StoreSchemaStatus
}

/// The store was migrated by a newer TicketPulse: this build does not know all of its
/// schema, and writing to it could break what the newer build relies on.
public struct StoreSchemaTooNew: Error, Sendable, Equatable, CustomStringConvertible {
    public var unknown: [String]
    public var latestKnown: String?

    public init(unknown: [String], latestKnown: String?) {
        self.unknown = unknown
        self.latestKnown = latestKnown
    }

    /// What is wrong and what to do, whole: callers that wrap the error keep only its text.
    public var description: String { "\(problem); \(fix)" }

    public var problem: String {
        "the store was written by a newer TicketPulse: it has migration\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")), which this build does not know (its schema ends at \(latestKnown ?? "nothing"))"
    }

    /// What to do about it.
    public var fix: String {
        "run the TicketPulse version that migrated it (or a newer one), or restore the store from a backup taken before that upgrade; this build will not open it"
    }
}
