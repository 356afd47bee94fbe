import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore
@testable import TicketPulseDemo
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Demo data")
struct DemoDataTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!

    static func generate(seed: UInt64 = 2026) -> [Ticket] {
        var all: [Ticket] = []
        DemoDataGenerator(seed: seed).generate(customers: DemoRoster.customers(now: now), now: now) { all += $0 }
        return all
    }

    @Test("The roster has 20+ customers across tiers, 5 CSMs and a manager")
    func roster() {
        let customers = DemoRoster.customers(now: Self.now)
        #expect(customers.count >= 20)
        #expect(Set(customers.map(\.tier)) == Set(CustomerTier.builtIn))
        #expect(DemoRoster.staff.filter { $0.role == .csm }.count == 5)
        #expect(DemoRoster.staff.contains { $0.role == .manager })
        #expect(customers.allSatisfy { customer in DemoRoster.staff.contains { $0.email == customer.csmEmail } })
    }

    @Test("Generation is deterministic for a seed and a time, and realistic in volume and mix")
    func deterministicAndRealistic() {
        let tickets = Self.generate()
        #expect(tickets == Self.generate())
        #expect(tickets != Self.generate(seed: 7))
        #expect(tickets.count >= 5000)
        #expect(tickets.allSatisfy { $0.createdAt < Self.now && $0.createdAt >= Self.now.addingTimeInterval(-121 * 86_400) })
        let p1Share = Double(tickets.filter { $0.priority == .p1 }.count) / Double(tickets.count)
        #expect((0.03...0.10).contains(p1Share))
        let ratings = tickets.compactMap(\.csat?.score)
        let average = Double(ratings.reduce(0, +)) / Double(ratings.count)
        #expect((3.7...4.4).contains(average))
        #expect(Set(tickets.map(\.category)) == Set(TicketCategory.allCases))
        #expect(Set(tickets.map(\.source)).count == 4)
    }

    @Test("The planted situations show up in a portfolio summary")
    func plantedSituations() async throws {
        let store = try SQLiteStore()
        try store.upsertCSMs(DemoRoster.staff)
        try store.upsertCustomers(DemoRoster.customers(now: Self.now))
        try store.upsert(Self.generate(), at: Self.now)
        let builder = SnapshotBuilder()
        let (snapshots, _) = try await builder.snapshots(customers: try store.customers(), store: store, period: .trailing(days: 30, endingAt: Self.now), now: Self.now)
        func snapshot(_ id: String) async throws -> CustomerSnapshot { try #require(snapshots.first { $0.customer.id == id }) }

        await #expect(try snapshot(DemoScenario.spikeCustomerID).attention.reasons.contains { $0.hasPrefix("spike") })
        let globex = try await snapshot(DemoScenario.csatDropCustomerID)
        #expect(globex.metrics.csat.trend == .declining)
        #expect((globex.metrics.csat.average ?? 5) < 3)
        await #expect(try snapshot(DemoScenario.escalationsCustomerID).metrics.escalations.open >= 4)
        await #expect(try snapshot(DemoScenario.slaBreachCustomerID).openBreaches >= 5)
        let newcomer = try await snapshot(DemoScenario.newCustomerID)
        #expect(newcomer.metrics.total > 0)
        #expect(try store.metricsInput(customerIDs: [DemoScenario.newCustomerID], period: .trailing(days: 120, endingAt: Self.now))
            .allSatisfy { $0.createdAt >= Self.now.addingTimeInterval(-5 * 86_400) })

        let manager = try #require(DemoRoster.staff.first { $0.role == .manager })
        let text = await TextRenderer().render(try PortfolioSummaryAnswer().reply(for: manager, store: store, period: .trailing(days: 30, endingAt: Self.now), now: Self.now))
        #expect(text.contains("Acme Corp"))
        #expect(text.contains("need attention"))
    }

    @Test("Themes on the demo's Acme spike are phrases naming its SSO and SAML login problems")
    func acmeSpikeThemes() throws {
        let acme = try #require(DemoRoster.customers(now: Self.now).first { $0.id == DemoScenario.spikeCustomerID })
        let tickets = Self.generate().filter { $0.customerID == acme.id }
        let spike = try #require(AlertDetectors().detect(CustomerActivity(customer: acme, tickets: tickets), now: Self.now).first { $0.kind == .spike })
        #expect(!spike.themes.isEmpty)
        for theme in spike.themes {
            #expect(theme.split(separator: " ").count >= 2, "\(theme) is one word")
            #expect(!SubjectThemes.genericWords.contains(theme.lowercased()))
        }
        #expect(spike.themes.allSatisfy { $0.contains("SSO") || $0.contains("SAML") || $0.lowercased().contains("login") }, "\(spike.themes)")
        #expect(spike.themes.contains { $0.contains("SSO") } && spike.themes.contains { $0.contains("SAML") }, "\(spike.themes)")
        #expect(spike.themes.contains { $0.lowercased().contains("login") }, "\(spike.themes)")
    }
}

