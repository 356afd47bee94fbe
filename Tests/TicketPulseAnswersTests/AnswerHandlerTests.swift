import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseSQLite
import TicketPulseStorage

@Suite("Answers")
struct AnswerHandlerTests {
    @Test("list_tickets: a customer's open tickets, newest first, with priority, status, age and SLA")
    func listTickets() async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask("show support tickets for Acme")
        #expect(answer.parsed.intent == .listTickets)
        #expect(text.contains("3 open tickets for Acme Corp"))
        guard case .table(let table)? = answer.reply.blocks.first(where: { if case .table = $0 { true } else { false } }) else {
            Issue.record("no table"); return
        }
        #expect(table.rows.map { $0[0] } == ["#1002", "#1001", "#1003"])
        #expect(table.rows[1][2] == "P1")
        #expect(table.rows[1][5].contains("breached"))
        #expect(table.rows[1][4] == "6h")
        #expect(answer.customersShown == ["cus_acme"])
    }

    @Test("A CSM asking about another CSM's account gets a refusal that reveals nothing")
    func scopeRefusal() async throws {
        let fixture = try AnswerFixture()
        let (refused, text) = try await fixture.ask("show support tickets for Initech")
        let (unknown, unknownText) = try await fixture.ask("show support tickets for Zorblax Industries")
        #expect(!text.contains("3001"))
        // Said exactly as for a name the roster does not have (see CustomerPrivacyTests).
        #expect(text.contains("I don't know a customer called Initech"))
        #expect(refused.customersShown.isEmpty)
        // A name no customer has is said to be unknown (issue 14) rather than answered with
        // the whole portfolio; an account outside the scope still shows nothing of itself.
        #expect(unknownText.contains("I don't know a customer called Zorblax Industries"))
        #expect(unknown.customersShown.isEmpty)
        let (_, managerText) = try await fixture.ask("show support tickets for Initech", as: AnswerFixture.maria)
        #expect(managerText.contains("#3001"))
    }

    @Test("Every question is written to the audit log with the customers shown")
    func auditLog() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.ask("show support tickets for Acme")
        _ = try await fixture.ask("show support tickets for Initech")
        let log = try await fixture.store.auditLog()
        #expect(log.count == 3)
        #expect(log[2].actor == AnswerFixture.mike.email)
        #expect(log[2].action == "ask:list_tickets")
        #expect(log[2].customerIDs == ["cus_acme"])
        // The account outside the scope: the attempt, refused, with the customer it named;
        // then the answer, which showed nothing.
        #expect(log[1].action == "ask:customer")
        #expect(log[1].customerIDs == ["cus_initech"])
        #expect(log[1].outcome == .refused(reason: "out_of_scope"))
        #expect(log[0].customerIDs.isEmpty)
    }

    @Test("ticket_detail shows the ticket with its timeline and action buttons")
    func ticketDetail() async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask("what's going on with #1001?")
        #expect(answer.reply.header == "Ticket #1001")
        #expect(text.contains("SSO outage for all users"))
        #expect(text.contains("escalated"))
        #expect(text.contains("[Add note]"))
        let (_, hidden) = try await fixture.ask("show ticket 3001")
        #expect(hidden.contains("couldn't find ticket #3001"))
    }

    @Test("low_csat_customers: under the threshold, worst first")
    func lowCSAT() async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask("which customers have low CSAT scores?", as: AnswerFixture.maria)
        #expect(answer.parsed.intent == .lowCSATCustomers)
        #expect(text.contains("Globex Corporation"))
        #expect(!text.contains("Acme Corp  4.0"))
        #expect(text.contains("1 customer below 3.5"))
    }

    @Test("sla_breaches lists the breached P1 and the compliance numbers")
    func slaBreaches() async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask("which tickets are breaching SLA?")
        #expect(answer.parsed.intent == .slaBreaches)
        #expect(text.contains("#1001"))
        #expect(text.contains("breached"))
        #expect(!text.contains("#3001"))
    }

    @Test("support_metrics for a customer carries volume, SLA, CSAT and escalations")
    func supportMetrics() async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask("show me support metrics for Acme Corp")
        #expect(answer.parsed.intent == .supportMetrics)
        #expect(text.contains("5 (P1 1 · P2 1 · P3 2 · P4 1)"))
        #expect(text.contains("4.0/5"))
        #expect(text.contains("1 (1 open"))
    }

    @Test("add_note records the note with its history event, pending write-back")
    func addNote() async throws {
        let fixture = try AnswerFixture()
        let (_, text) = try await fixture.ask("add note to 1002: Customer called back, workaround shared")
        #expect(text.contains("Note added to #1002"))
        let stored = try #require(try fixture.store.ticket(source: .zendesk, externalID: "1002"))
        let actions = try fixture.store.actions(ticketID: stored.id)
        #expect(actions.map(\.body) == ["Customer called back, workaround shared"])
        #expect(actions.first?.writebackStatus == "pending")
        #expect(try fixture.store.events(ticketID: stored.id).last?.kind == .noteAdded)
    }

    @Test("subscribe, list and unsubscribe round-trip")
    func subscriptions() async throws {
        let fixture = try AnswerFixture()
        let (_, subscribed) = try await fixture.ask("alert me on ticket escalations")
        #expect(subscribed.contains("Done"))
        #expect(try fixture.store.subscriptions(target: .person(email: AnswerFixture.mike.email)).map(\.feed) == [.escalations])
        let (_, listed) = try await fixture.ask("what am I subscribed to?")
        #expect(listed.contains("escalation alerts"))
        _ = try await fixture.ask("unsubscribe me from escalation alerts")
        #expect(try fixture.store.subscriptions(target: .person(email: AnswerFixture.mike.email)).isEmpty)
    }

    @Test("notification_settings saves DM priorities and a digest time")
    func notificationSettings() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.ask("only DM me for P1 and P2")
        _ = try await fixture.ask("send me a daily digest at 9am")
        let preferences = try fixture.store.preferences(email: AnswerFixture.mike.email)
        #expect(preferences.dmPriorities == [.p1, .p2])
        #expect(preferences.digestHour == 9)
    }

    @Test("Out-of-scope questions get a short pointer, never a guess")
    func outOfScope() async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask("what's the weather in Paris?")
        #expect(answer.parsed.intent == .outOfScope)
        #expect(text.contains("help"))
        let (help, _) = try await fixture.ask("help")
        #expect(help.parsed.intent == .help)
    }
}
