import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
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
import TicketPulseTemplates

/// Subscriptions set up by asking in Slack, and ones already in the store, then an alert
/// pass delivered through the outbox to the fake Slack: what each DM and channel received.
@Suite("Subscription scope, live", .serialized)
struct SubscriptionScopeLiveTests {
    static let sara = CSM(email: "sara.diaz@example.com", name: "Sara Diaz", slackUserID: "U0CSM0002", role: .csm, managerEmail: "ann.lee@example.com")
    static let ann = CSM(email: "ann.lee@example.com", name: "Ann Lee", slackUserID: "U0MGR0001", role: .manager)
    static let root = CSM(email: "root@example.com", name: "Root Admin", slackUserID: "U0ADM0001", role: .admin)

    /// The harness's store (Mike with Acme, an open P1) plus Sara with Globex (an open P1)
    /// under Ann, who is not Mike's manager; and subscriptions an older version stored
    /// without any scope check.
    static func makeStore() throws -> SQLiteStore {
        let store = try ServerHarness.makeStore()
        try store.upsertCSMs([sara, ann, root])
        try store.upsertCustomers([Customer(id: "cus_globex", name: "Globex", aliases: ["Globex"], tier: .enterprise, arr: 120_000, csmEmail: sara.email, healthScore: 70)])
        try store.upsert([Ticket(source: .zendesk, externalID: "7001", customerID: "cus_globex", subject: "Exports time out", status: .open, priority: .p1,
                                 createdAt: ServerHarness.now.addingTimeInterval(-3600))], at: ServerHarness.now)
        for (channel, creator) in [("C0SARA0001", sara.email), ("C0ROOT0001", root.email), ("C0GONE0001", "gone@example.com")] {
            try store.subscribe(Subscription(target: .channel(id: channel), feed: .all, createdBy: creator, createdAt: ServerHarness.now.addingTimeInterval(-86_400)))
        }
        return store
    }

    /// Asks as `user` in a channel and waits for the answer; returns its text.
    static func ask(_ text: String, user: String, number: Int, _ harness: ServerHarness, _ client: any TestClientProtocol) async throws -> String {
        let ts = "1763478000.00\(1000 + number)"
        let body = ServerHarness.appMention(eventID: "EvSub\(number)", ts: ts, text: "<@U0BOT0001> \(text)", user: user)
        _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
        await harness.fake.waitForDelivered("chat.postMessage", count: number)
        let answer = harness.fake.delivered("chat.postMessage").first { $0.json["thread_ts"] as? String == ts }
        let text = answer?.json["text"] as? String ?? ""
        // A subscription asked for in a message waits for the asker's [Confirm].
        guard text.hasPrefix("Please confirm"), let answer else { return text }
        let buttons = (answer.json["blocks"] as? [[String: Any]] ?? []).flatMap { $0["elements"] as? [[String: Any]] ?? [] }
        let posted = try #require(harness.fake.messages.first { $0.threadTS == ts })
        let updates = harness.fake.delivered("chat.update").count
        try await AnswerButtonsLiveTests.click(.confirm, value: try AnswerButtonsLiveTests.value(buttons, .confirm), user: user,
                                               messageTS: posted.ts, harness: harness, client: client)
        await harness.fake.waitForDelivered("chat.update", count: updates + 1)
        return harness.fake.delivered("chat.update").last?.json["text"] as? String ?? ""
    }

    /// A full alert pass, then the outbox drained through the real messenger and Web API client.
    static func passAndDeliver(_ harness: ServerHarness) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let pipeline = AlertPipeline(store: harness.store, router: AlertRouter(rules: RoutingRules(), messages: AlertMessages(templates: PromptTemplates.locate())),
                                     now: { ServerHarness.now }, logger: logger)
        // Watched since before these tickets: this is about alerts in a running system, not the first start.
        try await harness.store.markWatched(["cus_acme", "cus_globex"], at: ServerHarness.now.addingTimeInterval(-86_400))
        try await pipeline.evaluate()
        let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: harness.slackURL, httpClient: HTTPClient.shared, retryPolicy: SlackRetryPolicy(random: { 0.5 }),
                                      sleeper: harness.time.sleeper, now: harness.time.now, logger: logger)
        let delivery = OutboxDelivery(store: harness.store, messenger: SlackAlertMessenger(store: harness.store, slack: slack), now: { ServerHarness.now }, logger: logger)
        while try await delivery.deliverDue() > 0 {}
    }

    static func texts(in channel: String, _ harness: ServerHarness) -> [String] {
        harness.fake.messages.filter { $0.channel == channel }.map(\.text)
    }

    @Test("A CSM's and a manager's subscriptions carry only their customers; an admin's carries all; an orphan's nothing")
    func subscriptionsStayInScope() async throws {
        try await ServerHarness.run(store: try Self.makeStore()) { harness, client in
            let mine = try await Self.ask("subscribe me to all alerts", user: "U0CSM0002", number: 1, harness, client)
            #expect(mine.hasPrefix("Done"))
            #expect(mine.contains("for your accounts"))
            let team = try await Self.ask("subscribe <#C0TEAM0001|team-feed> to all alerts", user: "U0MGR0001", number: 2, harness, client)
            #expect(team.hasPrefix("Done"))
            #expect(try harness.store.subscriptions(target: .channel(id: "C0TEAM0001")).map(\.createdBy) == [Self.ann.email])

            try await Self.passAndDeliver(harness)

            // Sara's DMs (as Globex's CSM and as a subscriber): Globex, never Acme.
            let saraDMs = Self.texts(in: "D0U0CSM0002", harness)
            #expect(saraDMs.contains { $0.contains("Globex") })
            #expect(!saraDMs.contains { $0.contains("Acme") })
            // A channel Sara subscribed before scopes were checked, and Ann's team channel.
            for channel in ["C0SARA0001", "C0TEAM0001"] {
                let texts = Self.texts(in: channel, harness)
                #expect(texts.contains { $0.contains("Globex") }, "\(channel)")
                #expect(!texts.contains { $0.contains("Acme") }, "\(channel)")
            }
            let everything = Self.texts(in: "C0ROOT0001", harness)
            #expect(everything.contains { $0.contains("Globex") })
            #expect(everything.contains { $0.contains("Acme") })
            #expect(Self.texts(in: "C0GONE0001", harness).isEmpty)
            // Mike still hears about his own customer.
            #expect(Self.texts(in: "D0U0CSM0001", harness).contains { $0.contains("Acme") })
        }
    }
}
