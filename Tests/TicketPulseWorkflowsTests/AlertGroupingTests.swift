import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import Yams
@testable import TicketPulseWorkflows

@Suite("Grouping by customer, the interruption budget, and a first start that does not flood")
struct AlertGroupingTests {
    static let mike = WorkflowFixture.mike.email
    static let sara = WorkflowFixture.sara.email

    static func text(of reply: Reply) -> String {
        ([reply.header ?? "", reply.fallbackText] + reply.blocks.map { block -> String in
            switch block {
            case .section(let text), .context(let text): text
            default: ""
            }
        }).joined(separator: "\n")
    }

    @Test("A burst of P1s at one customer is one DM, updated in place, with the detail in its thread")
    func burstIsOneMessage() async throws {
        let fixture = try WorkflowFixture()
        let pipeline = fixture.pipeline()
        try fixture.ticket(WorkflowFixture.acme, id: "p1-a", ago: 60)
        try await pipeline.evaluate()
        #expect(try fixture.pings(Self.mike).count == 1)

        for (index, id) in ["p1-b", "p1-c", "p1-d"].enumerated() {
            fixture.clock.advance(120)
            try fixture.ticket(WorkflowFixture.acme, id: id, ago: Double(index))
            try await pipeline.evaluate()
        }
        let posts = try fixture.pings(Self.mike)
        #expect(posts.count == 1, "still one message for Mike")
        let post = try #require(posts.first)
        let children = try fixture.outbox().filter { $0.parentID == post.id }
        #expect(children.filter { $0.kind == .thread }.count >= 3, "each new P1 in the thread")
        let updates = children.filter { $0.kind == .update }
        #expect(updates.count >= 3, "the header and counts updated in place")
        let latest = try #require(updates.last?.message)
        #expect(latest.header?.hasPrefix("🔴 Acme Corp: ") == true || latest.header?.contains("Acme Corp:") == true)
        #expect(latest.header?.contains("new ticket") == true)
        #expect(latest.fallbackText.contains("p1-d"), "the newest item is shown")
    }

    @Test("After repeat_interval an open incident pings again; before it, it only updates")
    func repeatInterval() async throws {
        let fixture = try WorkflowFixture()
        let pipeline = fixture.pipeline()
        try fixture.ticket(WorkflowFixture.acme, id: "first", ago: 60)
        try await pipeline.evaluate()
        fixture.clock.advance(3600)
        try fixture.ticket(WorkflowFixture.acme, id: "second", ago: 60)
        try await pipeline.evaluate()
        #expect(try fixture.pings(Self.mike).count == 1)

        fixture.clock.advance(fixture.rules.grouping.repeatInterval + 1)
        try fixture.ticket(WorkflowFixture.acme, id: "third", ago: 60)
        try await pipeline.evaluate()
        // A new DM, opened by whatever about Acme came first in that pass, with the third P1 in it.
        let posts = try fixture.pings(Self.mike)
        #expect(posts.count == 2, "the third P1 rings again")
        #expect(Self.text(of: try #require(posts.last).message).contains("#third"))
    }

    @Test("Over budget, urgent items update an open message or the board; the overrides always ping")
    func budgetAndOverride() async throws {
        var rules = RoutingRules(escalationsChannel: "C0ESCALATE")
        rules.grouping.pingsPerDay = 1
        let fixture = try WorkflowFixture(rules: rules)
        // A baseline, so three tickets are no (critical) spike, which would ping on its own.
        try fixture.baseline(WorkflowFixture.globex, perDay: 2)
        let pipeline = fixture.pipeline()
        try fixture.ticket(WorkflowFixture.globex, id: "g1", ago: 60, priority: .p2)
        try await pipeline.evaluate()
        #expect(try fixture.pings(Self.sara).count == 1, "the budget's one ping")

        // Past repeat_interval, so the incident would ping again, but the budget is spent: an update.
        fixture.clock.advance(3 * 3600)
        try fixture.ticket(WorkflowFixture.globex, id: "g2", ago: 60, priority: .p2)
        try await pipeline.evaluate()
        #expect(try fixture.pings(Self.sara).count == 1)

        // A security ticket pings whatever the budget.
        fixture.clock.advance(600)
        try fixture.ticket(WorkflowFixture.globex, id: "sec", ago: 60, priority: .p3, category: .security, subject: "Suspicious login from unknown IP")
        try await pipeline.evaluate()
        let security = try await #require(try fixture.store.liveAlerts().first { $0.alert.ticket?.externalID == "sec" })
        #expect(try fixture.pings(Self.sara).contains { $0.key == "live:\(Self.sara):cus_globex:\(security.id)" })
    }

