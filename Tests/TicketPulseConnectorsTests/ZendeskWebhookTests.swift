import Crypto
import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

@Suite struct ZendeskWebhookTests {
    /// Zendesk's published vector; it verifies as body followed by timestamp.
    @Test func publishedVectorVerifies() throws {
        let sent = try #require(SourceDateForTests.parse("2021-07-25T10:00:00Z"))
        try WebhookSignature.verifyZendesk(
            secret: "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=", signature: "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=",
            timestamp: "2021-07-25T10:00:00Z", body: Array(#"{"say": "hello"}"#.utf8), now: sent.addingTimeInterval(30)
        )
        #expect(throws: WebhookError.self) {
            try WebhookSignature.verifyZendesk(
                secret: "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=", signature: "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=",
                timestamp: "2021-07-25T10:00:00Z", body: Array(#"{"say": "hello!"}"#.utf8), now: sent
            )
        }
    }

    static func sign(_ message: [UInt8], secret: String = "zd-webhook-secret") -> String {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    func ingestor(_ url: String, store: SQLiteStore, time: TestTime) throws -> WebhookIngestor {
        let engine = try ZendeskFake.engine(url, store: store, state: InMemoryConnectorStateStore(), time: time)
        return try WebhookIngestor(connection: ZendeskFake.configuration(url), secrets: ZendeskFake.secrets, engine: engine, store: store, now: time.now)
    }

    @Test(arguments: [false, true])
    func validSignatureFetchesAndStoresTheTicket(timestampFirst: Bool) async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let body = Fixtures.bytes("zendesk/webhook_ticket_status_changed.json")
            let stamp = SourceDateForTests.iso(fixtureNow.addingTimeInterval(-20))
            let signed = timestampFirst ? Array(stamp.utf8) + body : body + Array(stamp.utf8)
            let headers = ["x-zendesk-webhook-signature": Self.sign(signed), "x-zendesk-webhook-signature-timestamp": stamp]
            let outcome = try await ingestor(url, store: store, time: time).ingest(headers: headers, body: body)
            #expect(outcome.externalID == "104")
            #expect(fake.calls.map(\.path) == ["/api/v2/tickets/104.json"])
            let ticket = try #require(try store.ticket(source: .zendesk, externalID: "104")).ticket
            #expect(ticket.status == .open)
            #expect(ticket.priority == .p1)
            #expect(ticket.customerID == "initech")
        }
    }

    @Test func badSignatureIsRefusedAndNothingIsStored() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let body = Fixtures.bytes("zendesk/webhook_ticket_status_changed.json")
            let stamp = SourceDateForTests.iso(fixtureNow)
            let cases: [[String: String]] = [
                ["x-zendesk-webhook-signature": Self.sign(body + Array(stamp.utf8), secret: "wrong"), "x-zendesk-webhook-signature-timestamp": stamp],
                ["x-zendesk-webhook-signature": "not base64 at all", "x-zendesk-webhook-signature-timestamp": stamp],
                ["x-zendesk-webhook-signature-timestamp": stamp],
                [:],
            ]
            for headers in cases {
                await #expect {
                    try await ingestor(url, store: store, time: time).ingest(headers: headers, body: body)
                } throws: { ($0 as? WebhookError)?.httpStatus == 401 }
            }
            #expect(fake.calls.isEmpty)
            #expect(try store.ticketCount() == 0)
        }
    }

    @Test func staleTimestampIsRefused() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let body = Fixtures.bytes("zendesk/webhook_ticket_status_changed.json")
            let stamp = SourceDateForTests.iso(fixtureNow.addingTimeInterval(-600))
            let headers = ["x-zendesk-webhook-signature": Self.sign(body + Array(stamp.utf8)), "x-zendesk-webhook-signature-timestamp": stamp]
            await #expect(throws: WebhookError.unauthorized("stale or unreadable timestamp")) {
                try await ingestor(url, store: store, time: time).ingest(headers: headers, body: body)
            }
            #expect(fake.calls.isEmpty)
            #expect(try store.ticketCount() == 0)
        }
    }

    @Test func signedBodyWithoutATicketIDIsMalformed() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let body = Fixtures.bytes("zendesk/webhook_no_ticket_id.json")
            let stamp = SourceDateForTests.iso(fixtureNow)
            let headers = ["x-zendesk-webhook-signature": Self.sign(body + Array(stamp.utf8)), "x-zendesk-webhook-signature-timestamp": stamp]
            do {
                _ = try await ingestor(url, store: store, time: time).ingest(headers: headers, body: body)
                Issue.record("expected a malformed error")
            } catch let error as WebhookError {
                #expect(error.httpStatus == 400)
                let json = try JSONSerialization.jsonObject(with: Data(error.jsonBody)) as? [String: String]
                #expect(json?["error"] == "malformed_payload")
            }
            #expect(fake.calls.isEmpty)
            #expect(try store.ticketCount() == 0)
        }
    }
}

extension SourceDateForTests {
    static func iso(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle()) }
}
