import AsyncHTTPClient
import Foundation
import Logging
import Testing
import TicketPulseCore
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport
import TicketPulseWorkflows

/// A live message someone deleted in Slack: its next update is posted as a new message,
/// exactly once, and the updates after it go to the new one.
@Suite("Updates of a message deleted in Slack", .serialized)
struct DeletedMessageTests {
    static let now = AlertDeliveryTests.now

    static func update(_ text: String, stamp: Int) -> OutboxMessage {
        OutboxMessage(key: "refresh/\(stamp)/post/channel:C0ESC0001", kind: .update, recipient: "", parentKey: "post/channel:C0ESC0001",
                      message: Reply(header: text, blocks: [.section(text)], fallbackText: text))
    }

    @Test("message_not_found on chat.update posts the update as a new message, once even when its answer is lost, and later updates follow it")
    func messageNotFound() async throws {
        try await FakeSlack.run { fake, url in
            let store = try SQLiteStore()
            try AlertDeliveryTests.queueAlert(in: store)
            let (slack, logger) = AlertDeliveryTests.quickClient(url)
            let delivery = OutboxDelivery(store: store, messenger: SlackAlertMessenger(store: store, slack: slack), now: { Self.now }, logger: logger)
            try await delivery.deliverDue()
            let original = try #require(try store.outbox(alertID: 1).first { $0.key == "alert:1/post/channel:C0ESC0001" })

            // Someone deleted the channel message; the next update finds it gone, and the
            // answer to the post that replaces it is lost.
            try await store.recordAlertAction(alertID: 1, actor: "mike.chen@example.com", action: "acknowledge", messages: [Self.update("Acknowledged", stamp: 1)], at: Self.now)
            fake.script("chat.update", .slackError("message_not_found"))
            fake.script("chat.postMessage", .doneThenReset)
            try await delivery.deliverDue()

            let key = "alert:1/refresh/1/post/channel:C0ESC0001"
            let reposts = fake.messages.filter { $0.metadataKey == key }
            #expect(reposts.count == 1, "posted anew exactly once")
            let repost = try #require(reposts.first)
            #expect(repost.threadTS == nil && repost.channel == original.channel)
            #expect(try store.outbox(alertID: 1).first { $0.key == key }?.state == .sent)
            #expect(try store.outboxRow(id: original.id)?.ts == repost.ts, "the message now lives at the new post")

            // The next update goes to the new message, with chat.update.
            try await store.recordAlertAction(alertID: 1, actor: "mike.chen@example.com", action: "note", messages: [Self.update("Noted", stamp: 2)], at: Self.now)
            try await delivery.deliverDue()
            #expect(fake.delivered("chat.update").last?.json["ts"] as? String == repost.ts)
            #expect(try store.outbox(alertID: 1).allSatisfy { $0.state == .sent })
        }
    }

    @Test("A grouped DM deleted in Slack: its next update posts the grouped view anew, and the message lives there from then on")
    func liveMessageNotFound() async throws {
        try await ServerHarness.run { harness, _ in
            try await SubscriptionScopeLiveTests.passAndDeliver(harness)
            let dm = "D0U0CSM0001"
            let original = try #require(harness.fake.messages.first { $0.channel == dm && $0.threadTS == nil })
            let postKey = try #require(try harness.store.liveMessages(customerIDs: ["cus_acme"]).first?.postKey)

            // Mike deleted it; a new P1 at Acme updates it, and Slack says it is gone.
            harness.fake.script("chat.update", .slackError("message_not_found"))
            try harness.store.upsert([Ticket(source: .zendesk, externalID: "4531", customerID: "cus_acme", subject: "Exports fail", status: .open, priority: .p1,
                                             createdAt: ServerHarness.now.addingTimeInterval(-60))], at: ServerHarness.now)
            try await SubscriptionScopeLiveTests.passAndDeliver(harness)

            let posts = harness.fake.messages.filter { $0.channel == dm && $0.threadTS == nil }
            #expect(posts.count == 2, "posted anew once")
            let repost = try #require(posts.last)
            #expect(repost.ts != original.ts && repost.text.contains("Acme Corp: "), "the grouped view: \(repost.text)")
            #expect(try harness.store.outboxRow(key: postKey)?.ts == repost.ts, "the live message now lives at the new post")
            #expect(try harness.store.outboxCounts()[.failed] == nil, "nothing failed")
        }
    }

    @Test("A malformed alerts: section stops serve with an error naming the key")
    func malformedAlertsStopServe() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wt-group-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func error(_ alerts: String) -> String {
            let path = directory.appendingPathComponent("ticketpulse.yml").path
            _ = FileManager.default.createFile(atPath: path, contents: Data("alerts:\n\(alerts)\n".utf8))
            do {
                _ = try AppConfiguration.load(path: path, databasePath: ":memory:", environment: [:])
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(error("  repeat_intervall: 3600").contains("alerts.repeat_intervall"))
        #expect(error("  group_wait: -5").contains("alerts.group_wait"))
        #expect(error("  budget: { pings_per_day: 5, always_ping: [securty] }").contains("alerts.budget.always_ping"))
        #expect(error("  budget: { pings_per_day: 4 }").isEmpty)
    }
}
