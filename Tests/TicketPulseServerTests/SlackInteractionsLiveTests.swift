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

@Suite("Slack interactions, live", .serialized)
struct SlackInteractionsLiveTests {
    /// A `block_actions` form body as Slack sends it: one button click on a bot message.
    static func click(actionID: String, value: String, user: String = "U0CSM0001", messageTS: String = "1763478000.000900") -> String {
        let payload: [String: Any] = [
            "type": "block_actions",
            "user": ["id": user, "username": "mike", "team_id": "T0TEAM0001"],
            "api_app_id": "A0APP0001",
            "container": ["type": "message", "message_ts": messageTS, "channel_id": "C0ESC0001", "is_ephemeral": false],
            "trigger_id": "7200000000002.7000000000001.0a1b2c3d4e5f",
            "channel": ["id": "C0ESC0001", "name": "cs-escalations"],
            "message": ["type": "message", "ts": messageTS, "bot_id": "B0BOT0001", "text": "…"],
            "response_url": "https://hooks.slack.com/actions/T0TEAM0001/1/x",
            "actions": [["action_id": actionID, "block_id": "b1", "value": value, "type": "button", "action_ts": "1763478001.000001"]],
        ]
        return form(payload)
    }

    /// A `view_submission` of the "Add note" modal.
    static func noteSubmission(note: String, user: String = "U0CSM0001", metadata: String = "zendesk:4521|C0ESC0001|1763478000.000900") -> String {
        let payload: [String: Any] = [
            "type": "view_submission",
            "user": ["id": user, "username": "mike", "team_id": "T0TEAM0001"],
            "api_app_id": "A0APP0001",
            "trigger_id": "7200000000004.7000000000001.abc",
            "view": [
                "id": "V0MODAL001", "type": "modal", "callback_id": SlackModalForm.addNoteCallbackID, "private_metadata": metadata,
                "state": ["values": [SlackModalForm.noteBlockID: [SlackModalForm.noteActionID: ["type": "plain_text_input", "value": note]]]],
            ],
        ]
        return form(payload)
    }

    static func form(_ payload: [String: Any]) -> String {
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return "payload=" + json.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    static let formType = "application/x-www-form-urlencoded"

    @Test("\"See all\" under a cut list posts the whole list in the thread, with no further button")
    func seeAllPostsTheWholeList() async throws {
        try await ServerHarness.run { harness, client in
            try harness.store.upsert((1...60).map { number in
                Ticket(source: .zendesk, externalID: String(5000 + number), customerID: "cus_acme", subject: "Export fails \(number)",
                       status: .open, priority: .p3, createdAt: ServerHarness.now.addingTimeInterval(-Double(number) * 600))
            }, at: ServerHarness.now)
            let body = Self.click(actionID: "see_more", value: "show support tickets for Acme")
            let response = try await client.execute(uri: "/slack/interactions", method: .post,
                                                    headers: harness.signedHeaders(body, contentType: Self.formType), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            let post = try #require(harness.fake.delivered("chat.postMessage").first)
            #expect(post.json["thread_ts"] as? String == "1763478000.000900")
            let blocks = post.json["blocks"] as? [[String: Any]] ?? []
            let text = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }.joined(separator: "\n")
            // 62 open tickets (60 + the harness's 2): every one listed, far past the 15 of a normal answer.
            #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("#") }.count == 62)
            #expect(!blocks.contains { ($0["elements"] as? [[String: Any]])?.contains { $0["action_id"] as? String == "see_more" } == true })
            #expect(blocks.count <= 50)
        }
    }

    @Test("A normal answer with a cut list carries the question on its \"See all\" button")
    func cutAnswerOffersSeeAll() async throws {
        try await ServerHarness.run { harness, client in
            try harness.store.upsert((1...30).map { number in
                Ticket(source: .zendesk, externalID: String(6000 + number), customerID: "cus_acme", subject: "Slow dashboard \(number)",
                       status: .open, priority: .p3, createdAt: ServerHarness.now.addingTimeInterval(-Double(number) * 600))
            }, at: ServerHarness.now)
            let body = ServerHarness.appMention(eventID: "Ev100", ts: "1763478000.001000")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            let blocks = try #require(harness.fake.delivered("chat.postMessage").first?.json["blocks"] as? [[String: Any]])
            let buttons = blocks.flatMap { $0["elements"] as? [[String: Any]] ?? [] }
            let seeAll = try #require(buttons.first { $0["action_id"] as? String == "see_more" })
            #expect(seeAll["value"] as? String == "show support tickets for Acme")
        }
    }

    @Test("Add note opens the modal at once; submitting records the note, audits it and refreshes the message")
    func addNoteModalRoundTrip() async throws {
        try await ServerHarness.run { harness, client in
            let click = Self.click(actionID: "add_note", value: "zendesk:4521")
            let clicked = try await client.execute(uri: "/slack/interactions", method: .post,
                                                   headers: harness.signedHeaders(click, contentType: Self.formType), body: ByteBuffer(string: click))
            #expect(clicked.status == .ok)
            // views.open ran inside the request, before the 3-second trigger window closed.
            let open = try #require(harness.fake.calls("views.open").first)
            #expect(open.json["trigger_id"] as? String == "7200000000002.7000000000001.0a1b2c3d4e5f")
            let view = try #require(open.json["view"] as? [String: Any])
            #expect(view["callback_id"] as? String == SlackModalForm.addNoteCallbackID)
            #expect(view["private_metadata"] as? String == "zendesk:4521|C0ESC0001|1763478000.000900")

            let submit = Self.noteSubmission(note: "Customer called back; workaround shared")
            let submitted = try await client.execute(uri: "/slack/interactions", method: .post,
                                                     headers: harness.signedHeaders(submit, contentType: Self.formType), body: ByteBuffer(string: submit))
            #expect(submitted.status == .ok)
            #expect(submitted.body.readableBytes == 0)
            let stored = try #require(try harness.store.ticket(source: .zendesk, externalID: "4521"))
            let actions = try harness.store.actions(ticketID: stored.id)
            #expect(actions.map(\.body) == ["Customer called back; workaround shared"])
            #expect(actions.first?.actor == ServerHarness.mike.email)
            await harness.fake.waitForDelivered("chat.update", count: 1)
            let update = try #require(harness.fake.delivered("chat.update").first)
            #expect(update.json["ts"] as? String == "1763478000.000900")
            #expect(update.json["channel"] as? String == "C0ESC0001")
        }
    }

    @Test("An empty note, or a note from someone outside the account, is refused in the modal and stores nothing")
    func badSubmissionsAreRefusedInTheModal() async throws {
        try await ServerHarness.run { harness, client in
            try harness.store.upsertCSMs([CSM(email: "sam@example.com", name: "Sam", slackUserID: "U0CSM0002", role: .csm)])
            for (note, user) in [("   ", "U0CSM0001"), ("I should not be able to write this", "U0CSM0002")] {
                let submit = Self.noteSubmission(note: note, user: user)
                let response = try await client.execute(uri: "/slack/interactions", method: .post,
                                                        headers: harness.signedHeaders(submit, contentType: Self.formType), body: ByteBuffer(string: submit))
                #expect(response.status == .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(json?["response_action"] as? String == "errors")
                #expect((json?["errors"] as? [String: String])?[SlackModalForm.noteBlockID] != nil)
            }
            let stored = try #require(try harness.store.ticket(source: .zendesk, externalID: "4521"))
            #expect(try harness.store.actions(ticketID: stored.id).isEmpty)
        }
    }
}
