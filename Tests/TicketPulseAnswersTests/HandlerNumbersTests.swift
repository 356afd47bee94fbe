import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseSQLite
import TicketPulseStorage

/// The numbers of the remaining handlers on the hand-built store of `AnswerFixture`, whose
/// every ticket is known: Acme has 5 (1001–1005, one escalated, CSAT 5 and 3), Globex 2
/// (CSAT 1), Initech 2 (Sam's, outside Mike's scope).
@Suite("Answers: handler numbers")
struct HandlerNumbersTests {
    static func fields(_ reply: Reply) -> [String: String] {
        var fields: [String: String] = [:]
        for case .fields(let list) in reply.blocks { for field in list { fields[field.label] = field.value } }
        return fields
    }

    static func tables(_ reply: Reply) -> [ReplyTable] {
        reply.blocks.compactMap { if case .table(let table) = $0 { table } else { nil } }
    }

    static func charts(_ reply: Reply) -> [BarChart] {
        reply.blocks.compactMap { if case .barChart(let chart) = $0 { chart } else { nil } }
    }

    static func sections(_ reply: Reply) -> [String] {
        reply.blocks.compactMap { if case .section(let text) = $0 { text } else { nil } }
    }

    @Test("support_health: each signal's score and the weighted support and overall scores")
    func supportHealth() async throws {
        let (answer, _) = try await AnswerFixture().ask("what's the support health for Acme?")
        #expect(answer.parsed.intent == .supportHealth)
        // CSAT 4.0 → 80, SLA 6 of 8 clocks met → 50, 1 of 5 escalated → 30, no old backlog → 100;
        // 0.35·80 + 0.25·50 + 0.20·30 + 0.20·100 = 66.5; overall 0.7·78 + 0.3·66.5 = 74.55.
        let rows = try #require(Self.tables(answer.reply).first).rows
        #expect(rows.map { Array($0.prefix(3)) } == [["CSAT", "80", "35%"], ["SLA", "50", "25%"], ["Escalations", "30", "20%"], ["Backlog", "100", "20%"]])
        #expect(rows[1][3] == "75% of SLA clocks met, 2 breached")
        let fields = Self.fields(answer.reply)
        #expect(fields["Support health"] == "66/100 (watch)")
        #expect(fields["Overall health"] == "75/100 (account 78, support counts 30%)")
        #expect(answer.customersShown == ["cus_acme"])
    }

    @Test("escalated_tickets: the open escalation with level and reason; none for Globex")
    func escalatedTickets() async throws {
        let fixture = try AnswerFixture()
        let (answer, _) = try await fixture.ask("are there any escalated tickets?")
        #expect(answer.parsed.intent == .escalatedTickets)
        #expect(Self.sections(answer.reply).first == "*1* escalated ticket for your accounts, *1 still open*.")
        #expect(Self.tables(answer.reply).first?.rows == [["#1001", "Acme Corp", "SSO outage for all users", "L1", "Renewal at risk", "open"]])
        let (none, noneText) = try await fixture.ask("escalations for Globex")
        #expect(none.parsed.slots.customer?.match?.id == "cus_globex")
        #expect(noneText.contains("No escalated tickets for Globex Corporation."))
        // Nothing found still says how fresh the data is.
        #expect(noneText.contains("Data: Zendesk · newest change"))
    }

    @Test("escalated_tickets over a period: escalated within it, whenever the ticket was opened")
    func escalatedInPeriod() async throws {
        let fixture = try AnswerFixture()
        var old = AnswerFixture.ticket("1006", "cus_acme", .open, .p2, createdHoursAgo: 200, respondedHoursAgo: 199, subject: "Export times out")
        old.escalation = Escalation(reason: "Exec complaint", level: 2, escalatedAt: AnswerFixture.hoursAgo(20))
        try fixture.store.upsert([old], at: AnswerFixture.now)
        // Opened Nov 10, escalated Nov 17 19:00: in "this week" and "yesterday"; #1001 (escalated today) only in "this week".
        let (week, _) = try await fixture.ask("escalations this week")
        #expect(Self.tables(week.reply).first?.rows.map { $0[0] } == ["#1001", "#1006"])
        let (yesterday, _) = try await fixture.ask("what got escalated yesterday?")
        #expect(yesterday.parsed.intent == .escalatedTickets)
        #expect(Self.tables(yesterday.reply).first?.rows.map { Array($0.prefix(1) + $0.suffix(3)) } == [["#1006", "L2", "Exec complaint", "open"]])
    }

