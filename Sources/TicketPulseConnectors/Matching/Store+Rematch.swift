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

extension Store {
    /// Applies the store's organization mapping of `source` to the tickets already stored,
    /// at once, as the matcher applies it to new ones: a ticket of a mapped organization
    /// goes to the mapped customer; one that a mapping placed and that no mapping covers any
    /// more is matched again by requester domain (and keeps its customer when nothing else
    /// claims it: the store never unmatches). Organizations in `fileMapped` (a file
    /// connection's `organization_map`) are left alone: the file wins. Returns how many
    /// tickets changed customer.
    @discardableResult
    public func applyOrganizationMapping(source: SourceSystem, fileMapped: Set<String> = [], at now: Date) async throws -> Int {
        let mapping = try await organizationMappings(source: source)
        let matcher = CustomerMatcher(customers: try await customers(), organizationMapping: mapping)
        var changed: [Ticket] = []
        var moved = 0
        for stored in try await ticketsWithOrganization(source: source) {
            var ticket = stored.ticket
            guard let organization = ticket.organizationID, !fileMapped.contains(organization),
                  mapping[organization] != nil || ticket.matchRule == CustomerMatcher.Rule.organizationMapping.rawValue else { continue }
            var unplaced = ticket
            unplaced.customerID = nil
            unplaced.matchRule = nil
            guard let (customer, rule) = matcher.match(SourceTicket(ticket: unplaced, organizationID: organization)),
                  customer != ticket.customerID || rule.rawValue != ticket.matchRule else { continue }
            if customer != ticket.customerID { moved += 1 }
            ticket.customerID = customer
            ticket.matchRule = rule.rawValue
            changed.append(ticket)
        }
        if !changed.isEmpty { try await upsert(changed, at: now) }
        return moved
    }
}
