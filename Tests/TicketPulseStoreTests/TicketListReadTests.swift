import Foundation
import GRDB
import Testing
import TicketPulseCore
@testable import TicketPulseSQLite
import TicketPulseStorage

/// The ticket lists answers read in bulk (`tickets(_:)`, `ratedTickets`, `ticketsCreated`):
/// what each carries, on both backends, and the indexes SQLite reads them through.
@Suite("Ticket store: lists")
struct TicketListReadTests {
    let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!

    /// A ticket with every column set, so that a decoder that drops or swaps one shows.
    func full(_ externalID: String, customer: String = "cus_acme", createdDaysAgo: Double, ratedDaysAgo: Double? = nil, status: TicketStatus = .solved) -> Ticket {
        let created = now.addingTimeInterval(-createdDaysAgo * 86_400)
        return Ticket(
            source: .zendesk, externalID: externalID, customerID: customer, matchRule: "domain:acme.com",
            subject: "SSO login failing \(externalID)", description: "A long description of \(externalID)", status: status,
            priority: .p2, category: .technical, tags: ["sso", "enterprise"], requesterEmail: "ann@acme.com", assignee: "Bo",
            createdAt: created, updatedAt: created.addingTimeInterval(7200), firstResponseAt: created.addingTimeInterval(600),
            solvedAt: status.isResolved ? created.addingTimeInterval(3600) : nil, closedAt: nil,
            csat: ratedDaysAgo.map { CSATRating(score: 2, rawValue: "bad", comment: "slow to answer", ratedAt: now.addingTimeInterval(-$0 * 86_400)) },
            escalation: Escalation(reason: "exec sponsor", level: 2, escalatedAt: created.addingTimeInterval(1800)), reopenCount: 1,
            firstResponseDueAt: created.addingTimeInterval(3600), resolutionDueAt: created.addingTimeInterval(86_400), organizationID: "org_7"
        )
    }

    @Test("A page of tickets decodes every column as the single-ticket read does", arguments: StoreBackend.available)
    func pageDecodesEveryColumn(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let ticket = full("9001", createdDaysAgo: 3, ratedDaysAgo: 1)
            try await store.upsert(ticket, at: now)
            let page = try await store.tickets(TicketQuery(customerIDs: ["cus_acme"], status: .all, escalatedOnly: true))
            let single = try #require(try await store.ticket(source: .zendesk, externalID: "9001"))
            #expect(page.tickets == [single])
            #expect(single.ticket == ticket)
        }
    }

    @Test("Rated tickets carry the rating, its time, the customer, status and creation; no text", arguments: StoreBackend.available)
    func ratedTicketsCarryTheRating(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var deleted = full("3", createdDaysAgo: 20, ratedDaysAgo: 5)
            deleted.status = .deleted
            try await store.upsert([full("1", createdDaysAgo: 20, ratedDaysAgo: 5), full("2", createdDaysAgo: 40, ratedDaysAgo: 35), deleted,
                                    full("4", customer: "cus_globex", createdDaysAgo: 20, ratedDaysAgo: 5), full("5", createdDaysAgo: 10)], at: now)
            let rated = try await store.ratedTickets(customerIDs: ["cus_acme"], ratedIn: .trailing(days: 30, endingAt: now), createdBefore: now)
            #expect(rated.count == 1)
            let ticket = try #require(rated.first)
            let original = full("1", createdDaysAgo: 20, ratedDaysAgo: 5)
            #expect(ticket.customerID == "cus_acme")
            #expect(ticket.status == .solved)
            #expect(ticket.createdAt == original.createdAt)
            #expect(ticket.csat?.score == 2)
            #expect(ticket.csat?.ratedAt == original.csat?.ratedAt)
            #expect(ticket.subject.isEmpty && ticket.description.isEmpty && ticket.csat?.comment == nil && ticket.escalation == nil)
            #expect(try await store.ratedTickets(customerIDs: ["cus_acme"], ratedIn: .trailing(days: 60, endingAt: now), createdBefore: now).count == 2)
            #expect(try await store.ratedTickets(customerIDs: nil, ratedIn: .trailing(days: 30, endingAt: now), createdBefore: now).count == 2)
            #expect(try await store.ratedTickets(customerIDs: ["cus_acme"], ratedIn: .trailing(days: 30, endingAt: now),
                                                 createdBefore: now.addingTimeInterval(-30 * 86_400)).isEmpty)
        }
    }

    @Test("Tickets created in a period carry their subjects and categories, not their descriptions", arguments: StoreBackend.available)
    func ticketsCreatedCarrySubjects(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.upsert([full("1", createdDaysAgo: 2), full("2", createdDaysAgo: 40), full("3", customer: "cus_globex", createdDaysAgo: 2)], at: now)
            let created = try await store.ticketsCreated(customerIDs: ["cus_acme"], in: .trailing(days: 30, endingAt: now))
            #expect(created.map(\.subject) == ["SSO login failing 1"])
            #expect(created.map(\.category) == [.technical])
            #expect(created.map(\.description) == [""])
            #expect(created.first?.createdAt == full("1", createdDaysAgo: 2).createdAt)
        }
    }

    @Test("SQLite reads a portfolio's escalations and ratings through their own indexes, the ratings without the table")
    func indexesOfEscalationsAndRatings() throws {
        let store = try SQLiteStore()
        let ids = ["cus_a", "cus_b"]
        func plan(_ sql: String, _ arguments: StatementArguments) throws -> String {
            try store.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }.joined(separator: "\n") }
        }
        let table = SQLiteStore.ticketsTable(TicketQuery(customerIDs: ids, escalatedOnly: true))
        let escalated = try plan("SELECT id FROM \(table) WHERE customer_id IN (?, ?) AND status IN ('open', 'solved') AND escalated = 1 ORDER BY created_at DESC", StatementArguments(ids))
        #expect(escalated.contains("tickets_customer_escalated"))
        #expect(try plan("SELECT id FROM \(table) WHERE status IN ('open') AND escalated = 1", []).contains("tickets_customer_escalated"))
        let rated = try plan("""
            SELECT \(TicketColumns.ratingSelection) FROM tickets
            WHERE csat_score IS NOT NULL AND csat_at >= ? AND csat_at < ? AND created_at < ? AND status != 'deleted' AND customer_id IN (?, ?)
            """, [0, 1, 1] + StatementArguments(ids))
        #expect(rated.contains("COVERING INDEX tickets_customer_rated"))
    }
}
