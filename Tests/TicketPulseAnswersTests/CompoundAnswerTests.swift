import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseSQLite
import TicketPulseStorage

/// Compound questions answered on `AnswerFixture`'s store: an unknown customer, filters on
/// customer attributes within the asker's scope, several customers, and comparisons whose
/// numbers are the other handlers' own.
@Suite("Answers: compound questions")
struct CompoundAnswerTests {
    static let hooli = Customer(id: "cus_hooli", name: "Hooli", tier: .enterprise, arr: 900_000, csmEmail: AnswerFixture.mike.email,
                                renewalDate: ISO8601DateFormatter().date(from: "2026-12-15T00:00:00Z")!, healthScore: 82)

    static func fixture() throws -> AnswerFixture {
        let fixture = try AnswerFixture(extraCustomers: [hooli])
        try fixture.store.upsert([
            AnswerFixture.ticket("4001", "cus_hooli", .open, .p2, createdHoursAgo: 20, respondedHoursAgo: 19, escalated: true, subject: "Data export stuck"),
            AnswerFixture.ticket("4002", "cus_hooli", .solved, .p3, createdHoursAgo: 60, respondedHoursAgo: 58, solvedHoursAgo: 40, csat: 4),
        ], at: AnswerFixture.now)
        return fixture
    }

    static func ticketIDs(_ reply: Reply) -> Set<String> {
        Set(HandlerNumbersTests.tables(reply).flatMap { $0.rows.compactMap { $0.first?.hasPrefix("#") == true ? String($0[0].dropFirst()) : nil } })
    }

    @Test("An unknown customer name is answered as unknown, not with the whole portfolio")
    func unknownCustomer() async throws {
        for question in ["show support tickets for Zyxwv Holdings", "support metrics for Zyxwv Holdings"] {
            let (answer, text) = try await Self.fixture().ask(question)
            #expect(text.contains("I don't know a customer called Zyxwv Holdings"), "\(text)")
            #expect(answer.customersShown.isEmpty)
        }
    }

    @Test("A tier filter keeps the asker's accounts of that tier")
    func tierFilter() async throws {
        let (answer, _) = try await Self.fixture().ask("open tickets at my enterprise customers", as: AnswerFixture.maria)
        #expect(answer.parsed.slots.tier == .enterprise)
        let ids = Self.ticketIDs(answer.reply)
        #expect(ids.isSuperset(of: ["1001", "2001", "4001"]))
        #expect(ids.isDisjoint(with: ["3001", "3002"]))
    }

    @Test("An ARR filter and a CSM filter")
    func arrAndCSMFilters() async throws {
        let fixture = try Self.fixture()
        let (rich, _) = try await fixture.ask("open tickets for accounts over $400k", as: AnswerFixture.maria)
        #expect(rich.parsed.slots.arr == NumberComparison(.greater, 400_000))
        #expect(Set(rich.customersShown) == ["cus_acme", "cus_hooli"])
        let (sams, _) = try await fixture.ask("open tickets in Sam's accounts", as: AnswerFixture.maria)
        #expect(sams.parsed.slots.csm == AnswerFixture.sam.email)
        #expect(Self.ticketIDs(sams.reply) == ["3001", "3002"])
        // Filters never widen the scope: Mike asking about Sam's accounts sees none of them.
        let (outside, text) = try await fixture.ask("open tickets in Sam's accounts", as: AnswerFixture.mike)
        #expect(outside.customersShown.isEmpty)
        #expect(text.contains("None of your accounts match"))
    }

    @Test("Enterprise customers renewing this quarter with open escalations")
    func renewingWithEscalations() async throws {
        let (answer, _) = try await Self.fixture().ask("which of my enterprise customers renewing this quarter have open escalations?")
        #expect(answer.parsed.intent == .escalatedTickets)
        // Acme's escalation (1001) is open too, but Acme does not renew this quarter.
        #expect(Self.ticketIDs(answer.reply) == ["4001"])
    }

    @Test("Tickets for several customers")
    func severalCustomers() async throws {
        let (answer, _) = try await Self.fixture().ask("open tickets for Acme and Hooli")
        #expect(answer.parsed.slots.customers?.map(\.id) == ["cus_acme", "cus_hooli"])
        let ids = Self.ticketIDs(answer.reply)
        #expect(ids.contains("1001") && ids.contains("4001"))
        #expect(!ids.contains("2001"))
        // A customer outside the scope is read as a name the roster does not have: nothing of it is shown.
        let (outside, text) = try await Self.fixture().ask("open tickets for Acme and Initech")
        #expect(!outside.customersShown.contains("cus_initech"))
        #expect(!text.contains("3001") && !text.contains("3002"))
    }

