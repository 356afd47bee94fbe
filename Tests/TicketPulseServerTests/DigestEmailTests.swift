import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
import Testing
import TicketPulseCore
import TicketPulseEmail
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTemplates
import TicketPulseTestSupport
import TicketPulseWorkflows

/// Digests by email through the outbox, against a real SMTP server (aiosmtpd) on loopback:
/// the test server refuses `refuse@`, greylists `greylist@` once and drops the connection
/// at the end of DATA for `drop@` once (see smtp_test_server.py). The clock is injected:
/// a retry comes due by moving it, not by waiting.
@Suite(
    "Digest emails through the outbox, to a real SMTP server on loopback",
    .serialized,
    .enabled(if: LoopbackSMTPServer.isAvailable, "needs python3 with aiosmtpd (pip install aiosmtpd; .ci/run installs it)")
)
struct DigestEmailTests {
    /// 10:00 UTC: past the default 09:00 digest time.
    static let now = Date(timeIntervalSince1970: 1_795_428_000)
    static let from = try! EmailAddress("ticketpulse@example.com", name: "TicketPulse")

    /// The Slack side of the outbox, recording what it was asked to post.
    final class RecordingMessenger: AlertMessenger {
        let posts = Mutex<[String]>([])
        func channel(for recipient: String) async throws -> String { recipient }
        func post(_ message: Reply, channel: String, threadTS: String?, key: String, since: Date) async throws -> String {
            posts.withLock { $0.append(key) }
            return "1.0"
        }
        func update(channel: String, ts: String, with message: Reply) async throws {}
        func findPosted(key: String, channel: String, threadTS: String?, since: Date) async throws -> String? { nil }
    }

