import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TicketPulseCore
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport
import TicketPulseWorkflows

/// The outbox against the in-process fake Slack through the real Web API client: a worker
/// killed mid-send, then restarted, delivers every message exactly once.
@Suite("Alert delivery through the outbox", .serialized)
struct AlertDeliveryTests {
    static let now = Date(timeIntervalSince1970: 1_795_428_000)

    /// Stops the worker the way a crash would: before or after the message reaches Slack,
    /// and in both cases before the outbox learns it was sent.
    struct CrashingMessenger: AlertMessenger {
        enum When { case beforeSend, afterSend }
        let inner: any AlertMessenger
        let when: When

        func channel(for recipient: String) async throws -> String { try await inner.channel(for: recipient) }
        func post(_ message: Reply, channel: String, threadTS: String?, key: String, since: Date) async throws -> String {
            if when == .afterSend { _ = try await inner.post(message, channel: channel, threadTS: threadTS, key: key, since: since) }
            throw CancellationError()
        }
        func update(channel: String, ts: String, with message: Reply) async throws { throw CancellationError() }
        func findPosted(key: String, channel: String, threadTS: String?, since: Date) async throws -> String? {
            try await inner.findPosted(key: key, channel: channel, threadTS: threadTS, since: since)
        }
    }

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = AlertDeliveryTests.now
        var now: Date { lock.withLock { time } }
        func advance(_ seconds: TimeInterval) { lock.withLock { time.addTimeInterval(seconds) } }
    }

    /// An alert with a DM, a channel post, a thread note under the channel post and a header update.
    /// A Web API client over the fake that gives up quickly (two attempts, 1 s per request,
    /// waits recorded rather than slept), with a quiet logger. Shorter timeouts (300 ms)
    /// made answers that were merely slow, on a loaded 2-core machine, look lost.
    static func quickClient(_ url: URL) -> (SlackWebAPIClient, Logger) {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let time = FakeTime(start: ContinuousClock.now)
        let policy = SlackRetryPolicy(maxAttempts: 2, requestTimeout: .seconds(1), random: { 0 })
        let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: url, httpClient: HTTPClient.shared, retryPolicy: policy,
                                      sleeper: time.sleeper, now: time.now, logger: logger)
        return (slack, logger)
    }

    static func queueAlert(in store: SQLiteStore) throws {
        try store.upsertCSMs([CSM(email: "mike.chen@example.com", name: "Mike Chen", slackUserID: "U0CSM0001")])
        try store.upsertCustomers([Customer(id: "cus_acme", name: "Acme Corp", csmEmail: "mike.chen@example.com")])
        let alert = Alert(kind: .spike, severity: .high, customer: Customer(id: "cus_acme", name: "Acme Corp"), dedupKey: "spike:cus_acme",
                          title: "Ticket spike: Acme Corp", explanation: "8 tickets in 24 h, 4.0× the 30-day average of 2.0/day", detectedAt: now)
        let reply = Reply(header: "🟠 Ticket spike: Acme Corp", blocks: [.section("8 tickets")], fallbackText: "Ticket spike: Acme Corp")
        try store.apply([AlertPlan(change: .open(alert), messages: [
            OutboxMessage(key: "post/channel:C0ESC0001", kind: .post, recipient: "channel:C0ESC0001", message: reply),
            OutboxMessage(key: "post/user:mike.chen@example.com", kind: .post, recipient: "user:mike.chen@example.com", message: reply),
            OutboxMessage(key: "note/post/channel:C0ESC0001", kind: .thread, recipient: "", parentKey: "post/channel:C0ESC0001", message: reply),
            OutboxMessage(key: "update/post/channel:C0ESC0001", kind: .update, recipient: "", parentKey: "post/channel:C0ESC0001", message: reply),
        ])], at: now)
    }

    static func run(crash: CrashingMessenger.When) async throws {
        try await FakeSlack.run { fake, url in
            let store = try SQLiteStore()
            try queueAlert(in: store)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let time = FakeTime(start: ContinuousClock.now)
            let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: url, httpClient: HTTPClient.shared, sleeper: time.sleeper, now: time.now, logger: logger)
            let messenger = SlackAlertMessenger(store: store, slack: slack)
            let clock = Clock()

            let first = OutboxDelivery(store: store, messenger: CrashingMessenger(inner: messenger, when: crash), now: { clock.now }, logger: logger)
            await #expect(throws: CancellationError.self) { try await first.deliverDue() }
            let stranded = try await #require(try store.dueOutbox(at: clock.now.addingTimeInterval(3600), staleAfter: 0).first)
            #expect(stranded.state == .inFlight)
            #expect(fake.messages.count == (crash == .afterSend ? 1 : 0))

            // A restarted worker, once the stranded row is stale.
            clock.advance(60)
            let second = OutboxDelivery(store: store, messenger: messenger, now: { clock.now }, logger: logger)
            #expect(try await second.deliverDue() == 4)

            let keys = fake.messages.compactMap(\.metadataKey)
            #expect(keys.sorted() == ["alert:1/note/post/channel:C0ESC0001", "alert:1/post/channel:C0ESC0001", "alert:1/post/user:mike.chen@example.com"])
            #expect(Set(keys).count == keys.count, "no message posted twice")
            let rows = try store.outbox(alertID: 1)
            #expect(rows.allSatisfy { $0.state == .sent })
            let channelPost = try #require(rows.first { $0.key == "alert:1/post/channel:C0ESC0001" })
            #expect(fake.messages.first { $0.metadataKey == "alert:1/note/post/channel:C0ESC0001" }?.threadTS == channelPost.ts)
            #expect(rows.first { $0.key == "alert:1/post/user:mike.chen@example.com" }?.channel == "D0U0CSM0001")
            #expect(fake.delivered("chat.update").count == 1)
            #expect(fake.delivered("chat.update").first?.json["ts"] as? String == channelPost.ts)
        }
    }

    @Test("Killed after Slack got the message: the restart finds it by its key and does not post it again")
    func crashAfterSend() async throws {
        try await Self.run(crash: .afterSend)
    }

    @Test("Killed before the message left: the restart finds nothing and posts it once")
    func crashBeforeSend() async throws {
        try await Self.run(crash: .beforeSend)
    }

    /// Slack made the post but its answer was lost (reset, timeout, 5xx), or refused it
    /// (429, 5xx before doing anything): every message of the alert exists exactly once.
    @Test("A post whose answer is lost is not posted again", arguments: [
        FakeSlack.Answer.doneThenReset, .doneThenSilence, .doneThenServerError(502), .serverError(503), .rateLimited(retryAfter: "1"),
    ])
    func lostAnswers(fault: FakeSlack.Answer) async throws {
        try await FakeSlack.run { fake, url in
            let store = try SQLiteStore()
            try Self.queueAlert(in: store)
            // The first post, and once more the second one (a retry's own fault).
            fake.script("chat.postMessage", fault, fault)
            let (slack, logger) = AlertDeliveryTests.quickClient(url)
            let clock = Clock()
            let delivery = OutboxDelivery(store: store, messenger: SlackAlertMessenger(store: store, slack: slack), now: { clock.now }, logger: logger)
            for _ in 0..<4 {
                try await delivery.deliverDue()
                clock.advance(600)
            }
            let keys = fake.messages.compactMap(\.metadataKey)
            #expect(keys.sorted() == ["alert:1/note/post/channel:C0ESC0001", "alert:1/post/channel:C0ESC0001", "alert:1/post/user:mike.chen@example.com"])
            #expect(try store.outbox(alertID: 1).allSatisfy { $0.state == .sent })
        }
    }

    /// Posts nothing anywhere; asks the service group to stop at the first post.
    final class StoppingMessenger: AlertMessenger, Sendable {
        let group = Mutex<ServiceGroup?>(nil)
        let posts = Mutex(0)
        func channel(for recipient: String) async throws -> String { "C0" + recipient }
        func post(_ message: Reply, channel: String, threadTS: String?, key: String, since: Date) async throws -> String {
            let count = posts.withLock { $0 += 1; return $0 }
            // The trigger is handled asynchronously: return only once this task sees it.
            let (stopped, stop) = AsyncStream<Void>.makeStream()
            await withGracefulShutdownHandler {
                await group.withLock { $0 }?.triggerGracefulShutdown()
                for await _ in stopped { break }
            } onGracefulShutdown: {
                stop.finish()
            }
            return "1795428000.00000\(count)"
        }
        func update(channel: String, ts: String, with message: Reply) async throws {}
        func findPosted(key: String, channel: String, threadTS: String?, since: Date) async throws -> String? { nil }
    }

    @Test("Stopping does not wait for a backlog: the message being sent is finished, the rest wait for the restart")
    func shutdownLeavesTheBacklog() async throws {
        let store = try SQLiteStore()
        try Self.queueAlert(in: store)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let messenger = StoppingMessenger()
        let delivery = OutboxDelivery(store: store, messenger: messenger, now: { Self.now }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: delivery)], logger: logger))
        messenger.group.withLock { $0 = group }
        try await group.run()
        #expect(messenger.posts.withLock { $0 } == 1)
        let rows = try store.outbox(alertID: 1)
        #expect(rows.filter { $0.state == .sent }.count == 1)
        #expect(rows.filter { $0.state == .pending }.count == 3)
    }

    @Test("A channel Slack does not know fails the message for good; its thread note is not attempted")
    func permanentFailure() async throws {
        try await FakeSlack.run { fake, url in
            let store = try SQLiteStore()
            try Self.queueAlert(in: store)
            fake.script("chat.postMessage", .slackError("channel_not_found"))
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: url, httpClient: HTTPClient.shared, logger: logger)
            let delivery = OutboxDelivery(store: store, messenger: SlackAlertMessenger(store: store, slack: slack), now: { Self.now }, logger: logger)
            try await delivery.deliverDue()
            let rows = try store.outbox(alertID: 1)
            #expect(rows.map(\.state) == [.failed, .sent, .failed, .failed])
        }
    }
}
