import Foundation

/// Work that must happen on one replica at a time (sync pollers, detector passes, digests,
/// outbox delivery) is done by whoever holds its lease: a row in the store every replica
/// shares, taken when free or expired, renewed while held. A replica that dies stops
/// renewing, and another takes the lease when it expires; no other coordination service.
public protocol LeaseStore: Sendable {
    /// Takes `name` for `holder` until `until` when it is free, expired at `now`, or already
    /// `holder`'s (a renewal), in one statement; true when `holder` holds it afterwards.
    func acquireLease(_ name: String, holder: String, now: Date, until: Date) async throws -> Bool
    /// Gives `name` up when `holder` holds it, so that a replica stopping gracefully hands
    /// over at once instead of after the lease expires.
    func releaseLease(_ name: String, holder: String) async throws
    /// Who holds `name` at `now`, if anyone (for `doctor` and the logs).
    func leaseHolder(_ name: String, now: Date) async throws -> String?
}