    @Test("Overrides: security and outage tickets, critical spikes, a P1 at an enterprise customer")
    func overrides() {
        let settings = GroupingSettings()
        let enterprise = Customer(id: "e", name: "E", tier: .enterprise)
        func alert(_ kind: AlertKind, _ severity: AlertSeverity = .high, customer: Customer = WorkflowFixture.acme, priority: Priority = .p2, category: TicketCategory = .technical) -> Alert {
            Alert(kind: kind, severity: severity, customer: customer, dedupKey: "k",
                  ticket: AlertTicket(source: .zendesk, externalID: "1", subject: "s", priority: priority, category: category), title: "t", explanation: "e", detectedAt: WorkflowFixture.now)
        }
        #expect(settings.overrides(alert(.newTicket, category: .security)))
        #expect(settings.overrides(alert(.newTicket, category: .outage)))
        #expect(settings.overrides(alert(.spike, .critical)))
        #expect(!settings.overrides(alert(.spike, .high)))
        #expect(settings.overrides(alert(.newTicket, customer: enterprise, priority: .p1)))
        #expect(!settings.overrides(alert(.newTicket, customer: enterprise, priority: .p2)))
        #expect(!settings.overrides(alert(.newTicket, priority: .p1)))
    }

    @Test("The first pass sends each person one summary and alerts only what began in the last hour; a restart sends nothing")
    func firstStart() async throws {
        let fixture = try WorkflowFixture(watching: false)
        // What was wrong before TicketPulse looked: P1s of yesterday and this morning, at both customers.
        for (index, ago) in [30.0, 20, 6, 3].enumerated() {
            try fixture.ticket(WorkflowFixture.acme, id: "old-acme-\(index)", ago: ago * 3600)
            try fixture.ticket(WorkflowFixture.globex, id: "old-globex-\(index)", ago: ago * 3600, priority: .p2)
        }
        // And one P1 twenty minutes ago.
        try fixture.ticket(WorkflowFixture.acme, id: "fresh", ago: 1200)
        let summary = try await fixture.pipeline().evaluate()
        #expect(summary.recorded > 0)

        let mike = try fixture.pings(Self.mike)
        #expect(mike.count == 2, "the summary and the fresh P1: \(mike.map(\.key))")
        let board = try #require(mike.first { $0.key.contains(":*:") })
        #expect(board.message.header?.hasPrefix("Where your accounts stand") == true)
        #expect(board.message.fallbackText.contains("1 customer"))
        #expect(board.message.blocks.contains { if case .actions = $0 { true } else { false } }, "with buttons")
        // What began in the last hour (the fresh P1, an SLA that came at risk) is one live message about Acme.
        let incident = try #require(mike.first { $0.key.hasPrefix("live:\(Self.mike):cus_acme:") })
        #expect(Self.text(of: incident.message).contains("#fresh"))
        #expect(!Self.text(of: incident.message).contains("#old-acme-0"), "nothing older than an hour in it")
        #expect(try fixture.pings(Self.sara).count == 1, "Sara: only her summary")
        #expect(try fixture.pings(Self.sara).first?.message.header?.hasPrefix("Where your accounts stand") == true)
        #expect(try fixture.outbox().filter { $0.recipient.hasPrefix("channel:") }.isEmpty, "old conditions are not announced in channels either")

        // A restart: a new pipeline over the same store.
        let before = try fixture.outbox().count
        fixture.clock.advance(60)
        let again = try await fixture.pipeline().evaluate()
        #expect(again.pings == 0)
        #expect(try fixture.outbox().count == before)
    }

