import Foundation
import Synchronization
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

@Suite struct ZendeskSyncTests {
    @Test func fullPassPagesToTheEndAndNormalises() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let state = InMemoryConnectorStateStore()
            let report = try await ZendeskFake.engine(url, store: store, state: state, time: time).syncOnce()

            #expect(report.pages == 3)
            #expect(report.tickets == 7)
            #expect(try store.ticketCount() == 5)
            let calls = fake.calls
            #expect(calls.map { $0.query["cursor"] } == [nil, ZendeskFake.cursorAfterPage1, ZendeskFake.cursorAfterPage2])
            #expect(calls[0].query["start_time"] == "0")
            #expect(calls.allSatisfy { $0.query["include"] == "metric_sets,users,organizations" })
            #expect(calls[0].headers["authorization"] == "Basic " + Data("bot@ourcompany.example/token:zd-api-token".utf8).base64EncodedString())
            #expect(await state.state(connection: "zendesk-main").checkpoint?.cursor == ZendeskFake.cursorAfterPage3)

            // Seen open on page 1 and solved with a good rating on page 2: one ticket, its history in order.
            let sso = try #require(try store.ticket(source: .zendesk, externalID: "101"))
            #expect(sso.ticket.status == .solved)
            #expect(sso.ticket.priority == .p1)
            #expect(sso.ticket.category == .security)
            #expect(sso.ticket.csat?.score == 5)
            #expect(sso.ticket.csat?.rawValue == "good")
            #expect(sso.ticket.csat?.comment == "Fixed fast, thanks!")
            #expect(sso.ticket.firstResponseAt == SourceDateForTests.parse("2026-03-02T09:30:00Z"))
            #expect(sso.ticket.solvedAt == SourceDateForTests.parse("2026-03-02T11:00:00Z"))
            #expect(sso.ticket.customerID == "acme")
            #expect(sso.ticket.matchRule == "organization")
            #expect(sso.ticket.requesterEmail == "dana.ruiz@eu.acme.com")
            #expect(sso.ticket.assignee == "sam.agent@ourcompany.example")
            #expect(try store.events(ticketID: sso.id).map(\.kind) == [.created, .agentReply, .status, .csatReceived])

            let invoice = try #require(try store.ticket(source: .zendesk, externalID: "102")).ticket
            #expect(invoice.status == .new)
            #expect(invoice.priority == .p3)
            #expect(invoice.customerID == "globex")
            #expect(invoice.matchRule == "organization")

            let deleted = try #require(try store.ticket(source: .zendesk, externalID: "103")).ticket
            #expect(deleted.status == .deleted)

            let export = try #require(try store.ticket(source: .zendesk, externalID: "104")).ticket
            #expect(export.status == .closed)
            #expect(export.csat?.score == 1)
            #expect(export.csat?.rawValue == "bad")
            #expect(export.csat?.comment == "Took a week.")
            #expect(export.isEscalated)
            #expect(export.reopenCount == 1)
            #expect(export.customerID == "initech")
            #expect(export.matchRule == "domain")
            #expect(export.closedAt == SourceDateForTests.parse("2026-03-02T10:00:00Z"))

