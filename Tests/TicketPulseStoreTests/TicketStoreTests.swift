import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseSQLite
import TicketPulseStorage

@Suite("Ticket store")
struct TicketStoreTests {
    let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!

    func ticket(status: TicketStatus = .open, priority: Priority = .p2, csat: CSATRating? = nil) -> Ticket {
        Ticket(source: .zendesk, externalID: "4521", customerID: "cus_acme", subject: "SSO broken", status: status, priority: priority,
               category: .technical, tags: ["sso", "enterprise"], createdAt: now.addingTimeInterval(-7200), csat: csat)
    }

    @Test("Upserting the same ticket twice stores one ticket and no second history", arguments: StoreBackend.available)
    func idempotentUpsert(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.upsert(ticket(), at: now)
            let second = try await store.upsert(ticket(), at: now.addingTimeInterval(60))
            #expect(first.inserted)
            #expect(!second.inserted)
            #expect(second.events.isEmpty)
            #expect(first.ticketID == second.ticketID)
            #expect(try await store.ticketCount() == 1)
            #expect(try await store.events(ticketID: first.ticketID).map(\.kind) == [.created])
        }
    }

    @Test("A page mixing new tickets, a stored one and the same ticket twice: one result each, in order, as one by one", arguments: StoreBackend.available)
    func mixedPage(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let stored = try await store.upsert(ticket(), at: now)
            var page = (1...3).map { n in
                Ticket(source: .zendesk, externalID: "90\(n)", customerID: "cus_acme", subject: "new \(n)", status: .open, priority: .p3, createdAt: now)
            }
            page.insert(ticket(status: .pending), at: 1)
            var again = page[0]
            again.status = .solved
            page.append(again)
            let results = try await store.upsert(page, at: now)
            #expect(results.map(\.inserted) == [true, false, true, true, false])
            #expect(results[1].ticketID == stored.ticketID)
            #expect(results[1].events.map(\.kind) == [.status])
            #expect(results[4].ticketID == results[0].ticketID, "the second copy updates the first")
            #expect(results[4].events.map(\.kind) == [.status])
            #expect(Set(results.map(\.ticketID)).count == 4)
            #expect(try await store.ticketCount() == 4)
            #expect(try await store.ticket(source: .zendesk, externalID: "901")?.ticket.status == .solved)
            #expect(try await store.events(ticketID: results[2].ticketID).map(\.kind) == [.created])
        }
    }

    @Test("A change appends its events in the same write; the stored ticket round-trips", arguments: StoreBackend.available)
    func changesAppendHistory(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let id = try await store.upsert(ticket(), at: now).ticketID
            var solved = ticket(status: .solved, priority: .p1, csat: CSATRating(score: 2, rawValue: "bad", comment: "slow", ratedAt: now))
            solved.solvedAt = now
            let result = try await store.upsert(solved, at: now)
            #expect(result.events.map(\.kind) == [.status, .priority, .csatReceived])
            #expect(try await store.events(ticketID: id).map(\.kind) == [.created, .status, .priority, .csatReceived])
            #expect(try await store.ticket(source: .zendesk, externalID: "4521")?.ticket == solved)

            var reopened = solved
            reopened.status = .open
            let reopen = try await store.upsert(reopened, at: now.addingTimeInterval(60))
            #expect(reopen.events.map(\.kind) == [.reopened])
            #expect(try await store.ticket(source: .zendesk, externalID: "4521")?.ticket.reopenCount == 1)
        }
    }

    @Test("The same external id in two systems is two tickets", arguments: StoreBackend.available)
    func sourceAndIDAreTheKey(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var other = ticket()
            other.source = .freshdesk
            try await store.upsert([ticket(), other], at: now)
            #expect(try await store.ticketCount() == 2)
            #expect(try await store.tickets(externalID: "4521").count == 2)
        }
    }

    @Test("Ticket queries filter by customer, status, priority and period, newest first", arguments: StoreBackend.available)
    func queries(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let tickets = (0..<12).map { index -> Ticket in
                let customer = index < 10 ? "cus_acme" : "cus_globex"
                let status: TicketStatus = index % 2 == 0 ? .open : .closed
                let priority: Priority = index % 4 == 0 ? .p1 : .p3
                let created = now.addingTimeInterval(-Double(index) * 86_400 - 3600)
                return Ticket(source: .zendesk, externalID: "\(index)", customerID: customer, subject: "t\(index)",
                              status: status, priority: priority, createdAt: created)
            }
            try await store.upsert(tickets, at: now)
            let open = try await store.tickets(TicketQuery(customerIDs: ["cus_acme"], status: .unresolved))
            #expect(open.totalMatching == 5)
            #expect(open.tickets.map(\.ticket.externalID) == ["0", "2", "4", "6", "8"])
            let p1 = try await store.tickets(TicketQuery(customerIDs: nil, status: .all, priorities: [.p1], createdIn: .trailing(days: 5, endingAt: now)))
            #expect(p1.tickets.map(\.ticket.externalID) == ["0", "4"])
            #expect(try await store.tickets(TicketQuery(customerIDs: [])).totalMatching == 0)
            #expect(try await store.metricsInput(customerIDs: ["cus_globex"], period: .trailing(days: 30, endingAt: now)).count == 2)
        }
    }
}
