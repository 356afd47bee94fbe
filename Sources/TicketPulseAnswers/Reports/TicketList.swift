import Foundation
import TicketPulseCore
import TicketPulseStorage

/// A page of a ticket list (PRD-122's ticket list view): the tickets `query` matches, as
/// the chat's list answers count them (`TicketStore.tickets`), sorted and cut into pages.
public struct TicketList: Sendable {
    public enum Sort: String, CaseIterable, Sendable {
        /// Newest first, as the chat lists them.
        case newest
        /// Oldest first: the longest open (or, once resolved, the slowest) at the top.
        case age
        /// P1 first, the oldest first within a priority.
        case priority
    }

    /// The most tickets one list reads before sorting; a customer's history is far smaller.
    public static let readLimit = 20_000

    public var tickets: [SupportTicketRecord]
    public var totalMatching: Int
    /// Where the next page starts; nil on the last page.
    public var nextOffset: Int?

    /// `source`: only that system's tickets (the Zendesk integration's view).
    public static func build(_ query: TicketQuery, source: SourceSystem? = nil, sort: Sort, offset: Int, limit: Int,
                             store: any Store, policy: SLAPolicy, now: Date) async throws -> TicketList {
        var query = query
        // The store lists newest first: such a page needs only the tickets up to its end.
        query.limit = sort == .newest && source == nil ? min(readLimit, offset + limit) : readLimit
        let page = try await store.tickets(query)
        var matching = page.tickets.map(\.ticket)
        var total = page.totalMatching
        if let source {
            matching = matching.filter { $0.source == source }
            total = matching.count
        }
        switch sort {
        case .newest: break
        case .age: matching.sort { ($0.age(at: now), $1.externalID) > ($1.age(at: now), $0.externalID) }
        case .priority: matching.sort { ($0.priority, $1.age(at: now), $0.externalID) < ($1.priority, $0.age(at: now), $1.externalID) }
        }
        let tiers = try await Dictionary(store.customers(ids: Array(Set(matching.compactMap(\.customerID)))).map { ($0.id, $0.tier) }, uniquingKeysWith: { first, _ in first })
        let slice = matching.dropFirst(offset).prefix(limit)
        let next = offset + slice.count
        return TicketList(tickets: slice.map { SupportTicketRecord($0, tier: $0.customerID.flatMap { tiers[$0] }, policy: policy, now: now) },
                          totalMatching: total, nextOffset: next < min(total, readLimit) ? next : nil)
    }
}
