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
    /// created; unresolved until solved; no rating before it was rated. Backtesting replays
    /// history through this.
    public func asOf(_ time: Date) -> Ticket? {
        guard createdAt <= time else { return nil }
        var past = self
        if let resolved = resolvedAt, resolved > time {
            past.status = .open
            past.solvedAt = nil
            past.closedAt = nil
        } else if resolvedAt == nil, status.isResolved || status == .deleted, updatedAt > time {
            past.status = .open
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
