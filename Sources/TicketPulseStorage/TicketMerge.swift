import Foundation
import TicketPulseCore

/// How a ticket read from a source is merged into its stored copy, the same for every
/// backend: a backend reads the stored row, asks `merged`, and writes the answer and the
/// events `TicketEvent.changes` makes of it in its own transaction.
package enum TicketMerge {
    /// What to store for `incoming` over the stored `old` copy; nil when nothing is to be
    /// written (an older snapshot, or the same ticket again).
    package static func merged(_ incoming: Ticket, over old: Ticket) -> Ticket? {
        // A snapshot older than the stored copy (a --full re-read, an export page behind a
        // webhook's fetch) would roll the ticket back and invent history and reopens.
        if incoming.updatedAt < old.updatedAt { return nil }
        var ticket = incoming
        // The store dates a rating the source leaves undated; the same rating seen again is no news.
        if let rating = ticket.csat, rating.ratedAt == nil, let stored = old.csat,
           stored.score == rating.score, stored.rawValue == rating.rawValue, stored.comment == rating.comment {
            ticket.csat = stored
        }
        if old.status.isResolved && ticket.status.isUnresolved { ticket.reopenCount = max(ticket.reopenCount, old.reopenCount + 1) }
        ticket.reopenCount = max(ticket.reopenCount, old.reopenCount)
        // A source that does not know the customer never unmatches one we matched.
        if ticket.customerID == nil { ticket.customerID = old.customerID; ticket.matchRule = old.matchRule }
        return old == ticket ? nil : ticket
    }
}

/// The stored form of a ticket's derived columns, shared so that every backend writes the
/// same values (and the store copy moves them unchanged).
extension Ticket {
    /// Tags as one space-separated column.
    package var storedTags: String { tags.joined(separator: " ") }
    /// When the rating counts from: the source's time, else the resolution, else the last update.
    package var storedCSATAt: Date? { csat.map { $0.ratedAt ?? resolvedAt ?? updatedAt } }
    /// When the escalation counts from: the source's time, else the last update.
    package var storedEscalatedAt: Date? { escalation.map { $0.escalatedAt ?? updatedAt } }
}