    @Test("A customer whose history arrives later (a new connection's import) gets the same first look")
    func importLater() async throws {
        let fixture = try WorkflowFixture(watching: false)
        try fixture.ticket(WorkflowFixture.acme, id: "acme-now", ago: 600)
        try await fixture.pipeline().evaluate()
        #expect(try fixture.pings(Self.mike).count == 1)
        // Globex's history arrives a day later, most of it old.
        fixture.clock.advance(86_400)
        for index in 0..<5 { try fixture.ticket(WorkflowFixture.globex, id: "imported-\(index)", ago: Double(index + 2) * 3600, priority: .p2) }
        try await fixture.pipeline().evaluate()
        let sara = try fixture.pings(Self.sara)
        #expect(sara.count == 1)
        #expect(sara.first?.message.header?.hasPrefix("Where your accounts stand") == true)
    }

    @Test("replay --json counts pings, updates and digest items per person and day, and urgent items seen within 5 s")
    func replayJSON() async throws {
        let fixture = try WorkflowFixture()
        try fixture.baseline(WorkflowFixture.acme, perDay: 2)
        try fixture.recent(WorkflowFixture.acme, count: 8, priority: .p2)
        let period = Period(start: WorkflowFixture.now.addingTimeInterval(-6 * 3600), end: WorkflowFixture.now.addingTimeInterval(3600))
        let report = try await AlertReplay(store: fixture.store, router: AlertRouter(rules: fixture.rules, messages: fixture.messages)).run(period, step: 3600)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["days"] as? Int == 1)
        let csms = try #require(object["csms"] as? [[String: Any]])
        let mike = try #require(csms.first { $0["email"] as? String == Self.mike })
        let pings = try #require(mike["pings_per_day"] as? Double)
        #expect(pings >= 1 && pings <= 2, "one incident: \(mike)")
        #expect((mike["updates_per_day"] as? Double ?? 0) >= 1)
        #expect(mike["digest_items_per_day"] is Double)
        let urgent = try #require(object["urgent"] as? [String: Int])
        #expect(urgent["total"] == report.urgentTotal)
        #expect(report.urgentTotal >= 9, "eight P2 tickets and the spike")
        #expect(urgent["visible_within_5s"] == urgent["total"])
    }

    @Test("Malformed alerts: keys are errors that name the key")
    func malformedKeys() throws {
        func load(_ yaml: String) throws -> RoutingRules { try RoutingRules(file: YAMLDecoder().decode(RoutingRules.File.self, from: yaml)) }
        func message(_ yaml: String) -> String {
            do { _ = try load(yaml); return "" } catch { return "\(error)" }
        }
        #expect(message("group_wiat: 30").contains("alerts.group_wiat"))
        #expect(message("budget: { pings_a_day: 3 }").contains("alerts.budget.pings_a_day"))
        #expect(message("repeat_interval: -60").contains("alerts.repeat_interval"))
        #expect(message("group_interval: -1").contains("alerts.group_interval"))
        #expect(message("budget: { always_ping: [security, billing] }").contains("alerts.budget.always_ping: unknown category 'billing'"))
        #expect(message("budget: { people: { Ann.Lee@example.com: -1 } }").contains("alerts.budget.people.Ann.Lee@example.com"))
        let rules = try load("group_wait: 0\ngroup_interval: 120\nrepeat_interval: 7200\nbudget: { pings_per_day: 3, always_ping: [security, critical_spike], people: { Ann.Lee@example.com: 2 } }")
        #expect(rules.grouping.personalBudgets == ["ann.lee@example.com": 2])
        #expect(rules.grouping.groupInterval == 120)
        #expect(rules.grouping.repeatInterval == 7200)
        #expect(rules.grouping.pingsPerDay == 3)
        #expect(rules.grouping.alwaysPing == [.security, .criticalSpike])
    }
}