            // Null priority and null rating are defaults, not failures.
            let training = try #require(try store.ticket(source: .zendesk, externalID: "105")).ticket
            #expect(training.priority == .p3)
            #expect(training.csat == nil)
            #expect(training.status == .pending)
            #expect(training.customerID == "initech")
            #expect(training.matchRule == "custom_field")
        }
    }

    @Test func nextPassContinuesFromTheKeptCursorAndChangesNothing() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let state = InMemoryConnectorStateStore()
            let engine = try ZendeskFake.engine(url, store: store, state: state, time: time)
            _ = try await engine.syncOnce()
            let events = try store.eventCount()
            let second = try await engine.syncOnce()
            #expect(second.pages == 1)
            #expect(second.tickets == 0)
            #expect(fake.calls.last?.query["cursor"] == ZendeskFake.cursorAfterPage3)
            #expect(fake.calls.last?.query["start_time"] == nil)
            #expect(try store.eventCount() == events)
        }
    }

    @Test func rateLimitMidSyncWaitsForRetryAfterWithoutSleeping() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            fake.script(.status(429, headers: ["Retry-After": "7"]), when: { $0.query["cursor"] == ZendeskFake.cursorAfterPage1 })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let report = try await ZendeskFake.engine(url, store: store, state: InMemoryConnectorStateStore(), time: time).syncOnce()
            #expect(report.pages == 3)
            #expect(time.sleeps == [.seconds(7)])
            #expect(fake.calls.count == 4)
            #expect(try store.ticketCount() == 5)
        }
    }

    @Test func crashBetweenPagesResumesFromTheStoredCursor() async throws {
        // A clean run, for the history a resumed run must end up with.
        let expectedEvents = try await FakeServer.run(handler: ZendeskFake.handler) { _, url in
            let store = try ZendeskFake.store()
            _ = try await ZendeskFake.engine(url, store: store, state: InMemoryConnectorStateStore(), time: TestTime(fixtureNow)).syncOnce()
            return try store.eventCount()
        }
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            fake.script(.status(500), .status(500), .status(500), when: { $0.query["cursor"] == ZendeskFake.cursorAfterPage2 })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tp-state-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let crashed = try ZendeskFake.engine(url, store: store, state: try FileConnectorStateStore(directory: directory), time: time)
            await #expect(throws: ConnectorError.self) { try await crashed.syncOnce() }
            #expect(time.sleeps == [.seconds(1), .seconds(2)])
            #expect(try store.ticketCount() == 4)

            // A fresh process: new engine, new state store object over the same directory.
            let state = try FileConnectorStateStore(directory: directory)
            #expect(try state.state(connection: "zendesk-main").checkpoint?.cursor == ZendeskFake.cursorAfterPage2)
            #expect(try state.state(connection: "zendesk-main").health.consecutiveFailures == 1)
            let callsBefore = fake.calls.count
            let resumed = try await ZendeskFake.engine(url, store: store, state: state, time: time).syncOnce()
            #expect(resumed.pages == 1)
            #expect(fake.calls[callsBefore].query["cursor"] == ZendeskFake.cursorAfterPage2)
            #expect(try store.ticketCount() == 5)
            #expect(try store.eventCount() == expectedEvents)
            for id in ["101", "102", "103", "104", "105"] {
                let stored = try #require(try store.ticket(source: .zendesk, externalID: id))
                #expect(try store.events(ticketID: stored.id).filter { $0.kind == .created }.count == 1)
            }
            #expect(try state.state(connection: "zendesk-main").health.consecutiveFailures == 0)
        }
    }

    @Test func aConnectionThatKeepsFailingIsMarkedUnhealthyAndRecovers() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            for _ in 0..<9 { fake.script(.status(503), when: { _ in true }) }
            let time = TestTime(fixtureNow)
            let state = InMemoryConnectorStateStore()
            let engine = try ZendeskFake.engine(url, store: try ZendeskFake.store(), state: state, time: time)
            for pass in 1...3 {
                await #expect(throws: ConnectorError.http(status: 503, body: #"{"error":"scripted"}"#)) { try await engine.syncOnce() }
                #expect(try await engine.health().consecutiveFailures == pass)
            }
            #expect(try await engine.health().unhealthy)
            _ = try await engine.syncOnce()
            let health = try await engine.health()
            #expect(health.isHealthy)
            #expect(health.lastError == nil)
            #expect(health.lastPassPages == 3)
            #expect(health.totalTickets == 5)
        }
    }

    @Test func serviceImportsThenPollsEveryInterval() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let engine = try ZendeskFake.engine(url, store: try ZendeskFake.store(), state: InMemoryConnectorStateStore(), time: time)
            let sleeps = SleepCounter(stopAfter: 2)
            let service = ConnectionSyncService(engine: engine, interval: .seconds(120), sleeper: sleeps.sleeper)
            try await service.run()
            #expect(sleeps.recorded == [.seconds(120), .seconds(120)])
            // Import: three pages; then one poll from the kept cursor.
            #expect(fake.calls.map { $0.query["cursor"] } == [nil, ZendeskFake.cursorAfterPage1, ZendeskFake.cursorAfterPage2, ZendeskFake.cursorAfterPage3])
        }
    }
}

/// A sleeper that records and ends the service (by cancellation) at its `stopAfter`th sleep.
final class SleepCounter: Sendable {
    private let state = Mutex<[Duration]>([])
    let stopAfter: Int
    init(stopAfter: Int) { self.stopAfter = stopAfter }
    var recorded: [Duration] { state.withLock { $0 } }
    var sleeper: @Sendable (Duration) async throws -> Void {
        { duration in
            let count = self.state.withLock { $0.append(duration); return $0.count }
            if count >= self.stopAfter { throw CancellationError() }
        }
    }
}

enum SourceDateForTests {
    static func parse(_ text: String) -> Date? { try? Date(text, strategy: Date.ISO8601FormatStyle()) }
}
