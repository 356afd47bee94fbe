import Foundation

/// What the detectors see of one customer: the account and its recent tickets (created in
/// the baseline window and after, rated lately, or still open). Pure data, so a detector
/// pass is a function of it and `now`.
public struct CustomerActivity: Sendable {
    public var customer: Customer
    public var tickets: [Ticket]

    public init(customer: Customer, tickets: [Ticket]) {
        self.customer = customer
        self.tickets = tickets
    }

    /// How far back the detectors look: the spike window plus its baseline, or two CSAT
    /// periods, whichever is longer. Stores load tickets created (or rated) since then.
    public static func horizon(settings: DetectorSettings, now: Date) -> Date {
        let spike = settings.spikeLookback + Double(settings.baselineDays) * 86_400
        return now.addingTimeInterval(-max(spike, 60 * 86_400))
    }
}

extension Ticket {
    /// The ticket as it stood at `time`, as far as its own dates tell: nil before it was
    /// created; unresolved until solved; solved, not closed, until closed; no rating before
    /// it was rated; not deleted before its last change. Backtesting replays history
    /// through this.
    public func asOf(_ time: Date) -> Ticket? {
        guard createdAt <= time else { return nil }
        var past = self
        if let solved = solvedAt, solved > time { past.solvedAt = nil }
        if let closed = closedAt, closed > time { past.closedAt = nil }
        // A deletion is the ticket's last change: before it, the ticket stood as its dates tell.
        if status.isResolved || (status == .deleted && updatedAt > time) {
            if past.resolvedAt == nil {
                // Resolved after `time`, or at an unknown moment no earlier than its last change.
                if resolvedAt != nil || updatedAt > time { past.status = .open }
            } else if past.closedAt == nil, closedAt != nil || status == .deleted {
                past.status = .solved
            } else if status == .deleted {
                past.status = .closed
            }
        }
        if let first = firstResponseAt, first > time { past.firstResponseAt = nil }
        if let csat, (csat.ratedAt ?? updatedAt) > time { past.csat = nil }
        if let escalation, (escalation.escalatedAt ?? updatedAt) > time { past.escalation = nil }
        past.updatedAt = min(updatedAt, time)
        return past
    }

    /// When the rating arrived, or the last change if the source does not say.
    var ratedAt: Date? { csat.map { $0.ratedAt ?? updatedAt } }
}