    @Test("compare_customers: one row per customer, with support_metrics' and support_health's numbers")
    func compareMatchesHandlers() async throws {
        let fixture = try Self.fixture()
        let (answer, _) = try await fixture.ask("compare Acme and Globex")
        #expect(answer.parsed.intent == .compareCustomers)
        let table = try #require(HandlerNumbersTests.tables(answer.reply).first)
        #expect(table.columns.first == "Customer")
        #expect(table.rows.map(\.[0]) == ["Acme Corp", "Globex Corporation"])
        for (row, name) in zip(table.rows, ["Acme", "Globex"]) {
            let (metrics, _) = try await fixture.ask("support metrics for \(name)")
            let fields = HandlerNumbersTests.fields(metrics.reply)
            #expect(fields["Tickets"]?.hasPrefix(row[1] + " (") == true, "\(row) vs \(fields)")
            #expect(fields["Open now"] == row[2])
            #expect(fields["CSAT"]?.hasPrefix(row[5]) == true, "\(row[5]) vs \(fields["CSAT"] ?? "")")
            let (health, _) = try await fixture.ask("what's the support health for \(name)?")
            let healthFields = HandlerNumbersTests.fields(health.reply)
            #expect(healthFields.values.contains { $0.hasPrefix(row[7]) }, "\(row[7]) vs \(healthFields)")
        }
        #expect(Set(answer.customersShown) == ["cus_acme", "cus_globex"])
    }

    @Test("compare_customers reads a customer outside the scope as unknown, and asks for a second name")
    func compareScopeAndSingle() async throws {
        let fixture = try Self.fixture()
        let (outside, text) = try await fixture.ask("compare Acme and Initech")
        #expect(outside.customersShown.isEmpty)
        #expect(text.contains("second customer"), "\(text)")
        let (single, singleText) = try await fixture.ask("compare Acme")
        #expect(single.customersShown.isEmpty)
        #expect(singleText.contains("second customer"), "\(singleText)")
    }

    @Test("A custom tier imported from the CRM is understood in a question, and its SLA targets decide the answer")
    func customTierUsed() async throws {
        let fixture = try AnswerFixture()
        let csv = "id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\n"
            + "cus_zenith,Zenith Labs,,,Strategic,700000,\(AnswerFixture.mike.email),,80\n"
        _ = try fixture.store.importCustomers(csv: csv, fileName: "roster.csv")
        // A P2 first answered after 2 hours: late against the strategic tier's 1 hour, in time against the standard 4.
        try fixture.store.upsert([AnswerFixture.ticket("5001", "cus_zenith", .open, .p2, createdHoursAgo: 3, respondedHoursAgo: 1)], at: AnswerFixture.now)
        let strategic = try #require(CustomerTier(rawValue: "Strategic"))
        var policy = SLAPolicy.standard
        policy.tierOverrides[strategic] = [.p2: SLATargets(firstResponseHours: 1, resolutionHours: 8)]
        let parser = try IntentParser.load(customers: try fixture.store.customers())
        let engine = AnswerEngine(store: fixture.store, parser: parser, settings: AnswerSettings(policy: policy))
        let answer = try await engine.answer("open tickets at my strategic accounts", asker: AnswerFixture.mike, now: AnswerFixture.now)
        #expect(answer.parsed.slots.tier == strategic)
        #expect(answer.customersShown == ["cus_zenith"])
        let rows = HandlerNumbersTests.tables(answer.reply).flatMap(\.rows)
        let row = try #require(rows.first { $0.first == "#5001" })
        #expect(row.contains { $0.contains("breached") }, "\(row)")
        #expect(!rows.contains { $0.first == "#1002" })
        // Under the standard targets the same ticket is in time: the tier's own targets decided it.
        let standard = try await AnswerEngine(store: fixture.store, parser: parser).answer("open tickets at my strategic accounts", asker: AnswerFixture.mike, now: AnswerFixture.now)
        let standardRow = HandlerNumbersTests.tables(standard.reply).flatMap(\.rows).first { $0.first == "#5001" }
        #expect(standardRow?.contains { $0.contains("breached") } == false)
    }
}
