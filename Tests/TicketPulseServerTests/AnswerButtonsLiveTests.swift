import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// The answers' own buttons through the real server and the fake Slack: "Did you mean…?",
/// [Confirm] / [Cancel] of writes asked for in a message, and the drafted email's modal.
@Suite("Answer buttons, live", .serialized)
struct AnswerButtonsLiveTests {
    static let sam = CSM(email: "sam.carter@example.com", name: "Sam Carter", slackUserID: "U0CSM0002", role: .csm)
    static let formType = SlackInteractionsLiveTests.formType

    /// Asks `text` as Mike in a channel and returns the bot's post (its ts and blocks).
    static func ask(_ text: String, harness: ServerHarness, client: some TestClientProtocol, eventID: String, posts: Int = 1) async throws -> (ts: String, buttons: [[String: Any]], text: String) {
        let body = ServerHarness.appMention(eventID: eventID, ts: "1763478000.00\(eventID.suffix(4))", text: "<@U0BOT0001> \(text)")
        let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        await harness.fake.waitForDelivered("chat.postMessage", count: posts)
        let post = try #require(harness.fake.delivered("chat.postMessage").last)
        let ts = try #require(harness.fake.messages.last?.ts)
        let blocks = post.json["blocks"] as? [[String: Any]] ?? []
        return (ts, blocks.flatMap { $0["elements"] as? [[String: Any]] ?? [] }, Self.text(post.json))
    }

