import Crypto
import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseStore

/// Issue 5's two numbers, measured against the in-process fakes and a store on disk. They
/// take a while, so they run only with `TICKETPULSE_PERF=1`:
///
///     TICKETPULSE_PERF=1 swift test --skip-build --filter ConnectorPerformanceTests
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TICKETPULSE_PERF"] == "1"), .serialized)
struct ConnectorPerformanceTests {
    static let pageSize = 1000

    /// A Zendesk export of `total` tickets, 1000 per page, chained by cursors, with the
    /// users side-load; generated on the fly in the real shape.
    static func exportHandler(total: Int) -> @Sendable (FakeServer.Call) -> FakeServer.Reply {
        { call in
            guard call.path == "/api/v2/incremental/tickets/cursor.json" else { return .status(404) }
            let page = Int(call.query["cursor"] ?? "0") ?? 0
            let first = page * pageSize
            let last = min(total, first + pageSize)
            var tickets: [String] = []
            var users: [String] = []
            for id in first..<max(first, last) {
                let stamp = 1_772_000_000 + id / 3  // three tickets per second: shared timestamps
                let created = SourceDateForTests.iso(Date(timeIntervalSince1970: Double(stamp)))
                tickets.append(#"{"id":\#(id + 1),"subject":"Ticket \#(id + 1)","description":"Generated","status":"\#(["new", "open", "pending", "solved"][id % 4])","priority":"\#(["urgent", "high", "normal", "low"][id % 4])","type":"incident","organization_id":\#(9000 + id % 50),"requester_id":\#(50000 + id % 500),"assignee_id":7001,"tags":["api"],"custom_fields":[],"satisfaction_rating":null,"created_at":"\#(created)","updated_at":"\#(created)","generated_timestamp":\#(stamp)}"#)
            }
            for user in Set((first..<max(first, last)).map { 50000 + $0 % 500 }).sorted() {
                users.append(#"{"id":\#(user),"name":"User \#(user)","email":"user\#(user)@customer\#(user % 50).example"}"#)
            }
            let end = last >= total
            let body = #"{"tickets":[\#(tickets.joined(separator: ","))],"users":[\#(users.joined(separator: ","))],"after_cursor":"\#(page + 1)","end_of_stream":\#(end)}"#
            return .json(Data(body.utf8))
        }
    }

    @Test func historicalSyncOf100kTicketsFromTheFakeZendesk() async throws {
        let total = 100_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-perf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await FakeServer.run(handler: Self.exportHandler(total: total)) { _, url in
            let store = try TicketStore(path: directory.appendingPathComponent("perf.sqlite").path)
            try store.upsertCustomers((0..<50).map { Customer(id: "c\($0)", name: "Customer \($0)", domains: ["customer\($0).example"]) })
            let configuration = ConnectionConfiguration(name: "zd-perf", system: .zendesk, baseURL: url, email: "bot@x.example", tokenEnv: "T")
            let client = try ZendeskClient(configuration: configuration, secrets: ConnectionSecrets(token: "t"), http: ConnectorHTTPClient(), now: { fixtureNow })
            let engine = SyncEngine(connection: configuration, source: client, store: store, state: StoreConnectorStateStore(store: store))
            let clock = ContinuousClock()
            let start = clock.now
            let report = try await engine.syncOnce()
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("PERF historical sync: \(report.tickets) tickets, \(report.pages) pages in \(String(format: "%.2f", seconds)) s = \(Int(Double(report.tickets) / seconds)) tickets/s")
            #expect(report.tickets == total)
            #expect(try store.ticketCount() == total)
            #expect(try store.unmatchedTicketCount() == 0)
            #expect(seconds < 30)
        }
    }

    @Test func genericWebhookToStoredTicketLatency() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-perf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try TicketStore(path: directory.appendingPathComponent("perf.sqlite").path)
        try store.upsertCustomers([Customer(id: "acme", name: "Acme", domains: ["acme.com"])])
        let configuration = ConnectionConfiguration(name: "ops", system: .webhook, webhookSecretEnv: "S")
        let engine = SyncEngine(connection: configuration, source: WebhookOnlySource(), store: store, state: StoreConnectorStateStore(store: store))
        let ingestor = try WebhookIngestor(connection: configuration, secrets: ConnectionSecrets(webhookSecret: "secret"), engine: engine, store: store)
        let key = SymmetricKey(data: Data("secret".utf8))
        let clock = ContinuousClock()
        var latencies: [Duration] = []
        for index in 0..<2000 {
            // Every third delivery updates an earlier ticket (status change), the others are new.
            let id = index % 3 == 2 ? index - 1 : index
            let status = index % 3 == 2 ? #","status":"solved""# : ""
            let body = Array(#"{"ticketId":"T-\#(id)","customerId":"acme","category":"outage","severity":"high","subject":"Webhook \#(id)","createdAt":"2026-03-02T08:15:00Z"\#(status)}"#.utf8)
            let signature = "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: key).map { String(format: "%02x", $0) }.joined()
            let start = clock.now
            _ = try await ingestor.ingest(headers: ["x-ticketpulse-signature": signature], body: body)
            latencies.append(clock.now - start)
        }
        latencies.sort()
        func ms(_ d: Duration) -> Double { (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) * 1000 }
        let p50 = ms(latencies[latencies.count / 2]), p99 = ms(latencies[latencies.count * 99 / 100]), worst = ms(latencies.last!)
        print("PERF webhook → stored: p50 \(String(format: "%.2f", p50)) ms, p99 \(String(format: "%.2f", p99)) ms, max \(String(format: "%.2f", worst)) ms over \(latencies.count)")
        #expect(try store.ticketCount() == 1334)
        #expect(p99 < 50)
    }
}
