import Foundation
import TicketPulseCore
import TicketPulseStorage

/// The escalated tickets of some customers: the `escalated_tickets` answer's list, and the
/// dashboard's escalation history.
public enum EscalatedTickets {
    /// Open escalations first, then the newest. "Escalated this week" is about when the
    /// escalation happened, which can be long after the ticket was opened: tickets opened up
    /// to 90 days before `escalatedIn` are fetched and those escalated within it kept.
    /// `customerIDs` nil: every customer.
    public static func find(in store: any Store, customerIDs: [String]?, status: TicketStatusFilter, escalatedIn period: Period?) async throws -> [StoredTicket] {
        let query = TicketQuery(customerIDs: customerIDs, status: status,
                                createdIn: period.map { Period(start: $0.start.addingTimeInterval(-90 * 86_400), end: $0.end) }, escalatedOnly: true, limit: 500)
        let escalated = try await store.tickets(query).tickets.filter { stored in
            period.map { $0.contains(stored.ticket.escalation?.escalatedAt ?? stored.ticket.createdAt) } ?? true
        }
        return escalated.sorted { ($0.ticket.isUnresolved ? 0 : 1, $1.ticket.createdAt) < ($1.ticket.isUnresolved ? 0 : 1, $0.ticket.createdAt) }
    }
}
