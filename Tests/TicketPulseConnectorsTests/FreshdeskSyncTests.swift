import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// The fake Freshdesk pages `fixtures/freshdesk/tickets.json` the way Freshdesk does:
/// `updated_since` inclusive, oldest change first, a `link` header while more remain.
enum FreshdeskFake {
    static let pageSize = 2

    static let handler: @Sendable (FakeServer.Call) -> FakeServer.Reply = { call in
        if call.method == "POST", call.path.hasSuffix("/notes") { return FakeServer.Reply(status: 201, headers: [:], body: Array(#"{"id":1,"private":true}"#.utf8)) }
        if call.path == "/api/v2/surveys/satisfaction_ratings" { return ratings(call) }
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

    /// `fixtures/freshdesk/satisfaction_ratings.json` by `created_since` (inclusive), oldest
    /// first, `pageSize` a page, a `link` header while more remain; the same page cap as tickets.
    static func ratings(_ call: FakeServer.Call) -> FakeServer.Reply {
        let all = (try? JSONSerialization.jsonObject(with: Fixtures.data("freshdesk/satisfaction_ratings.json"))) as? [[String: Any]] ?? []
        guard let sinceText = call.query["created_since"], let since = SourceDateForTests.parse(sinceText) else { return .status(400) }
        let page = Int(call.query["page"] ?? "1") ?? 1
        guard page <= 2 else { return .status(400) }
        let matching = all.filter { rating in
            (rating["created_at"] as? String).flatMap(SourceDateForTests.parse).map { $0 >= since } ?? false
        }.sorted { ($0["created_at"] as? String ?? "") < ($1["created_at"] as? String ?? "") }
        let slice = Array(matching.dropFirst((page - 1) * pageSize).prefix(pageSize))
        var headers: [String: String] = [:]
        if matching.count > page * pageSize {
            headers["Link"] = "<https://acme.freshdesk.com/api/v2/surveys/satisfaction_ratings?page=\(page + 1)>; rel=\"next\""
        }
        return .json((try? JSONSerialization.data(withJSONObject: slice)) ?? Data("[]".utf8), headers: headers)
    }

    static func isTickets(_ call: FakeServer.Call) -> Bool { call.path == "/api/v2/tickets" }
    static func isRatings(_ call: FakeServer.Call) -> Bool { call.path == "/api/v2/surveys/satisfaction_ratings" }

    static func configuration(_ url: String) -> ConnectionConfiguration {
        ConnectionConfiguration(name: "freshdesk", system: .freshdesk, baseURL: url, tokenEnv: "FD_KEY", customerFieldID: "cf_account", organizationMap: ["43100001": "acme"])
    }
}

@Suite struct FreshdeskSyncTests {
    func engine(_ url: String, store: SQLiteStore, state: any ConnectorStateStore, time: TestTime) throws -> SyncEngine {
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
            let tickets = fake.calls.filter(FreshdeskFake.isTickets)
            #expect(tickets.allSatisfy { $0.query["order_by"] == "updated_at" && $0.query["order_type"] == "asc" && $0.query["per_page"] == "100" })
            #expect(tickets.allSatisfy { $0.query["include"]?.contains("stats") == true })
            #expect(tickets.first?.query["updated_since"] == "2000-01-01T00:00:00Z")
            // Page 1, page 2 (after the 429), then the cap: page 1 again from the newest change read.
            #expect(tickets.map { $0.query["page"] } == ["1", "2", "2", "1", "2"])
            #expect(tickets.last?.query["updated_since"] == "2026-03-02T09:30:00Z")
            // Then the ratings: page 1, page 2, the cap, page 1 from the newest rating read.
            #expect(report.pages == 4 + 3)
            #expect(try store.ticketCount() == 5)
            for id in ["2001", "2002", "2003", "2004", "2005"] {
                let stored = try #require(try store.ticket(source: .freshdesk, externalID: id))
                #expect(try store.events(ticketID: stored.id).filter { $0.kind == .created }.count == 1)
            }
            #expect(await state.state(connection: "freshdesk").checkpoint == SyncCheckpoint(
                since: SourceDateForTests.parse("2026-03-02T09:30:00Z"), page: 1, ratingsSince: SourceDateForTests.parse("2026-03-02T10:20:00Z")
            ))

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
            #expect(fake.calls.last(where: FreshdeskFake.isTickets)?.query["updated_since"] == "2026-03-02T09:30:00Z")
            #expect(fake.calls.last(where: FreshdeskFake.isRatings)?.query["created_since"] == "2026-03-02T10:20:00Z")
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

    @Test func satisfactionRatingsAreStoredAgainstTheirTickets() async throws {
        try await FakeServer.run(handler: FreshdeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            _ = try await engine(url, store: store, state: InMemoryConnectorStateStore(), time: time).syncOnce()

            let ratings = fake.calls.filter(FreshdeskFake.isRatings)
            #expect(ratings.first?.query["created_since"] == "2000-01-01T00:00:00Z")
            #expect(ratings.allSatisfy { $0.query["per_page"] == "100" })
            #expect(ratings.map { $0.query["page"] } == ["1", "2", "1"])
            // The first rating is read after the last tickets page: tickets first, then their ratings.
            let firstRating = try #require(fake.calls.firstIndex(where: FreshdeskFake.isRatings))
            #expect(fake.calls[firstRating...].allSatisfy { !FreshdeskFake.isTickets($0) })

            let vat = try #require(try store.ticket(source: .freshdesk, externalID: "2003"))
            #expect(vat.ticket.csat == CSATRating(score: 5, rawValue: "103", comment: "Quick fix, thanks!", ratedAt: SourceDateForTests.parse("2026-03-02T09:40:00Z")))
            let rated = try store.events(ticketID: vat.id).filter { $0.kind == .csatReceived }
            #expect(rated.map(\.to) == ["5"])
            #expect(rated.first?.at == SourceDateForTests.parse("2026-03-02T09:40:00Z"))

            let sso = try #require(try store.ticket(source: .freshdesk, externalID: "2004")).ticket
            #expect(sso.csat?.score == 1)
            #expect(sso.csat?.isPoor == true)
            #expect(sso.csat?.comment == "Three days to get SSO back. Not acceptable.")
            // Rating a ticket is not a change of the ticket at the source.
            #expect(sso.updatedAt == SourceDateForTests.parse("2026-03-02T09:30:00Z"))

            let payments = try #require(try store.ticket(source: .freshdesk, externalID: "2001")).ticket
            #expect(payments.csat?.score == 3)
            #expect(payments.csat?.comment == nil)  // an empty feedback is no comment
            #expect(try store.ticket(source: .freshdesk, externalID: "2002")?.ticket.csat?.score == 2)  // -101 Unhappy
            #expect(try store.ticket(source: .freshdesk, externalID: "2005")?.ticket.csat == nil)
            // The rating of a ticket Freshdesk no longer has was looked for, and skipped.
            #expect(fake.calls.contains { $0.path == "/api/v2/tickets/2099" })
            #expect(try store.ticket(source: .freshdesk, externalID: "2099") == nil)
            #expect(try store.ticketCount() == 5)
        }
    }

    @Test func reReadTicketsKeepTheirRatingAndTheRatingsCursorSurvivesARestart() async throws {
        try await FakeServer.run(handler: FreshdeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            // The default state store: the cursor lives in the store's connection_state.
            _ = try await engine(url, store: store, state: StoreConnectorStateStore(store: store, now: time.now), time: time).syncOnce()
            let events = try store.eventCount()
            let callsBefore = fake.calls.count

            // A new process: a new engine and state store over the same store.
            let restarted = try engine(url, store: store, state: StoreConnectorStateStore(store: store, now: time.now), time: time)
            // Freshdesk has a newer rating of the SSO ticket (reopened, then solved again).
            fake.script(.json(Data(#"""
                [{"id": 43200006, "survey_id": 43000005, "user_id": 43001001, "agent_id": 43009002, "group_id": null, "ticket_id": 2004,
                  "feedback": "Better after the follow-up call.", "ratings": {"default_question": 102},
                  "created_at": "2026-03-02T11:00:00Z", "updated_at": "2026-03-02T11:00:00Z"}]
                """#.utf8)), when: { FreshdeskFake.isRatings($0) && $0.query["created_since"] == "2026-03-02T10:20:00Z" })
            _ = try await restarted.syncOnce()
            let after = Array(fake.calls[callsBefore...])
            // Only what is newer than the stored cursors was asked for.
            #expect(after.filter(FreshdeskFake.isRatings).map { $0.query["created_since"] } == ["2026-03-02T10:20:00Z"])
            #expect(after.filter(FreshdeskFake.isTickets).allSatisfy { $0.query["updated_since"] == "2026-03-02T09:30:00Z" })
            // 2003 and 2004 were re-read (updated at 09:30) without a rating: 2003 keeps its own.
            #expect(try store.ticket(source: .freshdesk, externalID: "2003")?.ticket.csat?.score == 5)
            let sso = try #require(try store.ticket(source: .freshdesk, externalID: "2004"))
            #expect(sso.ticket.csat?.score == 4)
            #expect(sso.ticket.csat?.comment == "Better after the follow-up call.")
            #expect(try store.events(ticketID: sso.id).filter { $0.kind == .csatReceived }.map(\.to) == ["1", "4"])
            #expect(try store.eventCount() == events + 1)
            let checkpoint = try await StoreConnectorStateStore(store: store).state(connection: "freshdesk").checkpoint
            #expect(checkpoint?.ratingsSince == SourceDateForTests.parse("2026-03-02T11:00:00Z"))
            #expect(checkpoint?.ratingsPage == nil)
        }
    }

    @Test func anOlderRatingSeenLaterDoesNotReplaceANewerOne() async throws {
        try await FakeServer.run(handler: FreshdeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            // Two answers for 2003 on one page, the newer first: the newer one is kept.
            fake.script(.json(Data(#"""
                [{"id": 2, "ticket_id": 2003, "feedback": "second thoughts", "ratings": {"default_question": -102}, "created_at": "2026-03-02T10:30:00Z", "updated_at": "2026-03-02T10:30:00Z"},
                 {"id": 1, "ticket_id": 2003, "feedback": "first", "ratings": {"default_question": 103}, "created_at": "2026-03-02T09:40:00Z", "updated_at": "2026-03-02T09:40:00Z"},
                 {"id": 3, "ticket_id": 2001, "ratings": {"question_43000051": 103}, "created_at": "2026-03-02T10:31:00Z", "updated_at": "2026-03-02T10:31:00Z"}]
                """#.utf8)), when: FreshdeskFake.isRatings)
            _ = try await engine(url, store: store, state: InMemoryConnectorStateStore(), time: time).syncOnce()
            #expect(try store.ticket(source: .freshdesk, externalID: "2003")?.ticket.csat?.score == 2)
            // An answer without the CSAT question is no rating.
            #expect(try store.ticket(source: .freshdesk, externalID: "2001")?.ticket.csat == nil)
        }
    }

    @Test func anAccountWithoutSurveysSyncsTicketsWithoutCSAT() async throws {
        try await FakeServer.run(handler: FreshdeskFake.handler) { fake, url in
            fake.script(FakeServer.Reply(status: 403, headers: [:], body: Array(#"{"code":"access_denied","message":"You are not authorized to perform this action."}"#.utf8)),
                        when: FreshdeskFake.isRatings)
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let engine = try engine(url, store: store, state: InMemoryConnectorStateStore(), time: time)
            _ = try await engine.syncOnce()
            #expect(try store.ticketCount() == 5)
            #expect(try await engine.health().isHealthy)
        }
    }
}
