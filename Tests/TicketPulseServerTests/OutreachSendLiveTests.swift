import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseEmail
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTemplates
import TicketPulseTestSupport
import TicketPulseWorkflows

/// The drafted email's modal sends the email only when the CSM ticks "Send as …": From
/// them, to the customer's contact (asked for and checked when none is on file), queued
/// in the outbox, kept with the customer's drafts, audited allowed or refused; then
/// delivered to a real SMTP server on loopback.
@Suite(
    "Outreach email sent from its modal",
    .serialized,
    .enabled(if: LoopbackSMTPServer.isAvailable, "needs python3 with aiosmtpd (pip install aiosmtpd; .ci/run installs it)")
)
struct OutreachSendLiveTests {
    static let formType = SlackInteractionsLiveTests.formType

    static func submission(user: String = "U0CSM0001", callbackID: String = "answer_draft_email", metadata: String, email: String, to: String? = nil, send: Bool) -> String {
        var values: [String: Any] = ["draft": ["draft_input": ["type": "plain_text_input", "value": email]]]
        if let to { values["to"] = ["to_input": ["type": "plain_text_input", "value": to]] }
        values["send"] = ["send_input": ["type": "checkboxes", "selected_options": send ? [["value": "yes", "text": ["type": "plain_text", "text": "Send"]]] : []]]
        return SlackInteractionsLiveTests.form([
            "type": "view_submission",
            "user": ["id": user, "username": "someone", "team_id": "T0TEAM0001"],
            "api_app_id": "A0APP0001",
            "view": ["id": "V0MODAL003", "type": "modal", "callback_id": callbackID, "private_metadata": metadata, "state": ["values": values]],
        ])
    }

