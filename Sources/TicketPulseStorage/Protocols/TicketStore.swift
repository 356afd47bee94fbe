import Foundation
import TicketPulseCore

/// Tickets with their history, and the reads answers and detectors make of them.
public protocol TicketStore: Sendable {
    /// Inserts or updates tickets by (source, external id), appending the events each
    /// change makes, in one transaction.
    @discardableResult
    func upsert(_ tickets: [Ticket], at now: Date) async throws -> [UpsertResult]
    func ticket(source: SourceSystem, externalID: String) async throws -> StoredTicket?
    func tickets(externalID: String) async throws -> [StoredTicket]
    func events(ticketID: Int64) async throws -> [TicketEvent]
    func customerID(ticketID: Int64) async throws -> String?
    func ticketCount() async throws -> Int
    func eventCount() async throws -> Int
    /// Tickets no customer claims, newest first.
    func unmatchedTickets(limit: Int) async throws -> [StoredTicket]
    func unmatchedTicketCount() async throws -> Int
    /// Tickets of `source` whose external id starts with `externalIDPrefix` (one connection's).
    func ticketCount(source: SourceSystem, externalIDPrefix: String) async throws -> (total: Int, unmatched: Int)

    /// Tickets matching `query`, newest first.
    func tickets(_ query: TicketQuery) async throws -> TicketPage
    /// What the metrics of `period` count (see `MetricsCalculator`), without ticket texts.
    func metricsInput(customerIDs: [String]?, period: Period) async throws -> [Ticket]
    /// Tickets created in `period`, with their subjects but no other text.
    func ticketsCreated(customerIDs: [String]?, in period: Period) async throws -> [Ticket]
    func slaInput(customerIDs: [String]?, period: Period) async throws -> [Ticket]
    /// Rated tickets whose rating falls in `period`, carrying only what CSAT figures read:
    /// the rating and its time, the customer, status and creation time (`TicketColumns.ratingSelection`).
    func ratedTickets(customerIDs: [String]?, ratedIn period: Period, createdBefore: Date) async throws -> [Ticket]
    /// What the detectors need, per customer: tickets created or rated since `horizon`, and every unresolved one.
    func activity(customerIDs: [String]?, since horizon: Date) async throws -> [CustomerActivity]
    /// The newest update seen from each source.
    func sourceSummary() async throws -> SourceSummary
}

extension TicketStore {
    @discardableResult
    public func upsert(_ ticket: Ticket, at now: Date) async throws -> UpsertResult {
        try await upsert([ticket], at: now)[0]
    }

    public func unmatchedTickets() async throws -> [StoredTicket] { try await unmatchedTickets(limit: 100_000) }

    public func ticketCount(source: SourceSystem) async throws -> (total: Int, unmatched: Int) {
        try await ticketCount(source: source, externalIDPrefix: "")
    }
}
