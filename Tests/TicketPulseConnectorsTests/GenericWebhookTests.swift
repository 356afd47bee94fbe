import Crypto
import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

@Suite struct GenericWebhookTests {
    static let secret = "generic-secret"
    static let configuration = ConnectionConfiguration(name: "ops-webhook", system: .webhook, webhookSecretEnv: "TP_WEBHOOK_SECRET")
    static let legacyConfiguration = ConnectionConfiguration(name: "ops-legacy", system: .webhook, webhookSecretEnv: "TP_WEBHOOK_SECRET", legacySignature: true)

    func ingestor(store: SQLiteStore, time: TestTime, configuration: ConnectionConfiguration = configuration) throws -> WebhookIngestor {
        let engine = SyncEngine(connection: configuration, source: WebhookOnlySource(), store: store, state: InMemoryConnectorStateStore(), now: time.now)
        return try WebhookIngestor(connection: configuration, secrets: ConnectionSecrets(webhookSecret: Self.secret), engine: engine, store: store, now: time.now)
    }

    /// The current form, computed here by hand (not with the code under test's helper):
    /// `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`.
    static func signature(_ body: [UInt8], at time: Date, secret: String = secret) -> String {
        let stamp = String(Int(time.timeIntervalSince1970))
        return "t=\(stamp),v1=" + hex(HMAC<SHA256>.authenticationCode(for: Array("\(stamp).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8))))
    }

    /// The legacy form: `sha256=<hex HMAC-SHA256(secret, body)>`, no time.
    static func legacySignature(_ body: [UInt8], secret: String = secret) -> String {
        "sha256=" + hex(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Everything the store holds about tickets, to show a refused delivery changed nothing.
    static func snapshot(_ store: SQLiteStore) throws -> (tickets: Int, events: Int, ticket: Ticket?) {
        (try store.ticketCount(), try store.eventCount(), try store.ticket(source: .webhook, externalID: "TKT-2026-4521")?.ticket)
    }

    static func expectUnauthorized(_ ingestor: WebhookIngestor, _ headers: [String: String], _ body: [UInt8], mentioning word: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            _ = try await ingestor.ingest(headers: headers, body: body)
            Issue.record("accepted \(headers)", sourceLocation: sourceLocation)
        } catch let error as WebhookError {
            #expect(error.httpStatus == 401, sourceLocation: sourceLocation)
            #expect(error.description.contains(word), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func signedBodyBecomesAWebhookTicketAndUpdatesKeepHistory() async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let ingestor = try ingestor(store: store, time: time)
        let created = Fixtures.bytes("webhook/ticket_created.json")
        let first = try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(created, at: time.current)], body: created)
        #expect(first.result?.inserted == true)
        var ticket = try #require(try store.ticket(source: .webhook, externalID: "TKT-2026-4521")).ticket
        #expect(ticket.customerID == "acme")
        #expect(ticket.matchRule == "webhook")
        #expect(ticket.priority == .p1)
        #expect(ticket.category == .outage)
        #expect(ticket.status == .open)
        #expect(ticket.requesterEmail == "ops@acme.com")

        time.advance(3600)
        let resolved = Fixtures.bytes("webhook/ticket_resolved_rated.json")
        let second = try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(resolved, at: time.current)], body: resolved)
        #expect(Set(second.result?.events.map(\.kind) ?? []) == [.status, .escalated, .csatReceived])
        ticket = try #require(try store.ticket(source: .webhook, externalID: "TKT-2026-4521")).ticket
        #expect(ticket.status == .solved)
        #expect(ticket.csat?.score == 2)
        #expect(ticket.isEscalated)
        // Fields the update left out keep their value.
        #expect(ticket.description == "Every call to /v2/orders fails since 08:10 UTC.")
        #expect(try store.ticketCount() == 1)
    }

    @Test func badSignaturesAreUnauthorizedAndStoreNothing() async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let ingestor = try ingestor(store: store, time: time)
        let body = Fixtures.bytes("webhook/ticket_created.json")
        let now = time.current
        let good = Self.signature(body, at: now)
        let cases: [[String: String]] = [
            ["x-ticketpulse-signature": Self.signature(body, at: now, secret: "nope")],
            ["x-ticketpulse-signature": Self.signature(body + [0x20], at: now)],
            // The MAC of t=now, presented with another t.
            ["x-ticketpulse-signature": good.replacingOccurrences(of: "t=\(Int(now.timeIntervalSince1970))", with: "t=\(Int(now.timeIntervalSince1970) + 1)")],
            ["x-ticketpulse-signature": "t=\(Int(now.timeIntervalSince1970)),v1=zz"],
            ["x-ticketpulse-signature": "t=soon,v1=" + String(repeating: "0", count: 64)],
            ["x-ticketpulse-signature": "v1=" + String(repeating: "0", count: 64)],
            ["x-ticketpulse-signature": String(repeating: "t=1,", count: 1000)],
            ["x-ticketpulse-signature": "sha256=zz"],
            ["authorization": "Bearer wrong"],
            ["authorization": "Basic Z2VuZXJpYy1zZWNyZXQ="],
            [:],
        ]
        for headers in cases {
            await #expect(throws: WebhookError.self) { try await ingestor.ingest(headers: headers, body: body) }
        }
        #expect(try store.ticketCount() == 0)
    }

