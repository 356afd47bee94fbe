import Foundation
import TicketPulseCore
import TicketPulseStore

extension TicketStore {
    /// Tickets no customer claims yet, newest first.
    ///
    /// The store has no `customer_id IS NULL` query yet, so this filters a full listing;
    /// fine for a roster-sized store, to be replaced by a store query.
    public func unmatchedTickets(limit: Int = 100_000) throws -> [StoredTicket] {
        try tickets(TicketQuery(customerIDs: nil, status: .all, limit: limit)).tickets.filter { $0.ticket.customerID == nil }
    }

    /// Re-runs matching over unmatched tickets after the roster or a mapping changed.
    /// Only what the canonical ticket keeps (the requester's email) is available here;
    /// organization and custom-field rules apply again on the ticket's next sync.
    @discardableResult
    public func rematch(with matcher: CustomerMatcher, at now: Date) throws -> Int {
        let matched = try unmatchedTickets().compactMap { stored -> Ticket? in
            let ticket = matcher.apply(SourceTicket(ticket: stored.ticket))
            return ticket.customerID == nil ? nil : ticket
        }
        guard !matched.isEmpty else { return 0 }
        try upsert(matched, at: now)
        return matched.count
    }
}