    @Test("The period reads once in the answer: no \"over over\"")
    func periodWording() async throws {
        let (_, text) = try await AnswerFixture().ask("csat trend for acme over the last 6 months")
        #expect(text.contains("Period: the last 6 months;"))
        #expect(!text.lowercased().contains("over over"))
    }

    @Test("support_metrics over a period that runs past now charts only the weeks that have begun")
    func metricsWeeksSoFar() async throws {
        let (answer, _) = try await AnswerFixture().ask("support metrics for Acme this quarter")
        let weekly = try #require(Self.charts(answer.reply).first { $0.title == "Weekly volume" })
        #expect(weekly.bars.last?.label == "wk of Nov 16")
        #expect(weekly.bars.map(\.value).reduce(0, +) == 5)
    }

    @Test("csat_trend: average, poor ratings and weekly bars")
    func csatTrend() async throws {
        let fixture = try AnswerFixture()
        let (acme, _) = try await fixture.ask("how is CSAT trending for Acme?")
        #expect(acme.parsed.intent == .csatTrend)
        let fields = Self.fields(acme.reply)
        #expect(fields["Average"]?.hasPrefix("4.0/5") == true)
        #expect(fields["Average"]?.hasSuffix("(2 ratings)") == true)
        #expect(fields["Previous period"] == "no ratings")
        #expect(fields["Poor ratings (1–2)"] == "0")
        // Rated on Nov 10 and Nov 14: one bar, the week of Monday Nov 9.
        #expect(Self.charts(acme.reply).first?.bars.map(\.label) == ["wk of Nov 9"])
        #expect(Self.charts(acme.reply).first?.bars.map(\.display) == ["4.0 (2)"])
        let (globex, _) = try await fixture.ask("CSAT trend for Globex")
        #expect(Self.fields(globex.reply)["Poor ratings (1–2)"] == "1")
        #expect(Self.tables(globex.reply).first?.rows == [["#2002", "1", "Too slow"]])
        let (all, _) = try await fixture.ask("how is CSAT trending across my accounts?")
        #expect(Self.fields(all.reply)["Average"]?.hasPrefix("3.0/5") == true)
    }

    @Test("top_issues: counts and shares by category, recurring subject themes")
    func topIssues() async throws {
        let fixture = try AnswerFixture()
        let (answer, _) = try await fixture.ask("what are the top support issues this month?")
        #expect(answer.parsed.intent == .topIssues)
        #expect(Self.sections(answer.reply).first == "*7 tickets* for your accounts, this month.")
        #expect(Self.charts(answer.reply).first?.bars.map(\.display) == ["7 (100%)"])
        #expect(Self.tables(answer.reply).first?.rows == [["login failures", "6"]])
        let (acme, _) = try await fixture.ask("recurring issues at Acme")
        #expect(Self.sections(acme.reply).first?.hasPrefix("*5 tickets* for Acme Corp") == true)
        #expect(Self.tables(acme.reply).first?.rows == [["login failures", "4"]])
    }

    @Test("ticket_spikes: last-day count, daily baseline, multiplier and severity")
    func ticketSpikes() async throws {
        let fixture = try AnswerFixture()
        // Two tickets in a day are no spike however quiet the account (at least 3: PRD-184).
        let (quiet, _) = try await fixture.ask("show customers with ticket spikes")
        #expect(Self.sections(quiet.reply).first?.hasPrefix("No ticket spikes") == true)
        try await fixture.store.upsert(AnswerFixture.ticket("1006", "cus_acme", .new, .p3, createdHoursAgo: 2), at: AnswerFixture.now)
        let (answer, _) = try await fixture.ask("show customers with ticket spikes")
        #expect(answer.parsed.intent == .ticketSpikes)
        let sections = Self.sections(answer.reply)
        // Acme: 1001, 1002 and 1006 in the last 24 h; 1003–1005 in the 30 days before: 0.1/day, 30×.
        #expect(sections.contains("*Acme Corp*: 3 tickets in 24 h vs a baseline of 0.10/day (30.0×) — severity *critical*\nThemes: login failures (2)"))
        #expect(!sections.contains { $0.contains("Initech") })
        #expect(answer.customersShown == ["cus_acme", "cus_globex"])
    }

