import Foundation
import TicketPulseCore

/// What an upsert did to one ticket.
public struct UpsertResult: Sendable, Equatable {
    public var ticketID: Int64
    public var inserted: Bool
    /// The history events appended: empty when nothing changed.
    public var events: [TicketEvent]
    /// The ticket as it was before, for detectors that compare.
    public var previous: Ticket?


    public init(ticketID: Int64, inserted: Bool, events: [TicketEvent], previous: Ticket?) {
        self.ticketID = ticketID
        self.inserted = inserted
        self.events = events
        self.previous = previous
    }
}