    /// Submits and returns the modal's errors by block (empty: accepted).
    static func submit(_ body: String, harness: ServerHarness, client: some TestClientProtocol) async throws -> [String: String] {
        let response = try await client.execute(uri: "/slack/interactions", method: .post,
                                                headers: harness.signedHeaders(body, contentType: formType), body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        guard response.body.readableBytes > 0 else { return [:] }
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        #expect(json?["response_action"] as? String == "errors")
        return json?["errors"] as? [String: String] ?? [:]
    }

    static func emailRows(_ store: SQLiteStore) throws -> [OutboxRow] {
        try store.dueOutbox(at: .distantFuture, staleAfter: 0).filter { $0.kind == .email }
    }

    static func audits(_ store: SQLiteStore) async throws -> [AuditEntry] {
        try await store.auditLog().filter { $0.action == OutreachSender.auditAction }
    }

    @Test("Unticked it saves; ticked it refuses a missing or bad address and a CSM outside the book, then sends From the CSM, once")
    func sendFromModal() async throws {
        try await LoopbackSMTPServer.with { server in
            let settings = try EmailSettings(file: .init(host: "127.0.0.1", port: "\(server.port)", security: "none", from: "TicketPulse <ticketpulse@example.com>"), environment: [:])
            let client = try DigestEmailTests.client(server)
            try await ServerHarness.run(email: (settings: settings, sender: client as any EmailSending)) { harness, http in
                try harness.store.upsertCSMs([AnswerButtonsLiveTests.sam])
                let asked = try await AnswerButtonsLiveTests.ask("draft an email to Acme about the recent issues", harness: harness, client: http, eventID: "Ev0007")
                let value = try AnswerButtonsLiveTests.value(asked.buttons, .editDraftEmail)
                _ = try await AnswerButtonsLiveTests.click(.editDraftEmail, value: value, messageTS: asked.ts, harness: harness, client: http)
                let view = try #require(harness.fake.calls("views.open").first?.json["view"] as? [String: Any])
                let metadata = try #require(view["private_metadata"] as? String)
                let blocks = view["blocks"] as? [[String: Any]] ?? []
                // Acme has no contact on file: the modal asks for one, and offers the send.
                #expect(blocks.compactMap { $0["block_id"] as? String } == ["draft", "to", "send"])
                let checkbox = try #require(blocks.last?["element"] as? [String: Any])
                #expect(checkbox["type"] as? String == "checkboxes")
                let option = (checkbox["options"] as? [[String: Any]])?.first
                #expect((option?["text"] as? [String: Any])?["text"] as? String == "Send as mike.chen@example.com")
                let email = "Subject: Checking in\n\nHi Wile, an edited draft."

                // Not ticked: saved as a draft, nothing sent.
                #expect(try await Self.submit(Self.submission(metadata: metadata, email: email, to: "wile@acme.io", send: false), harness: harness, client: http).isEmpty)
                #expect(try Self.emailRows(harness.store).isEmpty)
                // Ticked without an address, or with one that is not: asked again, under the field.
                let missing = try await Self.submit(Self.submission(metadata: metadata, email: email, to: "", send: true), harness: harness, client: http)
                #expect(missing["to"]?.contains("no email address for Acme Corp") == true)
                let bad = try await Self.submit(Self.submission(metadata: metadata, email: email, to: "wile at acme", send: true), harness: harness, client: http)
                #expect(bad["to"]?.contains("is not an email address") == true)
                // Sam is not Acme's CSM.
                let sam = try await Self.submit(Self.submission(user: "U0CSM0002", metadata: metadata, email: email, to: "wile@acme.io", send: true), harness: harness, client: http)
                #expect(sam["draft"]?.contains("isn't one of yours") == true)
                #expect(try Self.emailRows(harness.store).isEmpty)
                let refusals = try await Self.audits(harness.store).compactMap { entry -> String? in
                    if case .refused(let reason) = entry.outcome { return "\(entry.actor) \(reason)" } else { return nil }
                }
                #expect(refusals.sorted() == ["mike.chen@example.com bad_address", "mike.chen@example.com no_address", "sam.carter@example.com out_of_scope"])

                // Ticked, with the address: queued From Mike, kept with Acme's drafts, audited.
                #expect(try await Self.submit(Self.submission(metadata: metadata, email: email, to: "wile@acme.io", send: true), harness: harness, client: http).isEmpty)
                let row = try #require(try Self.emailRows(harness.store).first)
                #expect(row.recipient == "email:wile@acme.io")
                #expect(row.emailAuthor == "Mike Chen <mike.chen@example.com>")
                #expect(try harness.store.emailDrafts(customerID: "cus_acme").map(\.subject) == ["Checking in", "Checking in"])
                await #expect(try Self.audits(harness.store).contains { $0.outcome == .allowed && $0.detail == "to wile@acme.io: Checking in" && $0.customerIDs == ["cus_acme"] })

                // The outbox delivers it (alerts are off in this harness: a worker of its own).
                let templates = try #require(PromptTemplates.locate())
                let messenger = SMTPEmailMessenger(sender: client, from: settings.from, renderer: ReplyEmailRenderer(templates: templates), now: { ServerHarness.now })
                let delivery = OutboxDelivery(store: harness.store, messenger: DigestEmailTests.RecordingMessenger(), emailMessenger: messenger,
                                              now: { ServerHarness.now }, logger: DigestEmailTests.logger)
                #expect(try await delivery.deliverDue() >= 1)
                let received = try server.received()
                try #require(received.count == 1)
                let mail = received[0]
                #expect(mail.from == "Mike Chen <mike.chen@example.com>")
                #expect(mail.mail_from == "ticketpulse@example.com", "the envelope is the account's")
                #expect(mail.rcpt_tos == ["wile@acme.io"])
                #expect(mail.subject == "Checking in")
                #expect(mail.message_id == "<\(row.messageID ?? "")>")
                #expect(mail.raw.contains("Reply-To: mike.chen@example.com\r\n") || mail.raw.contains("Reply-To: mike.chen@example.com\n"))
                #expect(mail.raw.contains("Sender: TicketPulse <ticketpulse@example.com>"))
                #expect(mail.parts.map(\.content_type) == ["text/plain"])
                #expect(mail.parts.first?.content.contains("Hi Wile, an edited draft.") == true)
            }
        }
    }

    @Test("Without email set up, a ticked send is refused and audited; the draft can still be saved")
    func noEmailConfigured() async throws {
        try await ServerHarness.run { harness, http in
            let asked = try await AnswerButtonsLiveTests.ask("draft an email to Acme about the recent issues", harness: harness, client: http, eventID: "Ev0008")
            let value = try AnswerButtonsLiveTests.value(asked.buttons, .editDraftEmail)
            _ = try await AnswerButtonsLiveTests.click(.editDraftEmail, value: value, messageTS: asked.ts, harness: harness, client: http)
            let view = try #require(harness.fake.calls("views.open").first?.json["view"] as? [String: Any])
            let metadata = try #require(view["private_metadata"] as? String)
            let errors = try await Self.submit(Self.submission(metadata: metadata, email: "Subject: Hi\n\nBody", to: "wile@acme.io", send: true), harness: harness, client: http)
            #expect(errors["draft"]?.contains("Email is not set up") == true)
            #expect(try Self.emailRows(harness.store).isEmpty)
            await #expect(try Self.audits(harness.store).map(\.outcome) == [.refused(reason: "email_not_configured")])
        }
    }

    @Test("The alert's Draft response modal sends the same way: refused outside the book, then queued, on the alert's timeline")
    func sendFromAlertModal() async throws {
        try await LoopbackSMTPServer.with { server in
            let settings = try EmailSettings(file: .init(host: "127.0.0.1", port: "\(server.port)", security: "none", from: "ticketpulse@example.com"), environment: [:])
            try await ServerHarness.run(email: (settings: settings, sender: try DigestEmailTests.client(server) as any EmailSending)) { harness, http in
                let alert = try await AlertButtonsLiveTests.openAlert(harness)
                _ = try await AlertButtonsLiveTests.post(SlackInteractionsLiveTests.click(actionID: AlertMessages.Button.draftResponse.rawValue, value: String(alert.id)), harness, http)
                let view = try #require(harness.fake.calls("views.open").first?.json["view"] as? [String: Any])
                #expect((view["blocks"] as? [[String: Any]] ?? []).compactMap { $0["block_id"] as? String } == ["draft", "to", "send"])
                let email = "Subject: About today's tickets\n\nHi Wile, we are on it."
                let metadata = "alert:\(alert.id)"
                // Sara is not Acme's CSM: refused, nothing queued.
                let sara = try await Self.submit(Self.submission(user: "U0CSM0002", callbackID: "alert_draft_email", metadata: metadata, email: email, to: "wile@acme.io", send: true),
                                                 harness: harness, client: http)
                #expect(sara["draft"]?.contains("isn't in your accounts") == true)
                #expect(try Self.emailRows(harness.store).isEmpty)
                await #expect(try harness.store.auditLog().contains { $0.action == "alert:send_email" && $0.actor == AlertButtonsLiveTests.sara.email && $0.outcome == .refused(reason: "out_of_scope") })
                // Mike, ticked, with the address: queued, and on the alert's timeline.
                #expect(try await Self.submit(Self.submission(callbackID: "alert_draft_email", metadata: metadata, email: email, to: "wile@acme.io", send: true),
                                              harness: harness, client: http).isEmpty)
                let row = try #require(try Self.emailRows(harness.store).first)
                #expect(row.recipient == "email:wile@acme.io" && row.emailAuthor == "Mike Chen <mike.chen@example.com>")
                #expect(try harness.store.alertActions(alertID: alert.id).contains { $0.action == "send_email" && $0.detail == "to wile@acme.io: About today's tickets" })
                #expect(try harness.store.emailDrafts(alertID: alert.id).map(\.subject) == ["About today's tickets"])
                await #expect(try harness.store.auditLog().contains { $0.action == "alert:send_email" && $0.outcome == .allowed })
            }
        }
    }
}
