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
import TicketPulseWorkflows
import TicketPulseTemplates

/// The alert buttons through `POST /slack/interactions`, signed as Slack signs them.
@Suite("Alert buttons, live", .serialized)
struct AlertButtonsLiveTests {
    static let sara = CSM(email: "sara.diaz@example.com", name: "Sara Diaz", slackUserID: "U0CSM0002", role: .csm)

    /// Opens the alerts the harness's tickets raise (a P1 for Acme, breached SLA) and
    /// returns one of them, with its messages queued as if already posted.
    static func openAlert(_ harness: ServerHarness, kind: AlertKind = .newTicket) async throws -> StoredAlert {
        try harness.store.upsertCSMs([sara])
        let pipeline = AlertPipeline(store: harness.store, router: AlertRouter(rules: RoutingRules(), messages: AlertMessages(templates: PromptTemplates.locate())),
                                     now: { ServerHarness.now })
        // Watched since before these tickets: this is about alerts in a running system, not the first start.
        try await harness.store.markWatched(["cus_acme"], at: ServerHarness.now.addingTimeInterval(-86_400))
        try await pipeline.evaluate()
        return try await #require(try harness.store.liveAlerts().first { $0.alert.kind == kind })
    }

    static func post(_ body: String, _ harness: ServerHarness, _ client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(uri: "/slack/interactions", method: .post,
                                 headers: harness.signedHeaders(body, contentType: SlackInteractionsLiveTests.formType), body: ByteBuffer(string: body))
    }

    @Test("A click from someone outside the customer's scope is refused and changes nothing")
    func outOfScopeRefused() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Self.openAlert(harness)
            let outboxBefore = try harness.store.outbox(alertID: alert.id).count
            let response = try await Self.post(SlackInteractionsLiveTests.click(actionID: "alert_ack", value: String(alert.id), user: "U0CSM0002"), harness, client)
            #expect(response.status == .ok)
            await harness.fake.waitForDelivered("chat.postEphemeral", count: 1)
            let told = try #require(harness.fake.delivered("chat.postEphemeral").first)
            #expect(told.json["user"] as? String == "U0CSM0002")
            #expect((told.json["text"] as? String)?.contains("isn't in your accounts") == true)
            #expect(try harness.store.alert(id: alert.id)?.status == .open)
            #expect(try harness.store.alertActions(alertID: alert.id).isEmpty)
            #expect(try harness.store.outbox(alertID: alert.id).count == outboxBefore)