    @Test(arguments: [
        "webhook/malformed_missing_customer.json", "webhook/malformed_bad_csat.json", "webhook/malformed_bad_date.json",
        "webhook/malformed_severity.json", "webhook/malformed_truncated.json",
    ])
    func malformedBodiesAre400WithAJSONErrorAndStoreNothing(fixture: String) async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let body = Fixtures.bytes(fixture)
        do {
            _ = try await ingestor(store: store, time: time).ingest(headers: ["x-ticketpulse-signature": Self.signature(body, at: time.current)], body: body)
            Issue.record("expected \(fixture) to be refused")
        } catch let error as WebhookError {
            #expect(error.httpStatus == 400)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(error.jsonBody)) as? [String: String])
            #expect(json["error"] == "malformed_payload")
            #expect(json["detail"]?.isEmpty == false)
        }
        #expect(try store.ticketCount() == 0)
        #expect(try store.eventCount() == 0)
    }

    @Test func aReplayedRequestIsUnauthorizedAndChangesNothing() async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let ingestor = try ingestor(store: store, time: time)
        let created = Fixtures.bytes("webhook/ticket_created.json")
        let resolved = Fixtures.bytes("webhook/ticket_resolved_rated.json")
        let capturedOpen = ["x-ticketpulse-signature": Self.signature(created, at: time.current), "x-ticketpulse-delivery": "dlv-1"]
        _ = try await ingestor.ingest(headers: capturedOpen, body: created)
        time.advance(60)
        _ = try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(resolved, at: time.current), "x-ticketpulse-delivery": "dlv-2"], body: resolved)
        let before = try Self.snapshot(store)
        #expect(before.ticket?.status == .solved)

        // The captured "open" delivery, replayed 2 minutes later (inside the window), would reopen the ticket.
        time.advance(60)
        await Self.expectUnauthorized(ingestor, capturedOpen, created, mentioning: "replayed")
        // Without the delivery header, or with another one (it is not signed), still a replay.
        await Self.expectUnauthorized(ingestor, ["x-ticketpulse-signature": capturedOpen["x-ticketpulse-signature"]!], created, mentioning: "replayed")
        await Self.expectUnauthorized(ingestor, capturedOpen.merging(["x-ticketpulse-delivery": "dlv-forged"]) { $1 }, created, mentioning: "replayed")
        let after = try Self.snapshot(store)
        #expect(after.tickets == before.tickets && after.events == before.events)
        #expect(after.ticket == before.ticket)
        #expect(after.ticket?.status == .solved)
    }

    @Test func aReplayAfterARestartIsStillRefused() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tp-webhook-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let time = TestTime(fixtureNow)
        let body = Fixtures.bytes("webhook/ticket_created.json")
        let headers = ["x-ticketpulse-signature": Self.signature(body, at: time.current)]
        do {
            let store = try SQLiteStore(path: path)
            try store.upsertCustomers(ZendeskFake.customers)
            #expect(try await ingestor(store: store, time: time).ingest(headers: headers, body: body).result?.inserted == true)
        }
        time.advance(120)
        // A new process: new store connection, engine and ingestor over the same file.
        let reopened = try SQLiteStore(path: path)
        let events = try reopened.eventCount()
        let restarted = try ingestor(store: reopened, time: time)
        await Self.expectUnauthorized(restarted, headers, body, mentioning: "replayed")
        #expect(try reopened.eventCount() == events)
        #expect(try reopened.ticketCount() == 1)
    }

    @Test func aStaleOrFutureTimestampIsUnauthorizedAndStoresNothing() async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let ingestor = try ingestor(store: store, time: time)
        let body = Fixtures.bytes("webhook/ticket_created.json")
        // Signed correctly, but 301 s ago / 301 s ahead of our clock.
        await Self.expectUnauthorized(ingestor, ["x-ticketpulse-signature": Self.signature(body, at: time.current.addingTimeInterval(-301))], body, mentioning: "stale")
        await Self.expectUnauthorized(ingestor, ["x-ticketpulse-signature": Self.signature(body, at: time.current.addingTimeInterval(301))], body, mentioning: "stale")
        #expect(try store.ticketCount() == 0)
        #expect(try store.eventCount() == 0)
        // At the edge of the window it is still accepted.
        #expect(try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(body, at: time.current.addingTimeInterval(-300))], body: body).result?.inserted == true)
    }

    @Test func aResentDeliveryIsAcknowledgedWithoutChangingAnything() async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let ingestor = try ingestor(store: store, time: time)
        let created = Fixtures.bytes("webhook/ticket_created.json")
        let resolved = Fixtures.bytes("webhook/ticket_resolved_rated.json")
        _ = try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(created, at: time.current), "x-ticketpulse-delivery": "dlv-1"], body: created)
        time.advance(30)
        _ = try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(resolved, at: time.current), "x-ticketpulse-delivery": "dlv-2"], body: resolved)
        let before = try Self.snapshot(store)
        // The sender retries dlv-1 (it never saw our answer), signed afresh: acknowledged, not applied.
        time.advance(30)
        let retry = try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(created, at: time.current), "x-ticketpulse-delivery": "dlv-1"], body: created)
        #expect(retry.duplicate)
        #expect(retry.result == nil)
        let after = try Self.snapshot(store)
        #expect(after.events == before.events)
        #expect(after.ticket?.status == .solved)

        // Ids are kept twice the window (a request is accepted up to 5 min either side), then forgotten.
        #expect(try store.webhookDeliveryKeyCount() == 4)
        time.advance(601)
        let late = Fixtures.bytes("webhook/ticket_created.json")
        _ = try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(late, at: time.current), "x-ticketpulse-delivery": "dlv-3"], body: late)
        #expect(try store.webhookDeliveryKeyCount() == 2)

        await #expect(throws: WebhookError.malformed("X-TicketPulse-Delivery must be 1–200 printable ASCII characters without spaces")) {
            try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(created, at: time.current), "x-ticketpulse-delivery": String(repeating: "x", count: 201)], body: created)
        }
    }

    @Test func theLegacyFormsAreRefusedUnlessTheConnectionAllowsThem() async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let created = Fixtures.bytes("webhook/ticket_created.json")
        let strict = try ingestor(store: store, time: time)
        await Self.expectUnauthorized(strict, ["x-ticketpulse-signature": Self.legacySignature(created)], created, mentioning: "legacy_signature: true")
        await Self.expectUnauthorized(strict, ["authorization": "Bearer \(Self.secret)"], created, mentioning: "legacy_signature: true")
        #expect(try store.ticketCount() == 0)

        let legacy = try ingestor(store: store, time: time, configuration: Self.legacyConfiguration)
        #expect(try await legacy.ingest(headers: ["x-ticketpulse-signature": Self.legacySignature(created)], body: created).result?.inserted == true)
        time.advance(3600)
        // Bearer secret for senders that cannot sign, also only with legacy_signature.
        let resolved = Fixtures.bytes("webhook/ticket_resolved_rated.json")
        #expect(try await legacy.ingest(headers: ["authorization": "Bearer \(Self.secret)"], body: resolved).result?.events.isEmpty == false)
        await Self.expectUnauthorized(legacy, ["x-ticketpulse-signature": Self.legacySignature(created, secret: "nope")], created, mentioning: "does not match")
        // The current form keeps working, with its replay protection, on a legacy connection.
        let signed = ["x-ticketpulse-signature": Self.signature(resolved, at: time.current)]
        _ = try await legacy.ingest(headers: signed, body: resolved)
        await Self.expectUnauthorized(legacy, signed, resolved, mentioning: "replayed")
    }

    @Test func legacySignatureIsValidatedLikeTheOtherKeys() throws {
        let parsed = try ConnectionsFile.parse(yaml: """
            connections:
              - { name: ops, system: webhook, webhook_secret_env: S, legacy_signature: true }
              - { name: new, system: webhook, webhook_secret_env: S }
            """)
        #expect(parsed.map(\.legacySignature) == [true, false])
        for (yaml, expected) in [
            ("connections:\n  - { name: zd, system: zendesk, subdomain: x, token_env: T, legacy_signature: true }", "connections[0].legacy_signature (zd): only the generic webhook"),
            ("connections:\n  - { name: ops, system: webhook, webhook_secret_env: S, legacy_signature: sometimes }", "connections[0].legacy_signature"),
        ] {
            #expect(throws: ConnectionsFileError.self) { try ConnectionsFile.parse(yaml: yaml, source: "t.yml") }
            do { _ = try ConnectionsFile.parse(yaml: yaml, source: "t.yml") } catch {
                #expect(String(describing: error).hasPrefix("t.yml: " + expected), "\(error)")
            }
        }
    }
}