@Suite("Metrics input read from indexes")
struct MetricsInputTests {
    /// What `metricsInput` documents, written as a plain filter over every ticket: created
    /// before the period ends, and created since the previous period began, or unresolved,
    /// or solved, closed, rated or escalated since then.
    static func expected(_ all: [Ticket], customers: Set<String>?, period: Period) -> Set<String> {
        let since = period.previous.start
        return Set(all.filter { ticket in
            guard ticket.createdAt < period.end else { return false }
            if let customers, !customers.contains(ticket.customerID ?? "") { return false }
            let recent: [Date?] = [ticket.solvedAt, ticket.closedAt, ticket.csat?.ratedAt, ticket.escalation?.escalatedAt]
            return ticket.createdAt >= since || ticket.isUnresolved || recent.contains { ($0 ?? .distantPast) >= since }
        }.map { "\($0.source.rawValue)/\($0.externalID)" })
    }

    @Test("The three index-backed parts hold exactly the tickets the one filter over all tickets keeps, for one customer, several, and all, with every field metrics read")
    func sameTicketsAsTheFilter() throws {
        let now = DemoDataTests.now
        let store = try SQLiteStore()
        try store.upsertCSMs(DemoRoster.staff)
        try store.upsertCustomers(DemoRoster.customers(now: now))
        let all = DemoDataTests.generate()
        try store.upsert(all, at: now)
        let stored = try store.tickets(TicketQuery(customerIDs: nil, limit: 1_000_000)).tickets.map(\.ticket)
        #expect(stored.count == all.count)
        let customers = DemoRoster.customers(now: now).map(\.id)
        let periods: [Period] = [.trailing(days: 7, endingAt: now), .trailing(days: 30, endingAt: now), .trailing(days: 90, endingAt: now),
                                 .trailing(days: 30, endingAt: now.addingTimeInterval(-45 * 86_400))]
        for period in periods {
            for ids in [[DemoScenario.spikeCustomerID], [DemoScenario.csatDropCustomerID], Array(customers.prefix(6))] as [[String]] {
                let got = try store.metricsInput(customerIDs: ids, period: period).map { "\($0.source.rawValue)/\($0.externalID)" }
                #expect(got.count == Set(got).count, "a ticket read twice")
                #expect(Set(got) == Self.expected(stored, customers: Set(ids), period: period))
            }
            let everyone = try store.metricsInput(customerIDs: nil, period: period)
            #expect(Set(everyone.map { "\($0.source.rawValue)/\($0.externalID)" }) == Self.expected(stored, customers: nil, period: period))
            #expect(!everyone.isEmpty)
            // Every field but the text nothing counts is the stored ticket's.
            let byKey = Dictionary(uniqueKeysWithValues: stored.map { ("\($0.source.rawValue)/\($0.externalID)", $0) })
            for ticket in everyone {
                var full = try #require(byKey["\(ticket.source.rawValue)/\(ticket.externalID)"])
                full.subject = ""; full.description = ""; full.tags = []; full.requesterEmail = nil; full.assignee = nil; full.matchRule = nil
                #expect(ticket == full)
            }
        }
    }
}