            // Snooze and the modals are refused the same way.
            _ = try await Self.post(SlackInteractionsLiveTests.click(actionID: "alert_snooze_1d", value: String(alert.id), user: "U0CSM0002"), harness, client)
            _ = try await Self.post(SlackInteractionsLiveTests.click(actionID: "alert_add_note", value: String(alert.id), user: "U0CSM0002"), harness, client)
            await harness.fake.waitForDelivered("chat.postEphemeral", count: 3)
            #expect(try harness.store.preferences(email: Self.sara.email).snoozes.isEmpty)
            #expect(harness.fake.calls("views.open").isEmpty)
        }
    }

    @Test("Acknowledge records who and when, and updates every copy of the alert in place")
    func acknowledge() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Self.openAlert(harness)
            let posts = try harness.store.outbox(alertID: alert.id).filter { $0.kind == .post }
            #expect(!posts.isEmpty)
            let response = try await Self.post(SlackInteractionsLiveTests.click(actionID: "alert_ack", value: String(alert.id)), harness, client)
            #expect(response.status == .ok)
            let stored = try #require(try harness.store.alert(id: alert.id))
            #expect(stored.status == .acknowledged)
            #expect(stored.acknowledgedBy == "mike.chen@example.com")
            #expect(stored.acknowledgedAt == ServerHarness.now)
            let updates = try harness.store.outbox(alertID: alert.id).filter { $0.kind == .update }
            #expect(updates.count == posts.count)
            // The copy is Mike's grouped DM (the P1 and its SLA breach): still the grouped view,
            // the P1 marked, and the acknowledgement's line in its thread.
            let update = try #require(updates.first?.message)
            let sections = update.blocks.compactMap { block -> String? in if case .section(let text) = block { text } else { nil } }.joined(separator: "\n")
            #expect(sections.contains("#4521 P1 SSO login fails · acknowledged by <@U0CSM0001>"), "\(sections)")
            let notes = try harness.store.outbox(alertID: alert.id).filter { $0.kind == .thread }.flatMap { row in
                row.message.blocks.compactMap { block -> String? in if case .context(let text) = block { text } else { nil } }
            }
            #expect(notes.contains { $0.hasPrefix("✅ Acknowledged by <@U0CSM0001> at") })
            // The acknowledged alert is offered no second Acknowledge.
            let acknowledges = update.blocks.compactMap { block -> [ReplyAction]? in if case .actions(let actions) = block { actions } else { nil } }
                .flatMap { $0 }.filter { $0.id == "alert_ack" }.map(\.value)
            #expect(!acknowledges.contains(String(alert.id)))
            await #expect(try harness.store.auditLog().contains { $0.action == "alert:acknowledge" && $0.actor == "mike.chen@example.com" })
        }
    }

    @Test("Add note from an alert: the modal opens, the note lands on the ticket for write-back, the alert shows it")
    func addNote() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Self.openAlert(harness)
            _ = try await Self.post(SlackInteractionsLiveTests.click(actionID: "alert_add_note", value: String(alert.id)), harness, client)
            let opened = try #require(harness.fake.delivered("views.open").first)
            let view = try #require(opened.json["view"] as? [String: Any])
            #expect(view["private_metadata"] as? String == "alert:\(alert.id)")
            let submitted = try await Self.post(SlackInteractionsLiveTests.noteSubmission(note: "Customer is blocked on SSO; engineering aware.", metadata: "alert:\(alert.id)"), harness, client)
            #expect(submitted.status == .ok)
            let ticket = try #require(try harness.store.ticket(source: .zendesk, externalID: "4521"))
            let actions = try harness.store.actions(ticketID: ticket.id)
            #expect(actions.map(\.body) == ["Customer is blocked on SSO; engineering aware."])
            #expect(actions.first?.writebackStatus == "pending")
            #expect(try harness.store.alertActions(alertID: alert.id).map(\.action) == ["note"])
        }
    }

    @Test("Snooze mutes the customer's DMs for the clicker for the chosen time")
    func snooze() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Self.openAlert(harness)
            _ = try await Self.post(SlackInteractionsLiveTests.click(actionID: "alert_snooze_1w", value: String(alert.id)), harness, client)
            let until = try harness.store.preferences(email: "mike.chen@example.com").snoozes["cus_acme"]
            #expect(until == ServerHarness.now.addingTimeInterval(7 * 86_400))
        }
    }

    @Test("Start war room: a channel with the CSM, opened with the alert's summary")
    func warRoom() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Self.openAlert(harness)
            _ = try await Self.post(SlackInteractionsLiveTests.click(actionID: "alert_war_room", value: String(alert.id)), harness, client)
            let created = try #require(harness.fake.delivered("conversations.create").first)
            #expect((created.json["name"] as? String)?.hasPrefix("war-room-acme-corp-") == true)
            #expect(harness.fake.delivered("conversations.invite").first?.json["users"] as? String == "U0CSM0001")
            #expect(harness.fake.messages.contains { $0.channel.hasPrefix("C0ROOM") && $0.text.hasPrefix("War room:") })
            #expect(try harness.store.alertActions(alertID: alert.id).map(\.action) == ["war_room"])
        }
    }

    /// A choice in the alert's overflow menu, as Slack sends it: the menu's `action_id`, the
    /// chosen option under `selected_option`, no `value`.
    static func menuChoice(_ option: [String: Any], user: String = "U0CSM0001") -> String {
        let payload: [String: Any] = [
            "type": "block_actions",
            "user": ["id": user, "username": "mike", "team_id": "T0TEAM0001"],
            "api_app_id": "A0APP0001",
            "container": ["type": "message", "message_ts": "1763478000.000900", "channel_id": "D0DM000001", "is_ephemeral": false],
            "trigger_id": "7200000000002.7000000000001.0a1b2c3d4e5f",
            "channel": ["id": "D0DM000001", "name": "directmessage"],
            "message": ["type": "message", "ts": "1763478000.000900", "bot_id": "B0BOT0001", "text": "…"],
            "response_url": "https://hooks.slack.com/actions/T0TEAM0001/1/x",
            "actions": [["action_id": BlockKitRenderer.overflowActionID, "block_id": "b1", "type": "overflow", "selected_option": option,
                         "action_ts": "1763478001.000001"]],
        ]
        return SlackInteractionsLiveTests.form(payload)
    }

    /// The overflow options of the alert's own message as the renderer sends it to Slack (a
    /// grouped DM shows the buttons of its most serious alert, which may be another one).
    static func menuOptions(_ alert: StoredAlert, _ harness: ServerHarness) throws -> [[String: Any]] {
        let reply = AlertMessages(templates: PromptTemplates.locate()).message(alert)
        let data = try JSONEncoder().encode(BlockKitRenderer().message(reply))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let elements = (json["blocks"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "actions" }.flatMap { $0["elements"] as? [[String: Any]] ?? [] }
        #expect(elements.filter { $0["type"] as? String == "button" }.count <= 4)
        let overflow = try #require(elements.first { $0["type"] as? String == "overflow" })
        return overflow["options"] as? [[String: Any]] ?? []
    }

    static func option(_ label: String, in options: [[String: Any]]) throws -> [String: Any] {
        try #require(options.first { ($0["text"] as? [String: Any])?["text"] as? String == label })
    }

    @Test("Menu choices round trip: Snooze 1 day and Start war room from the overflow run and are audited like their buttons")
    func overflowRoundTrip() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Self.openAlert(harness)
            let options = try Self.menuOptions(alert, harness)
            #expect(options.map { ($0["text"] as? [String: Any])?["text"] as? String } == ["Draft response", "Start war room", "Snooze 1 h", "Snooze 1 day", "Snooze 1 week"])

            let snooze = try await Self.post(Self.menuChoice(try Self.option("Snooze 1 day", in: options)), harness, client)
            #expect(snooze.status == .ok)
            #expect(try harness.store.preferences(email: "mike.chen@example.com").snoozes["cus_acme"] == ServerHarness.now.addingTimeInterval(86_400))

            _ = try await Self.post(Self.menuChoice(try Self.option("Start war room", in: options)), harness, client)
            #expect(harness.fake.delivered("conversations.create").count == 1)
            #expect(try harness.store.alertActions(alertID: alert.id).map(\.action) == ["snooze", "war_room"])

            let audited = try await harness.store.auditLog().reversed().filter { $0.action.hasPrefix("alert:") }
            #expect(audited.map(\.action) == ["alert:snooze", "alert:war_room"])
            #expect(audited.allSatisfy { $0.outcome == .allowed && $0.actor == "mike.chen@example.com" && $0.customerIDs == ["cus_acme"] })
            #expect(audited.first?.detail.hasSuffix(": Snooze 1 day") == true)
        }
    }

    @Test("A menu choice from someone outside the customer's scope is refused and audited, like the button")
    func overflowRefused() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Self.openAlert(harness)
            let options = try Self.menuOptions(alert, harness)
            _ = try await Self.post(Self.menuChoice(try Self.option("Snooze 1 week", in: options), user: "U0CSM0002"), harness, client)
            #expect(try harness.store.preferences(email: Self.sara.email).snoozes.isEmpty)
            let row = try await #require(try harness.store.auditLog().first)
            #expect(row.action == "alert:snooze")
            #expect(row.outcome == .refused(reason: "out_of_scope"))
        }
    }

    @Test("The clicker's Slack time zone (users.info tz) is remembered in the roster")
    func timeZoneRemembered() async throws {
        try await ServerHarness.run { harness, client in
            let alert = try await Self.openAlert(harness)
            // Mike's Slack id unknown to the roster: the click maps him by users.info's email.
            try harness.store.upsertCSMs([CSM(email: "mike.chen@example.com", name: "Mike Chen", role: .csm)])
            #expect(try harness.store.csm(email: "mike.chen@example.com")?.timeZone == nil)
            _ = try await Self.post(SlackInteractionsLiveTests.click(actionID: "alert_ack", value: String(alert.id)), harness, client)
            let mike = try #require(try harness.store.csm(email: "mike.chen@example.com"))
            #expect(mike.slackUserID == "U0CSM0001")
            #expect(mike.timeZone == "Europe/London")
            #expect(try harness.store.preferences(email: mike.email).timeZone == "Europe/London")
        }
    }
}
