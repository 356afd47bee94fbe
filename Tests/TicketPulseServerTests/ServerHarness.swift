import AsyncHTTPClient
import Foundation
import TicketPulseEmail
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TicketPulseCore
import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// The server on an ephemeral port, talking to the in-process fake Slack through the real
/// Web API client, over a small store; the clock is fixed and every wait is recorded.
struct ServerHarness {
    static let signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let now = Date(timeIntervalSince1970: 1_763_478_000) // 2025-11-18T15:00:00Z
    static let mike = CSM(email: "mike.chen@example.com", name: "Mike Chen", slackUserID: "U0CSM0001", role: .csm)

    let fake: FakeSlack
    let time: FakeTime
    let store: SQLiteStore
    /// The fake's `/api` base URL; response URLs live beside it at `/response/{id}`.
    let slackURL: URL
    let verifier = SlackSignatureVerifier(signingSecret: signingSecret, now: { now })

    /// `alerts` runs the detectors, the outbox worker and digests as `serve` does; off, the
    /// fake Slack sees only what questions and buttons cause.
    /// `store` (made with `makeStore()`) lets a test run the server again over what a first
    /// run left: a restart.
    /// `journal` (a file one) lets a test start the server over what a killed one left.
    /// `prepare` runs against the fake before the server starts.
    /// `socketMode` turns Socket Mode on, connecting through it (`SocketModeHarness`).
    /// `email` sets up `email:` and what sends it (the loopback SMTP server's client).
    /// `replicaID` names this server among replicas sharing the store.
    static func run(alerts: Bool = false, store: SQLiteStore? = nil, journal: SlackJobJournal = .inMemory(), replicaID: String = "test-replica",
                    socketMode: SocketModeDependencies? = nil,
                    email: (settings: EmailSettings, sender: any EmailSending)? = nil,
                    prepare: @Sendable (FakeSlack, URL) async throws -> Void = { _, _ in },
                    _ body: @escaping @Sendable (ServerHarness, any TestClientProtocol) async throws -> Void) async throws {
        try await FakeSlack.run { fake, url in
            try await prepare(fake, url)
            let store = try store ?? makeStore()
            let time = FakeTime(start: ContinuousClock.now)
            var configuration = AppConfiguration(databasePath: ":memory:")
            configuration.port = 0
            configuration.slack.signingSecret = signingSecret
            configuration.slack.botToken = "xoxb-test"
            configuration.slack.botUserID = "U0BOT0001"
            // One at a time, so the order of posts follows the order of events.
            configuration.slack.workerConcurrency = 1
            configuration.alertsEnabled = alerts
            configuration.slack.socketMode = socketMode != nil
            configuration.email = email?.settings
            var logger = Logger(label: "test")
            logger.logLevel = .error
            let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: url, httpClient: HTTPClient.shared,
                                          retryPolicy: SlackRetryPolicy(random: { 0.5 }), sleeper: time.sleeper, now: time.now, logger: logger)
            let app = await buildApplication(configuration: configuration, dependencies: AppDependencies(store: store, slack: slack, now: { now }, jobJournal: journal, replicaID: replicaID, socketMode: socketMode,
                                                                                                                 email: email?.sender), logger: logger)
            let harness = ServerHarness(fake: fake, time: time, store: store, slackURL: url)
            try await app.test(.live) { client in try await body(harness, client) }
        }
    }

    /// Mike's book: Acme Corp with an open P1 and a pending billing question; in a file
    /// that several processes share when `sharedPath` is given.
    static func makeStore(sharedPath: String? = nil) throws -> SQLiteStore {
        let store = try sharedPath.map { try SQLiteStore(path: $0, shared: true) } ?? SQLiteStore()
        try store.upsertCSMs([mike])
        try store.upsertCustomers([Customer(id: "cus_acme", name: "Acme Corp", aliases: ["Acme"], domains: ["acme.io"], tier: .enterprise, arr: 480_000, csmEmail: mike.email, healthScore: 78)])
        try store.upsert([
            Ticket(source: .zendesk, externalID: "4521", customerID: "cus_acme", subject: "SSO login fails", status: .open, priority: .p1, createdAt: now.addingTimeInterval(-7200)),
            Ticket(source: .zendesk, externalID: "4522", customerID: "cus_acme", subject: "Invoice question", status: .pending, priority: .p3, category: .billing, createdAt: now.addingTimeInterval(-90_000)),
        ], at: now)
        return store
    }

    /// Headers Slack would send with `body`, signed at the harness's fixed time.
    func signedHeaders(_ body: String, contentType: String = "application/json", retry: Int? = nil) -> HTTPFields {
        let timestamp = String(Int(Self.now.timeIntervalSince1970))
        var headers: HTTPFields = [
            .contentType: contentType,
            HTTPField.Name("X-Slack-Request-Timestamp")!: timestamp,
            HTTPField.Name("X-Slack-Signature")!: verifier.signature(body: Array(body.utf8), timestamp: timestamp),
        ]
        if let retry {
            headers[HTTPField.Name("X-Slack-Retry-Num")!] = String(retry)
            headers[HTTPField.Name("X-Slack-Retry-Reason")!] = "http_timeout"
        }
        return headers
    }

    static func appMention(eventID: String, ts: String, text: String = "<@U0BOT0001> show support tickets for Acme", user: String = "U0CSM0001") -> String {
        """
        {"token":"x","team_id":"T0TEAM0001","api_app_id":"A0APP0001","type":"event_callback","event_id":"\(eventID)","event_time":1763478000,
         "event":{"type":"app_mention","user":"\(user)","text":"\(text)","ts":"\(ts)","channel":"C0ESC0001","event_ts":"\(ts)"},
         "authorizations":[{"team_id":"T0TEAM0001","user_id":"U0BOT0001","is_bot":true}]}
        """
    }
}
