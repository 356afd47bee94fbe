import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseStore

/// The fake Freshdesk pages `fixtures/freshdesk/tickets.json` the way Freshdesk does:
/// `updated_since` inclusive, oldest change first, a `link` header while more remain.
enum FreshdeskFake {
    static let pageSize = 2

    static let handler: @Sendable (FakeServer.Call) -> FakeServer.Reply = { call in
        if call.method == "POST", call.path.hasSuffix("/notes") { return FakeServer.Reply(status: 201, headers: [:], body: Array(#"{"id":1,"private":true}"#.utf8)) }
        let all = (try? JSONSerialization.jsonObject(with: Fixtures.data("freshdesk/tickets.json"))) as? [[String: Any]] ?? []
        if call.path.hasPrefix("/api/v2/tickets/") {
            let id = Int(call.path.dropFirst("/api/v2/tickets/".count)) ?? -1
            guard let ticket = all.first(where: { $0["id"] as? Int == id }) else { return .status(404) }
            return .json((try? JSONSerialization.data(withJSONObject: ticket)) ?? Data())
        }
        guard call.path == "/api/v2/tickets" else { return .status(404) }
        guard let sinceText = call.query["updated_since"], let since = SourceDateForTests.parse(sinceText) else { return .status(400) }
        let page = Int(call.query["page"] ?? "1") ?? 1
        guard page <= 2 else { return .status(400) }  // the fake's "300-page" cap
        let matching = all.filter { ticket in
            guard let updated = (ticket["updated_at"] as? String).flatMap(SourceDateForTests.parse) else { return false }
            return updated >= since && (ticket["deleted"] as? Bool) != true || (ticket["deleted"] as? Bool) == true && call.query["filter"] == "deleted"
        }.sorted { ($0["updated_at"] as? String ?? "", $0["id"] as? Int ?? 0) < ($1["updated_at"] as? String ?? "", $1["id"] as? Int ?? 0) }
        let slice = Array(matching.dropFirst((page - 1) * pageSize).prefix(pageSize))
        var headers: [String: String] = [:]
        if matching.count > page * pageSize {
            headers["Link"] = "<https://acme.freshdesk.com/api/v2/tickets?page=\(page + 1)>; rel=\"next\""
        }
        return .json((try? JSONSerialization.data(withJSONObject: slice)) ?? Data("[]".utf8), headers: headers)
    }

    static func configuration(_ url: String) -> ConnectionConfiguration {
        ConnectionConfiguration(name: "freshdesk", system: .freshdesk, baseURL: url, tokenEnv: "FD_KEY", customerFieldID: "cf_account", organizationMap: ["43100001": "acme"])
    }
}

@Suite struct FreshdeskSyncTests {
    func engine(_ url: String, store: TicketStore, state: any ConnectorStateStore, time: TestTime) throws -> SyncEngine {
        let client = try FreshdeskClient(configuration: FreshdeskFake.configuration(url), secrets: ConnectionSecrets(token: "fd-key"), http: .test(time), pageCap: 2)
        return SyncEngine(connection: FreshdeskFake.configuration(url), source: client, store: store, state: state, now: time.now)
    }

    @Test func pagesPastTheCapByAdvancingUpdatedSinceAndMapsCodes() async throws {
        try await FakeServer.run(handler: FreshdeskFake.handler) { fake, url in
            fake.script(.status(429, headers: ["Retry-After": "30"]), when: { $0.query["page"] == "2" })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let state = InMemoryConnectorStateStore()
            let report = try await engine(url, store: store, state: state, time: time).syncOnce()

            #expect(time.sleeps == [.seconds(30)])
            #expect(fake.calls.allSatisfy { $0.headers["authorization"] == "Basic " + Data("fd-key:X".utf8).base64EncodedString() })
            #expect(fake.calls.allSatisfy { $0.query["order_by"] == "updated_at" && $0.query["order_type"] == "asc" && $0.query["per_page"] == "100" })
            #expect(fake.calls.allSatisfy { $0.query["include"]?.contains("stats") == true })
            #expect(fake.calls.first?.query["updated_since"] == "2000-01-01T00:00:00Z")
            // Page 1, page 2 (after the 429), then the cap: page 1 again from the newest change read.
            #expect(fake.calls.map { $0.query["page"] } == ["1", "2", "2", "1", "2"])
            #expect(fake.calls.last?.query["updated_since"] == "2026-03-02T09:30:00Z")
            #expect(report.pages == 4)
            #expect(try store.ticketCount() == 5)
            for id in ["2001", "2002", "2003", "2004", "2005"] {
                let stored = try #require(try store.ticket(source: .freshdesk, externalID: id))
                #expect(try store.events(ticketID: stored.id).filter { $0.kind == .created }.count == 1)
            }
            #expect(await state.state(connection: "freshdesk").checkpoint == SyncCheckpoint(since: SourceDateForTests.parse("2026-03-02T09:30:00Z"), page: 1))

            let payments = try #require(try store.ticket(source: .freshdesk, externalID: "2001")).ticket
            #expect(payments.status == .open)
            #expect(payments.priority == .p1)
            #expect(payments.customerID == "acme")
            #expect(payments.matchRule == "organization")
            #expect(payments.firstResponseDueAt == SourceDateForTests.parse("2026-03-02T10:00:00Z"))
            #expect(payments.resolutionDueAt == SourceDateForTests.parse("2026-03-02T13:00:00Z"))

            let question = try #require(try store.ticket(source: .freshdesk, externalID: "2002")).ticket
            #expect(question.status == .pending)
            #expect(question.priority == .p4)
            #expect(question.customerID == "globex")
            #expect(question.matchRule == "custom_field")
            #expect(question.isEscalated)

            let vat = try #require(try store.ticket(source: .freshdesk, externalID: "2003")).ticket
            #expect(vat.status == .solved)
            #expect(vat.priority == .p3)
            #expect(vat.solvedAt == SourceDateForTests.parse("2026-03-02T09:30:00Z"))
            #expect(vat.customerID == "initech")
            #expect(vat.matchRule == "domain")

            let sso = try #require(try store.ticket(source: .freshdesk, externalID: "2004")).ticket
            #expect(sso.status == .closed)
            #expect(sso.priority == .p2)
            #expect(sso.closedAt == SourceDateForTests.parse("2026-03-02T09:30:00Z"))

            #expect(try store.ticket(source: .freshdesk, externalID: "2005")?.ticket.status == .pending)
        }
    }

    @Test func nextPollAsksOnlyForNewerChanges() async throws {
        try await FakeServer.run(handler: FreshdeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let engine = try engine(url, store: store, state: InMemoryConnectorStateStore(), time: time)
            _ = try await engine.syncOnce()
            let events = try store.eventCount()
            _ = try await engine.syncOnce()
            #expect(fake.calls.last?.query["updated_since"] == "2026-03-02T09:30:00Z")
            #expect(try store.eventCount() == events)
        }
    }

    @Test func deletedTicketIsMarkedDeletedAndNullStatsAreSafe() async throws {
        try await FakeServer.run(handler: FreshdeskFake.handler) { _, url in
            let store = try ZendeskFake.store()
            let engine = try engine(url, store: store, state: InMemoryConnectorStateStore(), time: TestTime(fixtureNow))
            let result = try #require(try await engine.syncTicket(id: "2006"))
            #expect(result.inserted)
            #expect(try store.ticket(source: .freshdesk, externalID: "2006")?.ticket.status == .deleted)
            #expect(try await engine.syncTicket(id: "9999") == nil)
        }
    }

    @Test func privateNoteIsWrittenBack() async throws {
        try await FakeServer.run(handler: FreshdeskFake.handler) { fake, url in
            let client = try FreshdeskClient(configuration: FreshdeskFake.configuration(url), secrets: ConnectionSecrets(token: "fd-key"), http: .test(TestTime(fixtureNow)))
            try await client.addInternalNote(externalID: "2001", body: "CSM: exec sponsor is watching this one")
            let call = try #require(fake.calls.first)
            #expect(call.method == "POST")
            #expect(call.path == "/api/v2/tickets/2001/notes")
            #expect(call.json["private"] as? Bool == true)
            #expect(call.json["body"] as? String == "CSM: exec sponsor is watching this one")
        }
    }
}
