import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketPulseCore
import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport
import TicketPulseWorkflows

/// Every click and modal submission, on alerts and on answers, allowed or refused, leaves
/// exactly one audit row saying who, what, which customer and how it ended.
@Suite("Action audit, live", .serialized)
struct ActionAuditLiveTests {
    typealias Live = AlertButtonsLiveTests

    /// The audit rows of actions (not questions), oldest first.
    static func actionRows(_ harness: ServerHarness) throws -> [AuditEntry] {
        try harness.store.auditLog(limit: 1000).filter { $0.outcome != nil }.reversed()
    }

    /// A `view_submission` of one of the modals, with `text` in its input.
    static func submission(callbackID: String, block: String, action: String, text: String, metadata: String, user: String) -> String {
        let payload: [String: Any] = [
            "type": "view_submission",
            "user": ["id": user, "username": "someone", "team_id": "T0TEAM0001"],
            "api_app_id": "A0APP0001",
            "trigger_id": "7200000000004.7000000000001.abc",
            "view": [
                "id": "V0MODAL001", "type": "modal", "callback_id": callbackID, "private_metadata": metadata,
                "state": ["values": [block: [action: ["type": "plain_text_input", "value": text]]]],
            ],
        ]
        return SlackInteractionsLiveTests.form(payload)
    }

    /// The three alert modals' submissions, each with `text`.
    static func alertSubmissions(alertID: Int64, text: String, user: String) -> [(action: String, body: String)] {
        let metadata = "alert:\(alertID)"
        return [
            ("alert:note", submission(callbackID: SlackModalForm.addNoteCallbackID, block: SlackModalForm.noteBlockID, action: SlackModalForm.noteActionID,
                                      text: text, metadata: metadata, user: user)),
            ("alert:escalation_request", submission(callbackID: SlackModalForm.requestEscalationCallbackID, block: SlackModalForm.reasonBlockID,
                                                    action: SlackModalForm.reasonActionID, text: text, metadata: metadata, user: user)),
            ("alert:draft_email", submission(callbackID: "alert_draft_email", block: "draft", action: "draft_input",
                                             text: "Subject: Following up\n\n\(text)", metadata: metadata, user: user)),
            ("alert:coordination", submission(callbackID: "alert_coordinate", block: "coordinate", action: "coordinate_input",
                                              text: text, metadata: metadata, user: user)),
        ]
    }

    static func isErrors(_ response: TestResponse) -> Bool {
        let json = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return json?["response_action"] as? String == "errors"
    }

