import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// Cursors and health in the SQLite store (the default), and the write-back outbox over
/// `ticket_actions`.
@Suite struct StoreStateTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tp-store-\(UUID().uuidString)/ticketpulse.sqlite").path
    }

    @Test func crashBetweenPagesResumesFromTheCursorKeptInTheStore() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            fake.script(.status(500), .status(500), .status(500), when: { $0.query["cursor"] == ZendeskFake.cursorAfterPage2 })
            let time = TestTime(fixtureNow)
            do {
                let store = try SQLiteStore(path: path)
                try store.upsertCustomers(ZendeskFake.customers)
                let engine = try ZendeskFake.engine(url, store: store, state: StoreConnectorStateStore(store: store, now: time.now), time: time)
                await #expect(throws: ConnectorError.self) { try await engine.syncOnce() }
            }
            // A new process: the store reopened from disk.
            let store = try SQLiteStore(path: path)
            let state = StoreConnectorStateStore(store: store, now: time.now)
            await #expect(try state.connections() == ["zendesk-main"])
            let saved = try await state.state(connection: "zendesk-main")
            #expect(saved.checkpoint?.cursor == ZendeskFake.cursorAfterPage2)
            #expect(saved.health.consecutiveFailures == 1)
            #expect(saved.health.lastError?.contains("500") == true)
            #expect(try store.ticketCount() == 4)

            let callsBefore = fake.calls.count
            let resumed = try await ZendeskFake.engine(url, store: store, state: state, time: time).syncOnce()
            #expect(resumed.pages == 1)
            #expect(fake.calls[callsBefore].query["cursor"] == ZendeskFake.cursorAfterPage2)
            #expect(try store.ticketCount() == 5)
            for id in ["101", "102", "103", "104", "105"] {
                let stored = try #require(try store.ticket(source: .zendesk, externalID: id))
                #expect(try store.events(ticketID: stored.id).filter { $0.kind == .created }.count == 1)
            }
            let healthy = try await state.state(connection: "zendesk-main")
            #expect(healthy.health.consecutiveFailures == 0)
            #expect(healthy.checkpoint?.cursor == ZendeskFake.cursorAfterPage3)
            await #expect(try store.ticketCount(source: .zendesk) == (total: 5, unmatched: 0))
        }
    }

    @Test func thePageAndItsCursorLandTogether() async throws {
        let store = try SQLiteStore()
        let ticket = Ticket(source: .salesforce, externalID: "sf-5005g00000SfA01AAF", customerID: nil, subject: "x", status: .open, priority: .p2, createdAt: fixtureNow)
        let state = ConnectionState(checkpoint: SyncCheckpoint(since: fixtureNow, lastID: "5005g00000SfA01AAF"))
        let encoded = try JSONEncoder().encode(state)
        let results = try store.upsert([ticket], at: fixtureNow, savingState: encoded, connection: "sf")
        #expect(results.first?.inserted == true)
        #expect(try await StoreConnectorStateStore(store: store).state(connection: "sf") == state)
        #expect(try store.ticketCount(source: .salesforce, externalIDPrefix: "sf-") == (total: 1, unmatched: 1))
        #expect(try store.ticketCount(source: .salesforce, externalIDPrefix: "eu-") == (total: 0, unmatched: 0))
        #expect(try store.unmatchedTickets(limit: 10).map(\.ticket.externalID) == ["sf-5005g00000SfA01AAF"])

        // An unreadable stored state is an error naming the connection, not a silent restart from scratch.
        try store.saveConnectionState(Data("{not json".utf8), connection: "broken", at: fixtureNow)
        await #expect(throws: ConnectorError.self) { try await StoreConnectorStateStore(store: store).state(connection: "broken") }
    }

    @Test func recordedActionsAreWrittenBackFromTheStoreAndRetriedAfterAnOutage() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            fake.script(.status(503), .status(503), .status(503), when: { $0.method == "PUT" })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let stored = try await store.upsert(Ticket(source: .zendesk, externalID: "101", customerID: "acme", subject: "SSO", status: .open, priority: .p1, createdAt: fixtureNow), at: fixtureNow)
            try store.recordAction(TicketAction(kind: .note, actor: "mike.chen@example.com", body: "Renewal next month.", createdAt: fixtureNow), ticketID: stored.ticketID)
            let client = try ZendeskClient(configuration: ZendeskFake.configuration(url), secrets: ZendeskFake.secrets, http: .test(time), now: time.now)
            let outbox = WritebackOutbox(queue: StoreWritebackQueue(store: store), routes: [WritebackRoute(system: .zendesk, writer: client)], now: time.now, sleeper: time.sleeper)

            #expect(try await outbox.drainOnce().failed == 1)
            #expect(try store.actions(ticketID: stored.ticketID).first?.writebackStatus == "pending")
            #expect(try store.dueWritebacks(at: time.current, limit: 10).isEmpty)
            time.advance(61)
            #expect(try store.dueWritebacks(at: time.current, limit: 10).first?.attempts == 1)
            #expect(try await outbox.drainOnce().written == 1)
            #expect(try store.actions(ticketID: stored.ticketID).first?.writebackStatus == "written")
            #expect(try store.dueWritebacks(at: time.current.addingTimeInterval(86_400), limit: 10).isEmpty)
            let body = ((fake.calls.last?.json["ticket"] as? [String: Any])?["comment"] as? [String: Any])?["body"] as? String
            #expect(body?.hasSuffix("Renewal next month.") == true)
        }
    }

    @Test func aTicketGoneAtTheSourceBecomesATombstoneWhenAWebhookAsksForIt() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { _, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let engine = try ZendeskFake.engine(url, store: store, state: StoreConnectorStateStore(store: store, now: time.now), time: time)
            _ = try await engine.syncOnce()
            // The fake answers 404 for ticket 101 (deleted or merged in Zendesk since).
            let result = try #require(try await engine.syncTicket(id: "101"))
            #expect(result.events.map(\.kind) == [.status])
            #expect(try store.ticket(source: .zendesk, externalID: "101")?.ticket.status == .deleted)
            // Again: nothing more to change; a ticket never seen stays unknown.
            #expect(try await engine.syncTicket(id: "101") == nil)
            #expect(try await engine.syncTicket(id: "999") == nil)
            #expect(try store.ticketCount() == 5)
        }
    }

    @Test func anActionForASystemWithoutAConnectionStaysPendingForLater() async throws {
        let time = TestTime(fixtureNow)
        let queue = InMemoryWritebackQueue([PendingWriteback(id: 4, source: .salesforce, externalID: "5005g00000SfA01AAF", kind: .note, actor: "a@b.c", body: "x")])
        let outbox = WritebackOutbox(queue: queue, routes: [], now: time.now, sleeper: time.sleeper)
        #expect(try await outbox.drainOnce().failed == 1)
        #expect(await queue.status(id: 4) == .pending)
        #expect(await queue.due(at: time.current.addingTimeInterval(3599), limit: 10).isEmpty)
        #expect(await queue.due(at: time.current.addingTimeInterval(3600), limit: 10).count == 1)
    }
}
