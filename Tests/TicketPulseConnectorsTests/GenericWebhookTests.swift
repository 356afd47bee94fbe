import Crypto
import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseStore

@Suite struct GenericWebhookTests {
    static let secret = "generic-secret"
    static let configuration = ConnectionConfiguration(name: "ops-webhook", system: .webhook, webhookSecretEnv: "TP_WEBHOOK_SECRET")

    func ingestor(store: TicketStore, time: TestTime) throws -> WebhookIngestor {
        let engine = SyncEngine(connection: Self.configuration, source: WebhookOnlySource(), store: store, state: InMemoryConnectorStateStore(), now: time.now)
        return try WebhookIngestor(connection: Self.configuration, secrets: ConnectionSecrets(webhookSecret: Self.secret), engine: engine, store: store, now: time.now)
    }

    static func signature(_ body: [UInt8], secret: String = secret) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    @Test func signedBodyBecomesAWebhookTicketAndUpdatesKeepHistory() async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let ingestor = try ingestor(store: store, time: time)
        let created = Fixtures.bytes("webhook/ticket_created.json")
        let first = try await ingestor.ingest(headers: ["x-ticketpulse-signature": Self.signature(created)], body: created)
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
        // Bearer secret works for senders that cannot sign.
        let second = try await ingestor.ingest(headers: ["authorization": "Bearer \(Self.secret)"], body: resolved)
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
        let cases: [[String: String]] = [
            ["x-ticketpulse-signature": Self.signature(body, secret: "nope")],
            ["x-ticketpulse-signature": "sha256=zz"],
            ["x-ticketpulse-signature": Self.signature(body + [0x20])],
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
            _ = try await ingestor(store: store, time: time).ingest(headers: ["x-ticketpulse-signature": Self.signature(body)], body: body)
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
}