    @Test("Each alert button and each alert modal, refused for someone outside the customer's scope, writes one refused row")
    func refusedAlertAttempts() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Live.openAlert(harness)
            var expected: [String] = []
            for button in AlertMessages.Button.allCases {
                _ = try await Live.post(SlackInteractionsLiveTests.click(actionID: button.rawValue, value: String(alert.id), user: "U0CSM0002"), harness, client)
                expected.append("alert:\(button.auditAction)")
            }
            for (action, body) in Self.alertSubmissions(alertID: alert.id, text: "Let me in", user: "U0CSM0002") {
                let response = try await Live.post(body, harness, client)
                #expect(Self.isErrors(response), "\(action)")
                expected.append(action)
            }
            let rows = try Self.actionRows(harness)
            #expect(rows.map(\.action) == expected)
            for row in rows {
                #expect(row.actor == Live.sara.email)
                #expect(row.outcome == .refused(reason: "out_of_scope"))
                #expect(row.customerIDs == ["cus_acme"])
                #expect(row.detail.hasPrefix("alert \(alert.id) "))
            }
            // Nothing else changed.
            #expect(try harness.store.alertActions(alertID: alert.id).isEmpty)
            #expect(harness.fake.calls("views.open").isEmpty)
            #expect(harness.fake.calls("conversations.create").isEmpty)
        }
    }

    @Test("A clicker not on the roster, and an alert that does not exist, are refused and audited with the reason")
    func unknownClickerAndAlert() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Live.openAlert(harness)
            // Slack knows the stranger, but by an address the roster lacks.
            harness.fake.script("users.info", .user(email: "stranger@example.com"), .user(email: "stranger@example.com"))
            _ = try await Live.post(SlackInteractionsLiveTests.click(actionID: "alert_ack", value: String(alert.id), user: "U0STRANGE1"), harness, client)
            let submitted = try await Live.post(Self.alertSubmissions(alertID: alert.id, text: "hello", user: "U0STRANGE1")[0].body, harness, client)
            #expect(Self.isErrors(submitted))
            _ = try await Live.post(SlackInteractionsLiveTests.click(actionID: "alert_ack", value: "999999"), harness, client)
            let rows = try Self.actionRows(harness)
            #expect(rows.map(\.action) == ["alert:acknowledge", "alert:note", "alert:acknowledge"])
            #expect(rows.map(\.actor) == ["slack:U0STRANGE1", "slack:U0STRANGE1", "mike.chen@example.com"])
            #expect(rows.map(\.outcome) == [.refused(reason: "not_on_roster"), .refused(reason: "not_on_roster"), .refused(reason: "unknown_alert")])
            #expect(try harness.store.alert(id: alert.id)?.status == .open)
            let told = harness.fake.delivered("chat.postEphemeral").compactMap { $0.json["text"] as? String }
            #expect(told.first?.contains("add you to the roster") == true)
        }
    }

    @Test("Each alert button and modal the clicker may use writes one allowed row")
    func allowedAlertAttempts() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Live.openAlert(harness)
            var expected: [String] = []
            for button in AlertMessages.Button.allCases {
                _ = try await Live.post(SlackInteractionsLiveTests.click(actionID: button.rawValue, value: String(alert.id)), harness, client)
                expected.append("alert:\(button.auditAction)")
            }
            for (action, body) in Self.alertSubmissions(alertID: alert.id, text: "Customer is blocked on SSO", user: "U0CSM0001") {
                let response = try await Live.post(body, harness, client)
                #expect(!Self.isErrors(response), "\(action)")
                expected.append(action)
            }
            let rows = try Self.actionRows(harness)
            #expect(rows.map(\.action) == expected)
            #expect(rows.allSatisfy { $0.outcome == .allowed && $0.actor == "mike.chen@example.com" && $0.customerIDs == ["cus_acme"] })
            #expect(rows.first { $0.action == "alert:note" }?.detail.hasSuffix(": Customer is blocked on SSO") == true)
            #expect(try harness.store.alert(id: alert.id)?.status == .acknowledged)
        }
    }

    @Test("An empty alert note is refused in the modal and audited as such")
    func emptyAlertNote() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Live.openAlert(harness)
            let response = try await Live.post(Self.alertSubmissions(alertID: alert.id, text: "   ", user: "U0CSM0001")[0].body, harness, client)
            #expect(Self.isErrors(response))
            #expect(try Self.actionRows(harness).map(\.outcome) == [.refused(reason: "empty_text")])
        }
    }

    @Test("The answers' Add note / Request escalation: refused clicks and submissions write one refused row each, allowed ones one allowed row")
    func answerButtonsAndModals() async throws {
        try await ServerHarness.run { harness, client in
            try harness.store.upsertCSMs([Live.sara])
            func note(_ text: String, user: String, ticket: String = "zendesk:4521") -> String {
                SlackInteractionsLiveTests.noteSubmission(note: text, user: user, metadata: "\(ticket)|C0ESC0001|1763478000.000900")
            }
            let escalation = Self.submission(callbackID: SlackModalForm.requestEscalationCallbackID, block: SlackModalForm.reasonBlockID,
                                             action: SlackModalForm.reasonActionID, text: "Renewal at risk", metadata: "zendesk:4521|C0ESC0001|1763478000.000900",
                                             user: "U0CSM0002")
            // Refused: an outsider's clicks (no modal opens) and submissions, a ticket that does not exist, an empty note.
            _ = try await Live.post(SlackInteractionsLiveTests.click(actionID: "add_note", value: "zendesk:4521", user: "U0CSM0002"), harness, client)
            _ = try await Live.post(SlackInteractionsLiveTests.click(actionID: "request_escalation", value: "zendesk:4521", user: "U0CSM0002"), harness, client)
            #expect(harness.fake.calls("views.open").isEmpty)
            for body in [note("Not my account", user: "U0CSM0002"), escalation, note("No such ticket", user: "U0CSM0001", ticket: "zendesk:0000"), note("  ", user: "U0CSM0001")] {
                #expect(Self.isErrors(try await Live.post(body, harness, client)))
            }
            // Allowed: Mike's click and note on his own ticket.
            _ = try await Live.post(SlackInteractionsLiveTests.click(actionID: "add_note", value: "zendesk:4521"), harness, client)
            #expect(harness.fake.delivered("views.open").count == 1)
            #expect(!Self.isErrors(try await Live.post(note("Customer called back", user: "U0CSM0001"), harness, client)))

            let rows = try Self.actionRows(harness)
            try #require(rows.count == 8, "one row per attempt")
            #expect(rows.map(\.action) == ["action:open_add_note", "action:open_request_escalation", "action:add_note", "action:request_escalation",
                                           "action:add_note", "action:add_note", "action:open_add_note", "action:add_note"])
            #expect(rows.map(\.outcome) == [.refused(reason: "out_of_scope"), .refused(reason: "out_of_scope"), .refused(reason: "out_of_scope"),
                                            .refused(reason: "out_of_scope"), .refused(reason: "unknown_ticket"), .refused(reason: "empty_text"),
                                            .allowed, .allowed])
            #expect(rows.map(\.actor) == [Live.sara.email, Live.sara.email, Live.sara.email, Live.sara.email,
                                          "mike.chen@example.com", "mike.chen@example.com", "mike.chen@example.com", "mike.chen@example.com"])
            #expect(rows[0].customerIDs == ["cus_acme"])
            #expect(rows[4].customerIDs.isEmpty)
            let stored = try #require(try harness.store.ticket(source: .zendesk, externalID: "4521"))
            #expect(try harness.store.actions(ticketID: stored.id).map(\.body) == ["Customer called back"])
        }
    }
}