    @Test("portfolio_summary: a CSM's two accounts, their manager's whole team")
    func portfolioSummary() async throws {
        let fixture = try AnswerFixture()
        let (mike, _) = try await fixture.ask("how are my accounts doing?")
        #expect(mike.parsed.intent == .portfolioSummary)
        let mikeFields = Self.fields(mike.reply)
        #expect(mikeFields["Accounts"] == "2")
        #expect(mikeFields["Open tickets"] == "4 (2 P1/P2)")
        #expect(mikeFields["Tickets in the last 30 days"] == "7")
        #expect(mikeFields["Avg CSAT"]?.hasPrefix("3.0/5") == true)
        #expect(mikeFields["Open escalations"] == "1")
        #expect(mike.reply.header == "Support summary: Mike Chen's accounts")
        #expect(mike.customersShown == ["cus_acme", "cus_globex"])
        #expect(Self.tables(mike.reply).first?.rows.map { $0[0] } == ["Globex Corporation", "Acme Corp"])

        let (maria, _) = try await fixture.ask("team overview", as: AnswerFixture.maria)
        #expect(maria.parsed.intent == .portfolioSummary)
        let mariaFields = Self.fields(maria.reply)
        #expect(mariaFields["Accounts"] == "3")
        #expect(mariaFields["Open tickets"] == "6 (3 P1/P2)")
        #expect(mariaFields["Tickets in the last 30 days"] == "9")
        #expect(maria.reply.header == "Support summary: Maria Lopez's team")
        #expect(Set(maria.customersShown) == ["cus_acme", "cus_globex", "cus_initech"])
        #expect(Self.tables(maria.reply).first?.rows.map { $0[0] }.contains("Initech") == true)
    }

