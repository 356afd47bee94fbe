import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage

/// The webhook routes and connection health through the real application, with a stub
/// Zendesk API (for the ticket a Zendesk webhook makes us fetch) on an ephemeral port.
@Suite("Support-system webhooks")
struct WebhookRoutesTests {
    static let now = Date(timeIntervalSince1970: 1_772_540_000) // 2026-03-03T12:13:20Z
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")
    static let environment = ["ZD_TOKEN": "zd-token", "ZD_SECRET": "zd-webhook-secret", "IC_TOKEN": "ic-token", "IC_SECRET": "ic-secret", "OPS_SECRET": "ops-secret",
                              "ZD_VECTOR_SECRET": "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="]

    static func fixture(_ path: String) -> [UInt8] {
        Array((try? Data(contentsOf: fixtures.appendingPathComponent(path))) ?? Data())
    }

    static func configurations(zendeskURL: String) throws -> [ConnectionConfiguration] {
        let yaml = """
            server: { port: 0 }
            connections:
              - { name: zd-main, system: zendesk, base_url: "\(zendeskURL)", email: bot@ourcompany.example, token_env: ZD_TOKEN, webhook_secret_env: ZD_SECRET, poll_interval_seconds: 3600 }
              - { name: zd-broken, system: zendesk, subdomain: acme-eu, token_env: ZD_EU_TOKEN_UNSET }
              - { name: ic, system: intercom, base_url: "\(zendeskURL)", token_env: IC_TOKEN, webhook_secret_env: IC_SECRET, poll_interval_seconds: 3600 }
              - { name: ops, system: webhook, webhook_secret_env: OPS_SECRET }
              - { name: ops-legacy, system: webhook, webhook_secret_env: OPS_SECRET, legacy_signature: true }
              - { name: zd-vector, system: zendesk, base_url: "\(zendeskURL)", token_env: ZD_TOKEN, webhook_secret_env: ZD_VECTOR_SECRET, poll_interval_seconds: 3600 }
            """
        return try ConnectionsFile.parse(yaml: yaml)
    }