    static func text(_ json: [String: Any]) -> String {
        let blocks = json["blocks"] as? [[String: Any]] ?? []
        return blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }.joined(separator: "\n")
    }

    static func value(_ buttons: [[String: Any]], _ button: AnswerButton) throws -> String {
        try #require(buttons.first { BlockKitRenderer.routeID(ofActionID: $0["action_id"] as? String ?? "") == button.rawValue }?["value"] as? String)
    }

    @discardableResult
    static func click(_ button: AnswerButton, value: String, user: String = "U0CSM0001", messageTS: String,
                      harness: ServerHarness, client: some TestClientProtocol) async throws -> Response {
        let body = SlackInteractionsLiveTests.click(actionID: button.rawValue, value: value, user: user, messageTS: messageTS)
        let response = try await client.execute(uri: "/slack/interactions", method: .post,
                                                headers: harness.signedHeaders(body, contentType: formType), body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        return Response(status: response.status)
    }

    static func notes(_ store: SQLiteStore) throws -> [TicketAction] {
        let stored = try #require(try store.ticket(source: .zendesk, externalID: "4521"))
        return try store.actions(ticketID: stored.id)
    }

    @Test("A note asked for in a message waits for [Confirm]: someone else's click is refused, the asker's writes once, a second click writes nothing")
    func confirmRoundTrip() async throws {
        try await ServerHarness.run { harness, client in
            try harness.store.upsertCSMs([Self.sam])
            let asked = try await Self.ask("add note to 4521: customer called back, workaround shared", harness: harness, client: client, eventID: "Ev0001")
            #expect(asked.text.contains("Please confirm"))
            #expect(try Self.notes(harness.store).isEmpty)
            let value = try Self.value(asked.buttons, .confirm)
            _ = try Self.value(asked.buttons, .cancel)

            try await Self.click(.confirm, value: value, user: "U0CSM0002", messageTS: asked.ts, harness: harness, client: client)
            await harness.fake.waitForDelivered("chat.postEphemeral", count: 1)
            #expect(harness.fake.delivered("chat.postEphemeral").first?.json["user"] as? String == "U0CSM0002")
            #expect(try Self.notes(harness.store).isEmpty)

            try await Self.click(.confirm, value: value, messageTS: asked.ts, harness: harness, client: client)
            await harness.fake.waitForDelivered("chat.update", count: 1)
            let update = try #require(harness.fake.delivered("chat.update").first)
            #expect(update.json["ts"] as? String == asked.ts)
            #expect(Self.text(update.json).contains("Note added to #4521"))
            #expect(try Self.notes(harness.store).map(\.body) == ["customer called back, workaround shared"])

            try await Self.click(.confirm, value: value, messageTS: asked.ts, harness: harness, client: client)
            await harness.fake.waitForDelivered("chat.postEphemeral", count: 2)
            #expect(try Self.notes(harness.store).count == 1)

            let audit = try await harness.store.auditLog().filter { $0.action == "confirm:add_note" }
            #expect(audit.filter { $0.detail == "allowed" }.map(\.actor) == [ServerHarness.mike.email])
            #expect(audit.filter { $0.detail.hasPrefix("refused") }.map(\.actor).sorted() == [ServerHarness.mike.email, Self.sam.email])
        }
    }

    @Test("[Cancel] replaces the confirmation with \"nothing was written\" and writes nothing")
    func cancel() async throws {
        try await ServerHarness.run { harness, client in
            let asked = try await Self.ask("escalate ticket 4521, renewal at risk", harness: harness, client: client, eventID: "Ev0002")
            try await Self.click(.cancel, value: try Self.value(asked.buttons, .cancel), messageTS: asked.ts, harness: harness, client: client)
            await harness.fake.waitForDelivered("chat.update", count: 1)
            #expect(Self.text(try #require(harness.fake.delivered("chat.update").first).json).contains("Cancelled: nothing was written."))
            #expect(try Self.notes(harness.store).isEmpty)
        }
    }

    @Test("A write asked with /pulse is confirmed on its ephemeral answer, which is replaced through the response_url")
    func confirmOnEphemeralAnswer() async throws {
        try await ServerHarness.run { harness, client in
            let responseURL = harness.slackURL.deletingLastPathComponent().appendingPathComponent("response/T0TEAM0001-7").absoluteString
            let escaped = responseURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let text = "add note to 4521: asked with pulse".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let form = "token=x&team_id=T0TEAM0001&channel_id=C0ESC0001&user_id=U0CSM0001&command=%2Fpulse&text=\(text)&response_url=\(escaped)&trigger_id=1.2.3"
            _ = try await client.execute(uri: "/slack/commands", method: .post, headers: harness.signedHeaders(form, contentType: Self.formType), body: ByteBuffer(string: form))
            await harness.fake.waitForDelivered("response_url", count: 1)
            let asked = try #require(harness.fake.delivered("response_url").first)
            let buttons = (asked.json["blocks"] as? [[String: Any]] ?? []).flatMap { $0["elements"] as? [[String: Any]] ?? [] }
            #expect(try Self.notes(harness.store).isEmpty)

            let payload: [String: Any] = [
                "type": "block_actions",
                "user": ["id": "U0CSM0001", "username": "mike", "team_id": "T0TEAM0001"],
                "container": ["type": "message", "message_ts": "1763478000.000777", "channel_id": "C0ESC0001", "is_ephemeral": true],
                "trigger_id": "7200000000002.7000000000001.0a1b2c3d4e5f",
                "channel": ["id": "C0ESC0001", "name": "cs-escalations"],
                "response_url": responseURL,
                "actions": [["action_id": AnswerButton.confirm.rawValue, "block_id": "b1", "value": try Self.value(buttons, .confirm), "type": "button", "action_ts": "1763478001.000001"]],
            ]
            let click = SlackInteractionsLiveTests.form(payload)
            _ = try await client.execute(uri: "/slack/interactions", method: .post, headers: harness.signedHeaders(click, contentType: Self.formType), body: ByteBuffer(string: click))
            await harness.fake.waitForDelivered("response_url", count: 2)
            let replaced = try #require(harness.fake.delivered("response_url").last)
            #expect(replaced.json["replace_original"] as? Bool == true)
            #expect(String(decoding: replaced.body, as: UTF8.self).contains("Note added to #4521"))
            #expect(harness.fake.delivered("chat.update").isEmpty)
            #expect(try Self.notes(harness.store).map(\.body) == ["asked with pulse"])
        }
    }

    @Test("\"Did you mean…?\": a reading's button replaces the question with that reading's answer")
    func clarificationRoundTrip() async throws {
        try await ServerHarness.run { harness, client in
            let asked = try await Self.ask("acme status", harness: harness, client: client, eventID: "Ev0003")
            #expect(asked.text.contains("Did you mean"))
            let value = try Self.value(asked.buttons, .reading)
            let reading = try #require(AnswerRequest(encoded: value))
            #expect(reading.customer == "cus_acme")
            try await Self.click(.reading, value: value, messageTS: asked.ts, harness: harness, client: client)
            await harness.fake.waitForDelivered("chat.update", count: 1)
            let update = try #require(harness.fake.delivered("chat.update").first)
            #expect(update.json["ts"] as? String == asked.ts)
            let answered = Self.text(update.json) + ((update.json["blocks"] as? [[String: Any]])?.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }.joined() ?? "")
            #expect(!answered.contains("Did you mean"))
            #expect(answered.contains("Acme Corp"))
        }
    }

    @Test("A tampered button value gets a helpful ephemeral reply, and nothing changes")
    func tamperedValue() async throws {
        try await ServerHarness.run { harness, client in
            for (index, button) in [AnswerButton.confirm, .reading, .checkCSAT].enumerated() {
                try await Self.click(button, value: "{\"i\":\"add_note\",\"t\":\"4521\",\"x\":\"forged\"", messageTS: "1763478000.000900", harness: harness, client: client)
                await harness.fake.waitForDelivered("chat.postEphemeral", count: index + 1)
            }
            #expect(harness.fake.delivered("chat.postEphemeral").allSatisfy { ($0.json["text"] as? String)?.contains("couldn't read that button") == true })
            #expect(harness.fake.delivered("chat.update").isEmpty)
            #expect(try Self.notes(harness.store).isEmpty)
        }
    }

    @Test("\"Edit in a modal\" on a drafted email opens the draft in a modal within the request; the submission is saved and audited")
    func editDraftModal() async throws {
        try await ServerHarness.run { harness, client in
            try harness.store.upsertCSMs([Self.sam])
            let asked = try await Self.ask("draft an email to Acme about the recent issues", harness: harness, client: client, eventID: "Ev0004")
            let value = try Self.value(asked.buttons, .editDraftEmail)
            try await Self.click(.editDraftEmail, value: value, messageTS: asked.ts, harness: harness, client: client)
            // views.open ran inside the request, before the 3-second trigger window closed.
            let open = try #require(harness.fake.calls("views.open").first)
            #expect(open.json["trigger_id"] as? String == "7200000000002.7000000000001.0a1b2c3d4e5f")
            let view = try #require(open.json["view"] as? [String: Any])
            #expect(view["callback_id"] as? String == "answer_draft_email")
            let metadata = try #require(view["private_metadata"] as? String)
            let input = (view["blocks"] as? [[String: Any]] ?? []).compactMap { $0["element"] as? [String: Any] }.first
            let draft = try #require(input?["initial_value"] as? String)
            #expect(draft.hasPrefix("Subject: "))
            #expect(draft.contains("2 open tickets"))
            #expect(draft.contains("Mike Chen"))

            // Sam may not save a draft for Mike's customer; Mike may.
            for (user, edited) in [("U0CSM0002", "Subject: Not mine\n\nShould not be saved."), ("U0CSM0001", "Subject: Checking in\n\nHi Wile, an edited draft.")] {
                let submission = SlackInteractionsLiveTests.form([
                    "type": "view_submission",
                    "user": ["id": user, "username": "someone", "team_id": "T0TEAM0001"],
                    "api_app_id": "A0APP0001",
                    "view": [
                        "id": "V0MODAL002", "type": "modal", "callback_id": "answer_draft_email", "private_metadata": metadata,
                        "state": ["values": ["draft": ["draft_input": ["type": "plain_text_input", "value": edited]]]],
                    ],
                ])
                let response = try await client.execute(uri: "/slack/interactions", method: .post,
                                                        headers: harness.signedHeaders(submission, contentType: Self.formType), body: ByteBuffer(string: submission))
                #expect(response.status == .ok)
                if user == "U0CSM0002" {
                    let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(json?["response_action"] as? String == "errors")
                } else {
                    #expect(response.body.readableBytes == 0)
                }
            }
            let saved = try harness.store.emailDrafts(customerID: "cus_acme")
            #expect(saved.map(\.subject) == ["Checking in"])
            #expect(saved.first?.body == "Hi Wile, an edited draft.")
            #expect(saved.first?.author == ServerHarness.mike.email)
            #expect(saved.first?.alertID == nil)
            await #expect(try harness.store.auditLog().contains { $0.action == "action:save_draft_email" && $0.actor == ServerHarness.mike.email && $0.customerIDs == ["cus_acme"] })
        }
    }
}