    final class Clock: Sendable {
        let time = Mutex(DigestEmailTests.now)
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0.addTimeInterval(seconds) } }
    }

    /// Email-only digests never reach Slack; a port nothing listens on says so if they did.
    static var unusedSlack: SlackWebAPIClient {
        SlackWebAPIClient(token: "xoxb-test", baseURL: URL(string: "http://127.0.0.1:9/api/")!, httpClient: HTTPClient.shared, logger: logger)
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// A person with one routine alert waiting for their digest, taking it `delivery`.
    static func store(person email: String, delivery: DigestDelivery) throws -> SQLiteStore {
        let store = try SQLiteStore()
        try store.upsertCSMs([CSM(email: email, name: "Mike Chen", slackUserID: "U0CSM0001")])
        try store.upsertCustomers([Customer(id: "cus_acme", name: "Acme Corp", csmEmail: email)])
        let alert = Alert(kind: .spike, severity: .low, customer: Customer(id: "cus_acme", name: "Acme Corp"), dedupKey: "spike:cus_acme",
                          title: "Ticket spike: Acme Corp", explanation: "4 tickets in 24 h <b>&</b> rising", detectedAt: now.addingTimeInterval(-3600))
        _ = try store.apply([AlertPlan(change: .open(alert), digestFor: [email])], at: now.addingTimeInterval(-3600))
        try store.savePreferences(NotificationPreferences(digestDelivery: delivery), email: email, at: now)
        return store
    }

    static func client(_ server: LoopbackSMTPServer) throws -> SMTPClient {
        let timeouts = SMTPConfiguration.Timeouts(connect: .seconds(10), reply: .seconds(10), dataTermination: .seconds(10))
        return try SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: server.port, security: .none, heloName: "client.test", timeouts: timeouts))
    }

    struct Rig {
        let store: SQLiteStore
        let slack: RecordingMessenger
        let clock: Clock
        let delivery: OutboxDelivery

        init(store: SQLiteStore, server: LoopbackSMTPServer) throws {
            self.store = store
            let templates = try #require(PromptTemplates.locate())
            let clock = Clock()
            let slack = RecordingMessenger()
            self.clock = clock
            self.slack = slack
            let email = SMTPEmailMessenger(sender: try DigestEmailTests.client(server), from: DigestEmailTests.from,
                                           renderer: ReplyEmailRenderer(templates: templates), now: { clock.now })
            delivery = OutboxDelivery(store: store, messenger: slack, emailMessenger: email, now: { clock.now }, logger: DigestEmailTests.logger)
        }

        func queue() async throws -> [String] {
            let templates = PromptTemplates.locate()
            let scheduler = DigestScheduler(store: store, messages: AlertMessages(templates: templates),
                                            email: DigestEmail(makeMessageID: { EmailMessage.makeMessageID(domain: "example.com") }))
            return try await scheduler.queueDue(at: clock.now)
        }

        func emailRow() throws -> OutboxRow? {
            try store.dueOutbox(at: .distantFuture, staleAfter: 0).first { $0.kind == .email }
        }
    }

    @Test("A digest by email arrives once, text and HTML, with the Message-ID fixed when it was queued")
    func arrivesOnce() async throws {
        try await LoopbackSMTPServer.with { server in
            let rig = try Rig(store: try Self.store(person: "mike.chen@example.com", delivery: .email), server: server)
            #expect(try await rig.queue() == ["mike.chen@example.com"])
            let queued = try #require(try rig.emailRow())
            let messageID = try #require(queued.messageID)
            #expect(queued.recipient == "email:mike.chen@example.com")

            #expect(try await rig.delivery.deliverDue() == 1)
            #expect(try await rig.delivery.deliverDue() == 0)
            let received = try server.received()
            try #require(received.count == 1)
            let mail = received[0]
            #expect(mail.rcpt_tos == ["mike.chen@example.com"])
            #expect(mail.message_id == "<\(messageID)>")
            #expect(mail.subject == "Your TicketPulse digest: 1 item")
            #expect(mail.content_type == "multipart/alternative")
            #expect(mail.parts.map(\.content_type) == ["text/plain", "text/html"])
            #expect(mail.defects.isEmpty)
            let text = try #require(mail.parts.first?.content)
            let html = try #require(mail.parts.last?.content)
            #expect(text.contains("Good morning Mike."))
            #expect(text.contains("Acme Corp · Ticket spike · 4 tickets in 24 h <b>&</b> rising"))
            // The HTML part escapes what it shows: a ticket subject is not markup.
            #expect(html.contains("<td style=\"border-bottom: 1px solid #eee; padding: 4px 8px;\">Acme Corp</td>"))
            #expect(html.contains("4 tickets in 24 h &lt;b&gt;&amp;&lt;/b&gt; rising"))
            #expect(rig.slack.posts.withLock { $0 }.isEmpty, "email only: no DM")
            let row = try #require(try rig.store.outboxRow(key: queued.key))
            #expect(row.state == .sent && row.ts == messageID)
        }
    }

    @Test("Slack and email: one DM and one email, from the same digest")
    func both() async throws {
        try await LoopbackSMTPServer.with { server in
            let rig = try Rig(store: try Self.store(person: "mike.chen@example.com", delivery: .both), server: server)
            _ = try await rig.queue()
            #expect(try await rig.delivery.deliverDue() == 2)
            #expect(try server.received().count == 1)
            #expect(rig.slack.posts.withLock { $0 }.count == 1)
            #expect(try rig.store.pendingDigestItems().isEmpty)
        }
    }

    @Test("A refused recipient fails that row with the server's reply, counted as failed")
    func refused() async throws {
        try await LoopbackSMTPServer.with { server in
            let rig = try Rig(store: try Self.store(person: "refuse@example.com", delivery: .email), server: server)
            _ = try await rig.queue()
            let key = try #require(try rig.emailRow()).key
            #expect(try await rig.delivery.deliverDue() == 0)
            let row = try #require(try rig.store.outboxRow(key: key))
            #expect(row.state == .failed)
            #expect(row.lastError?.contains("550 5.1.1") == true)
            #expect(try rig.store.outboxCounts()[.failed] == 1)
            // Failed for good: later passes leave it alone.
            rig.clock.advance(3600)
            #expect(try await rig.delivery.deliverDue() == 0)
            #expect(try server.received().isEmpty)
        }
    }

    @Test("A greylisting 451 is retried when its time comes and delivered once, with the same Message-ID")
    func greylisted() async throws {
        try await LoopbackSMTPServer.with { server in
            let rig = try Rig(store: try Self.store(person: "greylist@example.com", delivery: .email), server: server)
            _ = try await rig.queue()
            let queued = try #require(try rig.emailRow())
            #expect(try await rig.delivery.deliverDue() == 0)
            let waiting = try #require(try rig.store.outboxRow(key: queued.key))
            #expect(waiting.state == .pending && waiting.lastError?.contains("451") == true)
            // Not before its retry time.
            #expect(try await rig.delivery.deliverDue() == 0)
            rig.clock.advance(2)
            #expect(try await rig.delivery.deliverDue() == 1)
            let received = try server.received()
            #expect(received.count == 1)
            #expect(received.first?.message_id == "<\(queued.messageID ?? "")>")
            #expect(try rig.store.outboxCounts()[.sent] == 1)
        }
    }

    @Test("A connection dropped at the end of DATA is retried with the same Message-ID; the server holds one copy")
    func dropped() async throws {
        try await LoopbackSMTPServer.with { server in
            let rig = try Rig(store: try Self.store(person: "drop@example.com", delivery: .email), server: server)
            _ = try await rig.queue()
            let queued = try #require(try rig.emailRow())
            #expect(try await rig.delivery.deliverDue() == 0)
            #expect(try rig.store.outboxRow(key: queued.key)?.lastError?.contains("closed the connection") == true)
            rig.clock.advance(2)
            #expect(try await rig.delivery.deliverDue() == 1)
            rig.clock.advance(3600)
            #expect(try await rig.delivery.deliverDue() == 0)
            let received = try server.received()
            #expect(received.count == 1)
            #expect(received.first?.message_id == "<\(queued.messageID ?? "")>")
        }
    }

    @Test("digest --send-now: the pending digest is queued and emailed at once, before its hour, through the outbox")
    func sendNow() async throws {
        try await LoopbackSMTPServer.with { server in
            let store = try Self.store(person: "mike.chen@example.com", delivery: .email)
            // 17:30 is hours away at 10:00: only --send-now sends it now.
            try store.savePreferences(NotificationPreferences(digestHour: 17, digestMinute: 30, digestDelivery: .email), email: "mike.chen@example.com", at: Self.now)
            var configuration = AppConfiguration(databasePath: ":memory:")
            configuration.email = try EmailSettings(file: .init(host: "127.0.0.1", port: "\(server.port)", security: "none", from: "TicketPulse <ticketpulse@example.com>"), environment: [:])
            let clock = Clock()
            let dependencies = AppDependencies(store: store, slack: Self.unusedSlack, now: { clock.now }, email: try Self.client(server))

            let scheduled = DigestScheduler(store: store, messages: AlertMessages(templates: PromptTemplates.locate()))
            #expect(try await scheduled.queueDue(at: Self.now).isEmpty, "not due yet")
            let report = try await DigestSendNow.run(configuration: configuration, dependencies: dependencies, only: "Mike.Chen@example.com", logger: Self.logger)
            #expect(report.queued == ["mike.chen@example.com"])
            #expect(report.sent == 1)
            #expect(report.rows.map(\.state) == [.sent])
            #expect(DigestSendNow.describe(report).contains("email to mike.chen@example.com: sent"))
            #expect(try server.received().count == 1)
            #expect(try store.leaseHolder("leader", now: clock.now) == nil, "the lease is handed back")
            // Nothing pending any more: a second run sends nothing.
            let again = try await DigestSendNow.run(configuration: configuration, dependencies: dependencies, logger: Self.logger)
            #expect(again.queued.isEmpty)
            #expect(DigestSendNow.describe(again) == "No digest is pending.")
        }
    }

    @Test("digest --send-now while a server holds the outbox: queued only, for that server to send")
    func sendNowWithServerRunning() async throws {
        try await LoopbackSMTPServer.with { server in
            let store = try Self.store(person: "mike.chen@example.com", delivery: .email)
            _ = try store.acquireLease("leader", holder: "replica-a", now: Self.now, until: Self.now.addingTimeInterval(10))
            var configuration = AppConfiguration(databasePath: ":memory:")
            configuration.email = try EmailSettings(file: .init(host: "127.0.0.1", port: "\(server.port)", security: "none", from: "ticketpulse@example.com"), environment: [:])
            let dependencies = AppDependencies(store: store, slack: Self.unusedSlack, now: { Self.now }, email: try Self.client(server))
            let report = try await DigestSendNow.run(configuration: configuration, dependencies: dependencies, logger: Self.logger)
            #expect(report.sent == nil && report.leader == "replica-a")
            #expect(report.rows.map(\.state) == [.pending])
            #expect(try server.received().isEmpty)
        }
    }
}
