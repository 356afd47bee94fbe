import Foundation
import TicketPulseCore
import TicketPulseStorage

extension Store {
    /// Re-runs matching over unmatched tickets after the roster or a mapping changed.
    /// Only what the canonical ticket keeps (the requester's email) is available here;
    /// organization and custom-field rules apply again on the ticket's next sync.
    @discardableResult
    public func rematch(with matcher: CustomerMatcher, at now: Date) async throws -> Int {
        let matched = try await unmatchedTickets(limit: 1_000_000).compactMap { stored -> Ticket? in
            let ticket = matcher.apply(SourceTicket(ticket: stored.ticket))
            return ticket.customerID == nil ? nil : ticket
        }
        guard !matched.isEmpty else { return 0 }
        try await upsert(matched, at: now)
        return matched.count
    }
}
