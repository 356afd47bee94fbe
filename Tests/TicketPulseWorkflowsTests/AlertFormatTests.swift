import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseWorkflows
import TicketPulseTemplates

/// The alert formats of PRD-087 §5.1 and PRD-102 §5.1: few buttons, the rest in the menu.
@Suite("Alert formats and buttons")
struct AlertFormatTests {
    static func actions(_ reply: Reply) -> [ReplyAction] {
        reply.blocks.compactMap { block -> [ReplyAction]? in if case .actions(let actions) = block { actions } else { nil } }.first ?? []
    }

    static func fields(_ reply: Reply) -> [String: String] {
        var all: [String: String] = [:]
        for case .fields(let fields) in reply.blocks { fields.forEach { all[$0.label] = $0.value } }
        return all
    }

    @Test("The spike alert: ARR, health now and before its workflow's adjustment, the CSM, and PRD-087's four buttons")
    func spikeFormat() async throws {
        let fixture = try WorkflowFixture()
        try fixture.baseline(WorkflowFixture.acme, perDay: 2)
        try fixture.recent(WorkflowFixture.acme, count: 15)
        try await fixture.pipeline().evaluate(customerIDs: ["cus_acme"])
        let spike = try await #require(try fixture.store.liveAlerts().first { $0.alert.kind == .spike })
        let message = try #require(try fixture.store.outbox(alertID: spike.id).first?.message)
        let fields = Self.fields(message)
        #expect(fields["ARR"] == "$60,000")
        // 78 on the roster; PRD-087's workflow takes 15 off for the critical spike.
        #expect(fields["Health score"] == "63 (was 78)")
        #expect(fields["CSM"] == "Mike Chen")
        let actions = Self.actions(message)
        #expect(actions.filter { !$0.inMenu }.map(\.label) == ["View tickets", "Draft response", "Start war room", "View customer"])
        #expect(actions.filter(\.inMenu).map(\.label) == ["Acknowledge", "Snooze 1 h", "Snooze 1 day", "Snooze 1 week"])
        #expect(actions.allSatisfy { $0.value == String(spike.id) && AlertMessages.Button(rawValue: $0.id) != nil })
        // The stored alert keeps the facts, so an acknowledgement's update shows them too.
        #expect(spike.alert.facts.contains(AlertFact("Health score", "63 (was 78)")))
        let body = message.blocks.compactMap { if case .section(let text) = $0 { text } else { nil } }.first ?? ""
        #expect(body.hasPrefix("*Acme Corp*: *15 tickets* in the last 24 hours (7.5× their usual 2.0/day)."))
    }

    @Test("The poor-rating alert: PRD-102's three buttons, the rest in the menu")
    func poorRatingFormat() throws {
        let customer = WorkflowFixture.acme
        let alert = Alert(kind: .csatLow, severity: .high, customer: customer, dedupKey: "csat_low:zendesk:4521",
                          ticket: AlertTicket(source: .zendesk, externalID: "4521", subject: "API returning 500 errors", priority: .p2, category: .technical),
                          title: "Low CSAT: Acme Corp", explanation: "rated 1/5", facts: [AlertFact("Comment", "“Took too long”")], numbers: ["rating": 1],
                          detectedAt: WorkflowFixture.now)
        let message = AlertMessages(templates: PromptTemplates.locate()).message(StoredAlert(id: 7, alert: alert, status: .open, updatedAt: WorkflowFixture.now))
        let actions = Self.actions(message)
        #expect(actions.filter { !$0.inMenu }.map(\.label) == ["Send follow-up email", "View ticket", "Coordinate with support"])
        #expect(actions.filter { !$0.inMenu }.map(\.id) == ["alert_draft_response", "alert_view_ticket", "alert_coordinate"])
        #expect(actions.filter(\.inMenu).map(\.id) == ["alert_ack", "alert_add_note", "alert_snooze_1h", "alert_snooze_1d", "alert_snooze_1w"])
        let body = message.blocks.compactMap { if case .section(let text) = $0 { text } else { nil } }.first ?? ""
        #expect(body.contains("rated ticket *#4521* *1/5* (“API returning 500 errors”)"))
        #expect(body.contains("Customer feedback: “Took too long”"))
    }

    @Test("Every kind, open or acknowledged, with or without a ticket: at most four buttons, a menu of two to five, no id twice")
    func everyKindFits() {
        let ticket = AlertTicket(source: .zendesk, externalID: "1", subject: "Login fails", priority: .p2, category: .technical)
        for kind in AlertKind.allCases {
            for status in [AlertStatus.open, .acknowledged] {
                for withTicket in [true, false] {
                    let alert = Alert(kind: kind, severity: .high, customer: WorkflowFixture.acme, dedupKey: "k", ticket: withTicket ? ticket : nil,
                                      title: "t", explanation: "e", detectedAt: WorkflowFixture.now)
                    let (buttons, menu) = AlertMessages.actions(for: alert, status: status)
                    #expect(buttons.count <= AlertMessages.maxButtons, "\(kind)")
                    #expect(!buttons.isEmpty, "\(kind)")
                    #expect(menu.isEmpty || (2...5).contains(menu.count), "\(kind) \(status) \(withTicket): \(menu)")
                    #expect(Set(buttons + menu).count == buttons.count + menu.count, "\(kind)")
                    #expect(!(status == .acknowledged && (buttons + menu).contains(.acknowledge)))
                    if !withTicket { #expect(!(buttons + menu).contains { [.addNote, .requestEscalation, .coordinate, .viewTicket].contains($0) }) }
                }
            }
        }
        // Every action is still offered somewhere: nothing was lost with the nine buttons.
        let offered = Set(AlertKind.allCases.flatMap { AlertMessages.layout($0).buttons + AlertMessages.layout($0).menu })
        #expect(offered == Set(AlertMessages.Button.allCases))
    }

    @Test("A resolved alert offers no actions")
    func resolvedHasNone() {
        let alert = Alert(kind: .spike, severity: .high, customer: WorkflowFixture.acme, dedupKey: "k", title: "t", explanation: "e", detectedAt: WorkflowFixture.now)
        let message = AlertMessages(templates: nil).message(StoredAlert(id: 1, alert: alert, status: .resolved, updatedAt: WorkflowFixture.now))
        #expect(Self.actions(message).isEmpty)
    }
}
