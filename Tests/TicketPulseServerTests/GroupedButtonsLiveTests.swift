import AsyncHTTPClient
import Foundation
import HummingbirdTesting
import Logging
import Testing
import TicketPulseAnswers
import TicketPulseCore
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport
import TicketPulseWorkflows

/// A button on a grouped DM (one customer's incident, several alerts): the message stays
/// the grouped view, with the alert marked, through `POST /slack/interactions` and the fake Slack.
@Suite("Buttons on a grouped message, live", .serialized)
struct GroupedButtonsLiveTests {
    static let dm = "D0U0CSM0001"

    static func deliver(_ harness: ServerHarness) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: harness.slackURL, httpClient: HTTPClient.shared, retryPolicy: SlackRetryPolicy(random: { 0.5 }),
                                      sleeper: harness.time.sleeper, now: harness.time.now, logger: logger)
        let delivery = OutboxDelivery(store: harness.store, messenger: SlackAlertMessenger(store: harness.store, slack: slack), now: { ServerHarness.now }, logger: logger)
        while try await delivery.deliverDue() > 0 {}
    }

    static func blocksText(_ call: FakeSlack.Call) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: call.json["blocks"] ?? [])) ?? Data(), as: UTF8.self)
    }

    @Test("Acknowledge on a grouped DM updates it in place as the grouped view, the alert marked acknowledged, and later updates keep the mark")
    func acknowledgeKeepsTheGroupedView() async throws {
        try await ServerHarness.run { harness, client in
            try await SubscriptionScopeLiveTests.passAndDeliver(harness)
            let posts = harness.fake.messages.filter { $0.channel == Self.dm && $0.threadTS == nil }
            #expect(posts.count == 1, "one DM for Acme's incident")
            let post = try #require(posts.first)
            #expect(post.text.contains("Acme Corp: ") && post.text.contains(" open · "), "the grouped view: \(post.text)")
            let row = try #require(try harness.store.liveMessages(customerIDs: ["cus_acme"]).first)
            let live = try StoreJSON.decoder.decode(LiveMessage.self, from: Data(row.stateJSON.utf8))
            #expect(live.items.count >= 2)
            let p1 = try #require(live.items.first { $0.kind == .newTicket })

            let response = try await AlertButtonsLiveTests.post(SlackInteractionsLiveTests.click(actionID: "alert_ack", value: String(p1.alertID), messageTS: post.ts),
                                                                harness, client)
            #expect(response.status == .ok)
            #expect(try harness.store.alert(id: p1.alertID)?.status == .acknowledged)
            try await Self.deliver(harness)

            let update = try #require(harness.fake.delivered("chat.update").last { $0.json["ts"] as? String == post.ts })
            let text = update.json["text"] as? String ?? ""
            #expect(text.hasPrefix("🔴 Acme Corp: ") || text.contains("Acme Corp: "), "still the grouped header: \(text)")
            #expect(text.contains("acknowledged)"), "the header counts it: \(text)")
            let blocks = Self.blocksText(update)
            #expect(blocks.contains("acknowledged by <@U0CSM0001>"), "the item is marked")
            #expect(!blocks.contains("Acknowledged by <@U0CSM0001> at"), "not the single alert's view with its status line")
            #expect(harness.fake.messages.filter { $0.channel == Self.dm && $0.threadTS == nil }.count == 1, "no new message")
            let note = harness.fake.messages.filter { $0.threadTS == post.ts }.last
            #expect(note?.text.contains("Acknowledged by <@U0CSM0001>") == true, "what was done is in the thread")
            await #expect(try harness.store.auditLog().contains { $0.action == "alert:acknowledge" && $0.actor == "mike.chen@example.com" })

            // A new P1 at Acme an hour later updates the same message, the acknowledged one still marked.
            try harness.store.upsert([Ticket(source: .zendesk, externalID: "4530", customerID: "cus_acme", subject: "Exports fail", status: .open, priority: .p1,
                                             createdAt: ServerHarness.now.addingTimeInterval(-60))], at: ServerHarness.now)
            try await SubscriptionScopeLiveTests.passAndDeliver(harness)
            let later = try #require(harness.fake.delivered("chat.update").last { $0.json["ts"] as? String == post.ts })
            #expect(Self.blocksText(later).contains("#4530"))
            #expect(Self.blocksText(later).contains("acknowledged by <@U0CSM0001>"))
        }
    }
}