    /// The application with those connections over a fresh store; `stub` counts what the fake Zendesk was asked.
    static func run(now: Date = now, _ body: @escaping @Sendable (SQLiteStore, ZendeskStub, any TestClientProtocol) async throws -> Void) async throws {
        try await ZendeskStub.run { stub, url in
            let store = try SQLiteStore()
            try store.upsertCustomers([Customer(id: "acme", name: "Acme", domains: ["acme.com"]), Customer(id: "initech", name: "Initech", domains: ["initech.example"])])
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let configurations = try configurations(zendeskURL: url)
            let connectors = ConnectorRuntime(
                configurations: configurations, environment: environment, store: store,
                now: { now }, sleeper: idleUntilCancelled, logger: logger
            )
            var configuration = AppConfiguration(databasePath: ":memory:")
            configuration.port = 0
            let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: URL(string: "http://127.0.0.1:9/api")!, httpClient: HTTPClient.shared, logger: logger)
            let app = await buildApplication(configuration: configuration, dependencies: AppDependencies(store: store, slack: slack, now: { now }, connectors: connectors), logger: logger)
            try await app.test(.live) { client in try await body(store, stub, client) }
        }
    }

    /// The services' waits between polls: idle until the application shuts down, so each
    /// connection makes exactly its first pass during a test.
    static let idleUntilCancelled: @Sendable (Duration) async throws -> Void = { _ in
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        for await _ in stream {}
        withExtendedLifetime(continuation) {}
        throw CancellationError()
    }

    static func hex(_ mac: some Sequence<UInt8>) -> String { mac.map { String(format: "%02x", $0) }.joined() }

    /// `t=<unix>,v1=<hex HMAC-SHA256("ops-secret", "<t>." + body)>`, computed by hand.
    static func signed(_ body: [UInt8], at time: Date = now) -> String {
        let stamp = String(Int(time.timeIntervalSince1970))
        return "t=\(stamp),v1=" + hex(HMAC<SHA256>.authenticationCode(for: Array("\(stamp).".utf8) + body, using: SymmetricKey(data: Data("ops-secret".utf8))))
    }

    static let signatureHeader = HTTPField.Name("X-TicketPulse-Signature")!
    static let deliveryHeader = HTTPField.Name("X-TicketPulse-Delivery")!

    static func json(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
    }

    @Test("Generic webhook: signed body stored; bad signature 401, malformed 400, unknown connection 404, nothing stored")
    func generic() async throws {
        try await Self.run { store, _, client in
            let body = Self.fixture("webhook/ticket_created.json")
            let signature = Self.signed(body)

            let forged = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post,
                                                  headers: [Self.signatureHeader: "t=\(Int(Self.now.timeIntervalSince1970)),v1=" + String(repeating: "0", count: 64), .contentType: "application/json"],
                                                  body: ByteBuffer(bytes: body))
            #expect(forged.status == .unauthorized)
            #expect(Self.json(forged)["error"] as? String == "invalid_signature")
            #expect(try store.ticketCount() == 0)

            let malformed = Self.fixture("webhook/malformed_missing_customer.json")
            let malformedSignature = Self.signed(malformed)
            let rejected = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post,
                                                    headers: [Self.signatureHeader: malformedSignature], body: ByteBuffer(bytes: malformed))
            #expect(rejected.status == .badRequest)
            #expect(Self.json(rejected)["error"] as? String == "malformed_payload")
            #expect((Self.json(rejected)["message"] as? String)?.contains("customerId") == true)
            #expect(try store.ticketCount() == 0)

            let unknown = try await client.execute(uri: "/api/webhooks/support/ticket?connection=nope", method: .post,
                                                   headers: [Self.signatureHeader: signature], body: ByteBuffer(bytes: body))
            #expect(unknown.status == .notFound)
            #expect(Self.json(unknown)["error"] as? String == "unknown_connection")

            // Two generic connections: this one is named by the header instead of the query.
            let stored = try await client.execute(uri: "/api/webhooks/support/ticket", method: .post,
                                                  headers: [Self.signatureHeader: signature, Self.deliveryHeader: "dlv-1", HTTPField.Name("X-TicketPulse-Connection")!: "ops",
                                                            .contentType: "application/json"], body: ByteBuffer(bytes: body))
            #expect(stored.status == .ok)
            #expect(Self.json(stored)["status"] as? String == "created")
            let ticket = try #require(try store.ticket(source: .webhook, externalID: "TKT-2026-4521")).ticket
            #expect(ticket.customerID == "acme")

            // The sender retries the same delivery, signed afresh: acknowledged, nothing changes.
            let again = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post,
                                                 headers: [Self.signatureHeader: Self.signed(body, at: Self.now.addingTimeInterval(-5)), Self.deliveryHeader: "dlv-1"], body: ByteBuffer(bytes: body))
            #expect(again.status == .ok)
            #expect(Self.json(again)["status"] as? String == "duplicate")
            #expect(try store.ticketCount() == 1)
        }
    }

    @Test("Generic webhook: a replayed or stale request is 401 and changes nothing; the legacy form only where legacy_signature is set")
    func genericReplayStaleAndLegacy() async throws {
        try await Self.run { store, _, client in
            let created = Self.fixture("webhook/ticket_created.json")
            let resolved = Self.fixture("webhook/ticket_resolved_rated.json")
            let capturedOpen: HTTPFields = [Self.signatureHeader: Self.signed(created, at: Self.now.addingTimeInterval(-120)), Self.deliveryHeader: "dlv-open", .contentType: "application/json"]
            #expect(try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post, headers: capturedOpen, body: ByteBuffer(bytes: created)).status == .ok)
            let solved = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post,
                                                  headers: [Self.signatureHeader: Self.signed(resolved), Self.deliveryHeader: "dlv-solved"], body: ByteBuffer(bytes: resolved))
            #expect(Self.json(solved)["status"] as? String == "updated")
            let events = try store.eventCount()
            let before = try #require(try store.ticket(source: .webhook, externalID: "TKT-2026-4521")).ticket
            #expect(before.status == .solved)

            // The captured "open" request, replayed byte for byte: it would reopen the ticket.
            let replayed = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post, headers: capturedOpen, body: ByteBuffer(bytes: created))
            #expect(replayed.status == .unauthorized)
            #expect(Self.json(replayed)["error"] as? String == "invalid_signature")
            #expect((Self.json(replayed)["message"] as? String)?.contains("replayed") == true)

            // Signed correctly, 6 minutes ago.
            let stale = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post,
                                                 headers: [Self.signatureHeader: Self.signed(created, at: Self.now.addingTimeInterval(-360)), Self.deliveryHeader: "dlv-old"],
                                                 body: ByteBuffer(bytes: created))
            #expect(stale.status == .unauthorized)
            #expect((Self.json(stale)["message"] as? String)?.contains("stale") == true)

            // The old form, on the connection that did not opt in.
            let legacy = "sha256=" + Self.hex(HMAC<SHA256>.authenticationCode(for: created, using: SymmetricKey(data: Data("ops-secret".utf8))))
            let refused = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post,
                                                   headers: [Self.signatureHeader: legacy], body: ByteBuffer(bytes: created))
            #expect(refused.status == .unauthorized)
            #expect((Self.json(refused)["message"] as? String)?.contains("legacy_signature") == true)
            let bearer = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops", method: .post,
                                                  headers: [.authorization: "Bearer ops-secret"], body: ByteBuffer(bytes: created))
            #expect(bearer.status == .unauthorized)

            #expect(try store.eventCount() == events)
            #expect(try store.ticket(source: .webhook, externalID: "TKT-2026-4521")?.ticket == before)

            // The connection with legacy_signature: true takes it (and stores what it says).
            let accepted = try await client.execute(uri: "/api/webhooks/support/ticket?connection=ops-legacy", method: .post,
                                                    headers: [Self.signatureHeader: legacy], body: ByteBuffer(bytes: created))
            #expect(accepted.status == .ok)
        }
    }

    @Test("Zendesk webhook: verified, then the ticket is fetched and stored; a bad signature fetches nothing")
    func zendesk() async throws {
        try await Self.run { store, stub, client in
            let body = Self.fixture("zendesk/webhook_ticket_status_changed.json")
            let timestamp = Self.now.addingTimeInterval(-10).formatted(.iso8601)
            let signature = Data(HMAC<SHA256>.authenticationCode(for: Array(timestamp.utf8) + body, using: SymmetricKey(data: Data("zd-webhook-secret".utf8)))).base64EncodedString()
            var headers: HTTPFields = [
                HTTPField.Name("X-Zendesk-Webhook-Signature")!: signature,
                HTTPField.Name("X-Zendesk-Webhook-Signature-Timestamp")!: timestamp,
                .contentType: "application/json",
            ]
            var tampered = headers
            tampered[HTTPField.Name("X-Zendesk-Webhook-Signature")!] = Data(repeating: 7, count: 32).base64EncodedString()
            let refused = try await client.execute(uri: "/webhooks/zendesk/zd-main", method: .post, headers: tampered, body: ByteBuffer(bytes: body))
            #expect(refused.status == .unauthorized)
            #expect(Self.json(refused)["error"] as? String == "invalid_signature")
            #expect(stub.ticketFetches == 0)
            #expect(try store.ticketCount() == 0)

            var stale = headers
            let oldStamp = Self.now.addingTimeInterval(-301).formatted(.iso8601)
            stale[HTTPField.Name("X-Zendesk-Webhook-Signature-Timestamp")!] = oldStamp
            stale[HTTPField.Name("X-Zendesk-Webhook-Signature")!] = Data(HMAC<SHA256>.authenticationCode(for: Array(oldStamp.utf8) + body, using: SymmetricKey(data: Data("zd-webhook-secret".utf8)))).base64EncodedString()
            #expect(try await client.execute(uri: "/webhooks/zendesk/zd-main", method: .post, headers: stale, body: ByteBuffer(bytes: body)).status == .unauthorized)

            #expect(try await client.execute(uri: "/webhooks/zendesk/nope", method: .post, headers: headers, body: ByteBuffer(bytes: body)).status == .notFound)
            let broken = try await client.execute(uri: "/webhooks/zendesk/zd-broken", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(broken.status == .serviceUnavailable)
            #expect((Self.json(broken)["message"] as? String)?.contains("ZD_EU_TOKEN_UNSET") == true)

            let accepted = try await client.execute(uri: "/webhooks/zendesk/zd-main", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(accepted.status == .ok)
            #expect(Self.json(accepted)["ticket"] as? String == "104")
            #expect(stub.ticketFetches == 1)
            let ticket = try #require(try store.ticket(source: .zendesk, externalID: "104")).ticket
            #expect(ticket.customerID == "initech")
            #expect(try store.ticketCount() == 1)

            headers[.contentType] = "application/json"
            let noID = Array(#"{"type":"zen:event-type:ticket.status_changed"}"#.utf8)
            headers[HTTPField.Name("X-Zendesk-Webhook-Signature")!] = Data(HMAC<SHA256>.authenticationCode(for: Array(timestamp.utf8) + noID, using: SymmetricKey(data: Data("zd-webhook-secret".utf8)))).base64EncodedString()
            let malformed = try await client.execute(uri: "/webhooks/zendesk/zd-main", method: .post, headers: headers, body: ByteBuffer(bytes: noID))
            #expect(malformed.status == .badRequest)
            #expect(try store.ticketCount() == 1)
        }
    }

    @Test("Zendesk's published signature vector passes through the route")
    func publishedVector() async throws {
        try await Self.run(now: Date(timeIntervalSince1970: 1_627_207_230)) { store, _, client in
            // zd-vector's secret is the vector's; the clock is 30 s after its timestamp.
            _ = store
            let body = ByteBuffer(string: #"{"say": "hello"}"#)
            let headers: HTTPFields = [
                HTTPField.Name("X-Zendesk-Webhook-Signature")!: "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=",
                HTTPField.Name("X-Zendesk-Webhook-Signature-Timestamp")!: "2021-07-25T10:00:00Z",
            ]
            let response = try await client.execute(uri: "/webhooks/zendesk/zd-vector", method: .post, headers: headers, body: body)
            // Signature accepted; the body names no ticket, so it is refused as malformed, not unauthorized.
            #expect(response.status == .badRequest)
            #expect((Self.json(response)["message"] as? String)?.contains("no ticket id") == true)
            let tampered = try await client.execute(uri: "/webhooks/zendesk/zd-vector", method: .post, headers: headers, body: ByteBuffer(string: #"{"say": "hello!"}"#))
            #expect(tampered.status == .unauthorized)
        }
    }

    @Test("Intercom webhook stored from its body; /healthz lists connections and the unhealthy one")
    func intercomAndHealth() async throws {
        try await Self.run { store, _, client in
            let body = Self.fixture("intercom/webhook_conversation_rating_added.json")
            let signature = "sha1=" + Self.hex(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Data("ic-secret".utf8))))
            let wrong = try await client.execute(uri: "/webhooks/intercom/ic", method: .post, headers: [HTTPField.Name("X-Hub-Signature")!: "sha1=00"], body: ByteBuffer(bytes: body))
            #expect(wrong.status == .unauthorized)
            let stored = try await client.execute(uri: "/webhooks/intercom/ic", method: .post, headers: [HTTPField.Name("X-Hub-Signature")!: signature], body: ByteBuffer(bytes: body))
            #expect(stored.status == .ok)
            let conversation = try #require(try store.ticket(source: .intercom, externalID: "147000001")).ticket
            #expect(conversation.customerID == "acme")

            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let json = Self.json(health)
            #expect(json["status"] as? String == "degraded")
            #expect(json["unhealthy_connections"] as? [String] == ["zd-broken"])
            let entries = json["connections"] as? [[String: Any]] ?? []
            #expect(entries.compactMap { $0["name"] as? String }.sorted() == ["ic", "ops", "ops-legacy", "zd-broken", "zd-main", "zd-vector"])
            let broken = entries.first { $0["name"] as? String == "zd-broken" }
            #expect(broken?["healthy"] as? Bool == false)
            #expect((broken?["last_error"] as? String)?.contains("ZD_EU_TOKEN_UNSET") == true)
        }
    }
}

/// The Zendesk API as far as a webhook needs it: ticket 104, and an empty export for the poll.
final class ZendeskStub: Sendable {
    private let fetches = Mutex(0)
    var ticketFetches: Int { fetches.withLock { $0 } }

    static func run(_ body: @escaping @Sendable (ZendeskStub, String) async throws -> Void) async throws {
        let stub = ZendeskStub()
        let router = Router()
        router.get("/api/v2/tickets/104.json") { _, _ -> Response in
            stub.fetches.withLock { $0 += 1 }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: WebhookRoutesTests.fixture("zendesk/ticket_104.json"))))
        }
        router.get("/api/v2/incremental/tickets/cursor.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: WebhookRoutesTests.fixture("zendesk/export_empty.json"))))
        }
        router.post("/conversations/search") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"type":"conversation.list","conversations":[],"total_count":0}"#)))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "zendesk-stub")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0); continuation.finish() }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                return
            }
            do {
                try await body(stub, "http://127.0.0.1:\(port)")
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }
}