    @Test("request_escalation records the request with its reason, pending write-back")
    func requestEscalation() async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask("escalate ticket 1002, renewal at risk")
        #expect(answer.parsed.intent == .requestEscalation)
        #expect(text.contains("Escalation requested for #1002 (P2, Login fails). Reason: renewal at risk."))
        let stored = try #require(try fixture.store.ticket(source: .zendesk, externalID: "1002"))
        let actions = try fixture.store.actions(ticketID: stored.id)
        #expect(actions.map(\.kind) == [.escalationRequest])
        #expect(actions.map(\.body) == ["renewal at risk"])
        #expect(actions.first?.actor == AnswerFixture.mike.email)
        #expect(actions.first?.writebackStatus == "pending")
    }

    @Test("draft_outreach: to the champion, with the spike, open tickets, escalations and topic")
    func draftOutreach() async throws {
        let fixture = try AnswerFixture()
        try await fixture.store.upsert(AnswerFixture.ticket("1006", "cus_acme", .new, .p3, createdHoursAgo: 2), at: AnswerFixture.now)
        let (acme, acmeText) = try await fixture.ask("draft an email to Acme about the recent issues")
        #expect(acme.parsed.intent == .draftOutreach)
        #expect(acmeText.contains("To: Wile Coyote <wile@acme.io>"))
        #expect(acmeText.contains("Hi Wile,"))
        #expect(acmeText.contains("we saw 3 new tickets from Acme Corp, well above your usual volume, most of them about login failures."))
        #expect(acmeText.contains("regarding the recent issues:"))
        #expect(acmeText.contains("you have 4 open tickets with us, 1 of them escalated."))
        #expect(!acmeText.contains("about ."))
        let (_, globexText) = try await fixture.ask("draft an email to Globex")
        #expect(globexText.contains("(no champion on file for Globex Corporation)"))
        #expect(globexText.contains("Hi there,"))
        // One ticket in a day is no spike: the email does not claim one.
        #expect(!globexText.contains("well above your usual volume"))
        #expect(globexText.contains("average satisfaction 1.0/5"))
        #expect(globexText.contains("you have 1 open ticket with us."))
        #expect(!globexText.contains("0 of them"))
        #expect(!globexText.contains("regarding :"))
    }

    @Test("support_correlation: Pearson r of each signal against account health")
    func supportCorrelation() async throws {
        // Five customers of Mike's whose CSAT rises with their health score one for one.
        let extra = (1...5).map { index in
            Customer(id: "cus_c\(index)", name: "Corr\(index) Labs", csmEmail: AnswerFixture.mike.email, healthScore: Double(40 + 10 * index))
        }
        let fixture = try AnswerFixture(extraCustomers: extra)
        try fixture.store.upsert((1...5).map { index in
            AnswerFixture.ticket("\(9000 + index)", "cus_c\(index)", .solved, .p3, createdHoursAgo: 300, respondedHoursAgo: 299, solvedHoursAgo: 290, csat: index)
        }, at: AnswerFixture.now)
        let (answer, _) = try await fixture.ask("does CSAT predict renewals?", as: AnswerFixture.mike)
        #expect(answer.parsed.intent == .supportCorrelation)
        let rows = try #require(Self.tables(answer.reply).first).rows
        let csat = try #require(rows.first { $0[0] == "CSAT average" })
        // Mike's 7 customers all have a health score and ratings: Acme 4.0, Globex 1.0 and the five.
        #expect(csat[3] == "7")
        #expect(csat[1].hasPrefix("+"))
        let (few, fewText) = try await AnswerFixture().ask("how does support correlate with churn?", as: AnswerFixture.maria)
        #expect(few.parsed.intent == .supportCorrelation)
        #expect(fewText.contains("you have 3."))
    }

    @Test("support_correlation: a perfectly linear book gives r = +1.00")
    func perfectCorrelation() async throws {
        let pairs = [(1.0, 50.0), (2, 60), (3, 70), (4, 80), (5, 90)]
        let fixture = try AnswerFixture()
        let store = fixture.store
        try store.upsertCSMs([CSM(email: "solo@example.com", name: "Solo", role: .csm)])
        try store.upsertCustomers(pairs.enumerated().map { index, pair in
            Customer(id: "cus_p\(index)", name: "Linear\(index) Co", csmEmail: "solo@example.com", healthScore: pair.1)
        })
        try store.upsert(pairs.enumerated().map { index, pair in
            AnswerFixture.ticket("\(8000 + index)", "cus_p\(index)", .solved, .p3, createdHoursAgo: 300, respondedHoursAgo: 299, solvedHoursAgo: 290, csat: Int(pair.0))
        }, at: AnswerFixture.now)
        let engine = AnswerEngine(store: store, parser: try IntentParser.load(customers: try store.customers()))
        let answer = try await engine.answer("does csat correlate with churn?", asker: CSM(email: "solo@example.com", name: "Solo", role: .csm), now: AnswerFixture.now)
        let rows = try #require(Self.tables(answer.reply).first).rows
        #expect(rows.first { $0[0] == "CSAT average" } == ["CSAT average", "+1.00", "strong positive", "5"])
        // Every ticket met the same SLA: no spread, so no r.
        #expect(rows.first { $0[0] == "SLA met %" }?[2] == "not enough data")
    }

    @Test("help lists every family of question with examples")
    func help() async throws {
        let (answer, text) = try await AnswerFixture().ask("what can you do?")
        #expect(answer.parsed.intent == .help)
        #expect(answer.reply.header == "What I can do")
        #expect(Self.fields(answer.reply).keys.sorted() == ["Actions", "Alerts", "CSAT", "Metrics & health", "Settings", "Tickets", "Trouble", "Your book"])
        #expect(text.contains("show support tickets for Acme"))
        #expect(answer.customersShown.isEmpty)
    }

    @Test("list_subscriptions shows each feed with its customer and priorities, per target")
    func listSubscriptions() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.ask("alert me on P1 new tickets")
        _ = try await fixture.ask("subscribe #acme-alerts to escalation alerts for Acme")
        let (mine, _) = try await fixture.ask("what am I subscribed to?")
        #expect(mine.parsed.intent == .listSubscriptions)
        #expect(Self.tables(mine.reply).first?.rows.map { Array($0.prefix(3)) } == [["new ticket alerts", "all customers", "P1"]])
        let (channel, _) = try await fixture.ask("what does #acme-alerts get?")
        #expect(channel.parsed.intent == .listSubscriptions)
        #expect(Self.tables(channel.reply).first?.rows.map { Array($0.prefix(3)) } == [["escalation alerts", "Acme Corp", "any"]])
    }

    @Test("unsubscribe naming no feed asks which of several subscriptions; 'everything' removes them all")
    func unsubscribeAsksWhich() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.ask("alert me on ticket escalations")
        _ = try await fixture.ask("notify me about CSAT drops")
        let mine = SubscriptionTarget.person(email: AnswerFixture.mike.email)
        #expect(try fixture.store.subscriptions(target: mine).count == 2)
        let (vague, text) = try await fixture.ask("stop DMing me about P3s")
        #expect(vague.parsed.intent == .unsubscribe)
        #expect(text.contains("Which should I stop?"))
        #expect(try fixture.store.subscriptions(target: mine).count == 2)
        let (all, _) = try await fixture.ask("unsubscribe me from everything")
        #expect(all.parsed.slots.feed == .all)
        #expect(try fixture.store.subscriptions(target: mine).isEmpty)
    }

    @Test("notification_settings: a snooze until a weekday ends at the start of the next one")
    func snoozeUntilWeekday() async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask("mute alerts for Acme until Monday")
        #expect(answer.parsed.intent == .notificationSettings)
        #expect(try fixture.store.preferences(email: AnswerFixture.mike.email).snoozes["cus_acme"] == ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z"))
        #expect(text.contains("muted until Nov 23 00:00 UTC"))
    }

    @Test("Two customers called Stark: the answer asks which one")
    func ambiguousCustomer() async throws {
        let fixture = try AnswerFixture(extraCustomers: [
            Customer(id: "cus_stark", name: "Stark Industries"), Customer(id: "cus_stark_logistics", name: "Stark Logistics"),
        ])
        let (answer, text) = try await fixture.ask("show open tickets for Stark", as: AnswerFixture.alex)
        #expect(answer.parsed.slots.customer?.candidates.map(\.id) == ["cus_stark", "cus_stark_logistics"])
        #expect(text.contains("Which customer did you mean: Stark Industries or Stark Logistics?"))
        #expect(answer.customersShown.isEmpty)
        // Neither is Mike's: the same refusal as for any account not his.
        let (_, mikeText) = try await fixture.ask("show open tickets for Stark")
        #expect(!mikeText.contains("Industries") && !mikeText.contains("Logistics"))
        #expect(!mikeText.contains("Which customer"))
    }

    @Test("An account outside the asker's scope shows and changes nothing of it, and the attempt is audited, for every customer-taking intent", arguments: [
        ("show support tickets for Initech", IntentName.listTickets),
        ("support metrics for Initech this quarter", .supportMetrics),
        ("what's the support health for Initech?", .supportHealth),
        ("escalations for Initech", .escalatedTickets),
        ("how is CSAT trending for Initech?", .csatTrend),
        ("top issues at Initech", .topIssues),
        ("SLA breaches for Initech", .slaBreaches),
        ("alert me on escalations for Initech", .subscribe),
        ("stop sending me escalation alerts for Initech", .unsubscribe),
        ("mute alerts for Initech until Monday", .notificationSettings),
        ("draft an email to Initech about the outage", .draftOutreach),
    ])
    func outOfScopeCustomer(message: String, intent: IntentName) async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask(message)
        #expect(answer.parsed.intent == intent)
        // What the reply says is CustomerPrivacyTests' subject: the same as for a name the
        // roster does not have. Here: none of Initech's data, and nothing written for it.
        #expect(!text.contains("300"))
        #expect(!answer.customersShown.contains("cus_initech"))
        #expect(answer.pendingConfirmation?.customer != "cus_initech")
        await #expect(try fixture.store.subscriptions().isEmpty)
        #expect(try fixture.store.preferences(email: AnswerFixture.mike.email).snoozes.isEmpty)
        let refused = try await fixture.store.auditLog().filter { $0.outcome == .refused(reason: "out_of_scope") }
        #expect(refused.map(\.customerIDs) == [["cus_initech"]])
    }

    @Test("A ticket outside the asker's scope is not found, and nothing is recorded on it", arguments: [
        ("show ticket 3001", IntentName.ticketDetail), ("add note to 3001: called them", .addNote), ("escalate ticket 3001, renewal at risk", .requestEscalation),
    ])
    func outOfScopeTicket(message: String, intent: IntentName) async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask(message)
        #expect(answer.parsed.intent == intent)
        #expect(text.contains("I couldn't find ticket #3001 in your accounts."))
        #expect(!text.contains("Initech"))
        let stored = try #require(try fixture.store.ticket(source: .zendesk, externalID: "3001"))
        #expect(try fixture.store.actions(ticketID: stored.id).isEmpty)
    }
}
