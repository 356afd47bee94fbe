import Crypto
import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

enum IntercomFake {
    static let handler: @Sendable (FakeServer.Call) -> FakeServer.Reply = { call in
        guard call.method == "POST", call.path == "/conversations/search" else { return .status(404) }
        let pagination = call.json["pagination"] as? [String: Any]
        if pagination?["starting_after"] as? String == "WzE3NzI0NDUwMDAwMDAsMTQ3MDAwMDAyLDJd" {
            return .json(Fixtures.data("intercom/search_page2.json"))
        }
        return .json(Fixtures.data("intercom/search_page1.json"))
    }

    static func configuration(_ url: String) -> ConnectionConfiguration {
        ConnectionConfiguration(name: "intercom", system: .intercom, baseURL: url, tokenEnv: "IC_TOKEN", webhookSecretEnv: "IC_SECRET", customerFieldID: "Account")
    }
}

@Suite struct IntercomSyncTests {
    func engine(_ url: String, store: SQLiteStore, state: any ConnectorStateStore, time: TestTime) throws -> SyncEngine {
        let client = try IntercomClient(configuration: IntercomFake.configuration(url), secrets: ConnectionSecrets(token: "ic-token"), http: .test(time))
        return SyncEngine(connection: IntercomFake.configuration(url), source: client, store: store, state: state, now: time.now)
    }

    @Test func searchPagesWithStartingAfterAndNullStatisticsAreSafe() async throws {
        try await FakeServer.run(handler: IntercomFake.handler) { fake, url in
            fake.script(.status(429, headers: ["X-RateLimit-Reset": String(Int(fixtureNow.timeIntervalSince1970) + 10)]), when: { _ in true })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let state = InMemoryConnectorStateStore()
            let report = try await engine(url, store: store, state: state, time: time).syncOnce()
            #expect(time.sleeps == [.seconds(10)])
            #expect(report.pages == 2)
            #expect(try store.ticketCount() == 3)
            let first = try #require(fake.calls.first)
            #expect(first.headers["intercom-version"] == "2.11")
            #expect(first.headers["authorization"] == "Bearer ic-token")
            let query = first.json["query"] as? [String: Any]
            #expect(query?["field"] as? String == "updated_at")
            #expect(query?["operator"] as? String == ">")
            // The next poll starts from the newest change of the whole (unsorted) pass.
            #expect(await state.state(connection: "intercom").checkpoint?.since == Date(timeIntervalSince1970: 1_772_445_900))

            let open = try #require(try store.ticket(source: .intercom, externalID: "147000001")).ticket
            #expect(open.status == .open)
            #expect(open.priority == .p2)
            #expect(open.subject == "Webhook deliveries delayed")
            #expect(open.description == "Our webhooks arrive 20 minutes late.")
            #expect(open.firstResponseAt == Date(timeIntervalSince1970: 1_772_442_900))
            #expect(open.customerID == "acme")
            #expect(open.category == .outage)

            let closed = try #require(try store.ticket(source: .intercom, externalID: "147000002")).ticket
            #expect(closed.status == .closed)
            #expect(closed.csat == CSATRating(score: 2, rawValue: "2", comment: "Slow", ratedAt: Date(timeIntervalSince1970: 1_772_445_500)))
            #expect(closed.reopenCount == 1)
            #expect(closed.customerID == "globex")
            #expect(closed.matchRule == "domain")

            let fresh = try #require(try store.ticket(source: .intercom, externalID: "147000003")).ticket
            #expect(fresh.status == .pending)
            #expect(fresh.firstResponseAt == nil)
            #expect(fresh.csat == nil)
            #expect(fresh.customerID == nil)
        }
    }

    @Test func webhookSignedWithHubSignatureStoresTheConversation() async throws {
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        let configuration = IntercomFake.configuration("http://127.0.0.1:1")
        let client = try IntercomClient(configuration: configuration, secrets: ConnectionSecrets(token: "t"), http: .test(time))
        let engine = SyncEngine(connection: configuration, source: client, store: store, state: InMemoryConnectorStateStore(), now: time.now)
        let ingestor = try WebhookIngestor(connection: configuration, secrets: ConnectionSecrets(token: "t", webhookSecret: "ic-client-secret"), engine: engine, store: store, now: time.now)
        let body = Fixtures.bytes("intercom/webhook_conversation_rating_added.json")
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Data("ic-client-secret".utf8)))
        let header = "sha1=" + mac.map { String(format: "%02x", $0) }.joined()

        await #expect(throws: WebhookError.self) { try await ingestor.ingest(headers: ["x-hub-signature": "sha1=00"], body: body) }
        await #expect(throws: WebhookError.self) { try await ingestor.ingest(headers: ["x-hub-signature": header], body: Array(#"{"type":"notification_event","data":{}}"#.utf8)) }
        #expect(try store.ticketCount() == 0)

        let outcome = try await ingestor.ingest(headers: ["x-hub-signature": header], body: body)
        #expect(outcome.externalID == "147000001")
        let ticket = try #require(try store.ticket(source: .intercom, externalID: "147000001")).ticket
        #expect(ticket.status == .closed)
        #expect(ticket.csat?.score == 5)
    }
}
