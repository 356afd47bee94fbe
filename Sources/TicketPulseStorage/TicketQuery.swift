import Foundation
import TicketPulseCore

/// A ticket list question: whose tickets, which ones, how many.
public struct TicketQuery: Sendable, Equatable {
    /// nil means every customer (an admin's view); an empty list matches nothing.
    public var customerIDs: [String]?
    public var status: TicketStatusFilter
    public var priorities: [Priority]?
    public var category: TicketCategory?
    /// Created within this period.
    public var createdIn: Period?
    public var escalatedOnly: Bool
    public var limit: Int

    public init(customerIDs: [String]?, status: TicketStatusFilter = .all, priorities: [Priority]? = nil, category: TicketCategory? = nil, createdIn: Period? = nil, escalatedOnly: Bool = false, limit: Int = 200) {
        self.customerIDs = customerIDs
        self.status = status
        self.priorities = priorities
        self.category = category
        self.createdIn = createdIn
        self.escalatedOnly = escalatedOnly
        self.limit = limit
    }
}

/// A page of tickets and how many matched in all.
public struct TicketPage: Sendable {
    public var tickets: [StoredTicket]
    public var totalMatching: Int

    public init(tickets: [StoredTicket], totalMatching: Int) {
        self.tickets = tickets
        self.totalMatching = totalMatching
    }
}
