import Foundation
import Synchronization
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// `ticketpulse connections`, `sync` and `unmatched`, run in process over the fake Zendesk:
/// the commands in `Sources/ticketpulse` are thin over `ConnectionCommands`.
@Suite struct ConnectionCommandsTests {
    /// Lines a command wrote.
    final class Output: Sendable {
        private let lines = Mutex<[String]>([])
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
        var all: [String] { lines.withLock { $0 } }
        var write: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
    }

    static let yaml = """
    connections:
      - name: zendesk-main
        system: zendesk
        base_url: BASE
        email: bot@ourcompany.example
        token_env: ZD_TOKEN
        customer_field_id: 360011
        organization_map: { "9001": acme }
      - name: freshdesk-eu
        system: freshdesk
        domain: acme-eu
        token_env: FRESHDESK_EU_API_KEY
      - name: ops-webhook
        system: webhook
        webhook_secret_env: OPS_WEBHOOK_SECRET
    """

    /// The three connections as the CLI builds them from a file and the environment;
    /// FRESHDESK_EU_API_KEY is not set, so that one is not started.
    static func runtime(_ baseURL: String, store: SQLiteStore, time: TestTime) throws -> ConnectorRuntime {
        let configurations = try ConnectionsFile.parse(yaml: yaml.replacingOccurrences(of: "BASE", with: baseURL))
        let environment = ConnectorRuntime.secretVariables(
            of: configurations, in: ["ZD_TOKEN": "zd-api-token", "OPS_WEBHOOK_SECRET": "ops-secret", "HOME": "/root"]
        )
        return ConnectorRuntime(configurations: configurations, environment: environment, store: store, http: .test(time), now: time.now, sleeper: time.sleeper)
    }

    @Test func connectionsListsHealthCursorCountsAndSetupErrors() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { _, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let runtime = try Self.runtime(url, store: store, time: time)
            _ = try await ConnectionCommands.sync(runtime: runtime, connection: "zendesk-main", full: false, now: time.now, progress: { _ in }, output: { _ in })

            let output = Output()
            await ConnectionCommands.connections(runtime: runtime, configPath: "ticketpulse.yml", storePath: "/tmp/tp.sqlite", output: output.write)
            let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines[0].hasPrefix("NAME "))
            #expect(lines[0].hasSuffix("LAST ERROR"))
            let zendesk = lines[1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(zendesk == ["zendesk-main", "ticketpulse.yml", "zendesk", "ok", "cursor", "MTc3MjQ0NDQwMC4wfHwxMDV8", "2026-03-02T12:00:00Z", "0", "5", "0", "no", "-"])
            #expect(lines[2].hasPrefix("freshdesk-eu"))
            #expect(lines[2].contains("not started"))
            #expect(lines[2].contains("connection 'freshdesk-eu': environment variable FRESHDESK_EU_API_KE..."))  // clipped to 70
            let webhook = lines[3].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            #expect(webhook == ["ops-webhook", "ticketpulse.yml", "webhook", "ok", "webhook", "only", "never", "0", "0", "0", "yes", "-"])
            #expect(output.all.last == "\nStore: /tmp/tp.sqlite")
        }
    }

    @Test func connectionsWithNoneConfiguredSaysWhereToAddThem() async throws {
        let runtime = ConnectorRuntime(configurations: [], environment: [:], store: try SQLiteStore())
        let output = Output()
        await ConnectionCommands.connections(runtime: runtime, configPath: nil, storePath: "x", output: output.write)
        #expect(output.all == ["No connections configured or stored. Add a connections: list (see ticketpulse.example.yml), or connect Zendesk through POST /api/integrations/zendesk/connect."])
    }

    @Test func connectionsListsStoredOnesBesideTheFileAndSaysWhichTheFileHides() async throws {
        let store = try ZendeskFake.store()
        let tokens = Data(#"{"access_token":"zd-secret-access","refresh_token":"zd-secret-refresh","configured_refresh_token_sha256":"x"}"#.utf8)
        for (name, subdomain) in [("zendesk-main", "acme-old"), ("zendesk-us", "acme-us")] {
            try store.addStoredConnection(StoredConnection(name: name, system: .zendesk, subdomain: subdomain, createdAt: fixtureNow, createdBy: "ops@example.com"),
                                                credentials: tokens, credentialsKey: name + "#oauth")
        }
        let time = TestTime(fixtureNow)
        let oauth = ZendeskOAuthSettings(clientID: "tp", clientSecret: "tp-secret", redirectURI: "https://tp.example/cb", stateSecret: String(repeating: "k", count: 40))
        let configurations = try ConnectionsFile.parse(yaml: Self.yaml.replacingOccurrences(of: "BASE", with: "http://127.0.0.1:9"))
        let runtime = ConnectorRuntime(configurations: configurations, environment: ["ZD_TOKEN": "zd-api-token", "OPS_WEBHOOK_SECRET": "ops-secret"], store: store,
                                       http: .test(time), zendeskOAuth: oauth, now: time.now, sleeper: time.sleeper)
        try await runtime.loadStoredConnections()
        #expect(runtime.connections.map(\.name) == ["zendesk-main", "freshdesk-eu", "ops-webhook", "zendesk-us"])
        #expect(runtime.connection(named: "zendesk-main")?.origin == .file)
        #expect(runtime.shadowedStoredConnections.map(\.subdomain) == ["acme-old"])

        let output = Output()
        await ConnectionCommands.connections(runtime: runtime, configPath: "ticketpulse.yml", storePath: "x", output: output.write)
        let stored = try #require(output.text.split(separator: "\n").first { $0.hasPrefix("zendesk-us") })
        #expect(stored.split(separator: " ", omittingEmptySubsequences: true).prefix(4) == ["zendesk-us", "store", "zendesk", "ok"])
        #expect(output.text.contains("Stored connection 'zendesk-main' (acme-old.zendesk.com, connected by ops@example.com) is not used: ticketpulse.yml has a connection of that name, and the file wins."))
        #expect(!output.text.contains("zd-secret"), "tokens are never printed")
    }

    @Test func syncRunsOneConnectionWithProgressAndFullStartsOver() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let runtime = try Self.runtime(url, store: store, time: time)
            let progress = Output()
            let output = Output()
            let outcome = try await ConnectionCommands.sync(runtime: runtime, connection: "zendesk-main", full: false, now: time.now, progress: progress.write, output: output.write)
            #expect(outcome.succeeded)
            #expect(outcome.synced.map(\.tickets) == [7])
            #expect(progress.all.map { $0.components(separatedBy: ", ").prefix(2).joined(separator: ", ") } == [
                "zendesk-main: 1 page, 3 tickets", "zendesk-main: 2 pages, 5 tickets", "zendesk-main: 3 pages, 7 tickets",
            ])
            #expect(output.all.count == 1)
            #expect(output.all[0].hasPrefix("zendesk-main: done, 3 pages, 7 tickets (5 new, "))
            #expect(try store.ticketCount() == 5)

            // Again from the stored cursor: one page, nothing new.
            let callsBefore = fake.calls.count
            let again = try await ConnectionCommands.sync(runtime: runtime, connection: "zendesk-main", full: false, now: time.now, progress: { _ in }, output: { _ in })
            #expect(again.synced.map(\.pages) == [1])
            #expect(fake.calls[callsBefore].query["cursor"] == ZendeskFake.cursorAfterPage3)

            // --full: from the beginning of history, idempotent.
            let events = try store.eventCount()
            let fullCalls = fake.calls.count
            let full = try await ConnectionCommands.sync(runtime: runtime, connection: "zendesk-main", full: true, now: time.now, progress: { _ in }, output: { _ in })
            #expect(full.synced.map(\.pages) == [3])
            #expect(full.synced.map(\.inserted) == [0])
            #expect(fake.calls[fullCalls].query["cursor"] == nil)
            #expect(fake.calls[fullCalls].query["start_time"] == "0")
            #expect(try store.ticketCount() == 5)
            let eventsAfter = try store.eventCount()
            // Re-read snapshots older than the stored copy (101 open on page 1, solved on page 2) and
            // ratings seen again change nothing.
            #expect(eventsAfter == events)
        }
    }

    @Test func syncOfEveryConnectionSkipsBrokenOnesAndReportsFailures() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            fake.script(.status(500), .status(500), .status(500), when: { $0.query["cursor"] == ZendeskFake.cursorAfterPage2 })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let runtime = try Self.runtime(url, store: store, time: time)
            let output = Output()
            let outcome = try await ConnectionCommands.sync(runtime: runtime, connection: nil, full: false, now: time.now, progress: { _ in }, output: output.write)
            #expect(!outcome.succeeded)
            #expect(outcome.failed == ["zendesk-main"])
            #expect(output.all == [
                "freshdesk-eu: skipped, connection 'freshdesk-eu': environment variable FRESHDESK_EU_API_KEY is not set",
                #"zendesk-main: failed, HTTP 500: {"error":"scripted"}"#,
                "1 of 1 connections failed; the others' cursors are stored. Run `ticketpulse connections` for details.",
            ])
            // The pages before the failure are kept, and so is their cursor.
            #expect(try store.ticketCount() == 4)
            #expect(await runtime.statuses().first?.checkpoint?.cursor == ZendeskFake.cursorAfterPage2)
        }
    }

    @Test func syncRefusesUnknownBrokenAndWebhookOnlyConnections() async throws {
        let time = TestTime(fixtureNow)
        let runtime = try Self.runtime("http://127.0.0.1:9", store: try ZendeskFake.store(), time: time)
        func message(_ name: String?) async -> String? {
            do {
                _ = try await ConnectionCommands.sync(runtime: runtime, connection: name, full: false, now: time.now, progress: { _ in }, output: { _ in })
                return nil
            } catch let error as ConnectionCommands.UsageError {
                return error.description
            } catch {
                return "unexpected \(error)"
            }
        }
        #expect(await message("zendesk") == "no connection named 'zendesk' (configured: zendesk-main, freshdesk-eu, ops-webhook)")
        #expect(await message("freshdesk-eu") == "connection 'freshdesk-eu': connection 'freshdesk-eu': environment variable FRESHDESK_EU_API_KEY is not set")
        #expect(await message("ops-webhook") == "connection 'ops-webhook' is webhook-only: there is nothing to poll")

        let empty = ConnectorRuntime(configurations: [], environment: [:], store: try SQLiteStore())
        await #expect(throws: ConnectionCommands.UsageError("no connection to sync; configure connections: in ticketpulse.yml (see ticketpulse.example.yml)")) {
            try await ConnectionCommands.sync(runtime: empty, connection: nil, full: false, progress: { _ in }, output: { _ in })
        }
    }

    @Test func unmatchedListsNewestFirstAndRematchesAfterARosterChange() async throws {
        let store = try SQLiteStore()
        let older = Ticket(source: .zendesk, externalID: "201", customerID: nil, subject: "Cannot log in", status: .open, priority: .p2,
                           requesterEmail: "kim@umbrella.example", createdAt: fixtureNow.addingTimeInterval(-7200))
        let newer = Ticket(source: .freshdesk, externalID: "eu-7", customerID: nil, subject: "Invoice question", status: .new, priority: .p3,
                           requesterEmail: "lee@hooli.example", createdAt: fixtureNow.addingTimeInterval(-3600))
        try store.upsert([older, newer], at: fixtureNow)

        let output = Output()
        try await ConnectionCommands.unmatched(store: store, limit: 1, rematch: false, now: fixtureNow, output: output.write)
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true) == ["SOURCE", "ID", "CREATED", "STATUS", "REQUESTER", "SUBJECT"])
        #expect(lines[1].split(separator: " ", omittingEmptySubsequences: true) == ["freshdesk", "eu-7", "2026-03-02T11:00:00Z", "new", "lee@hooli.example", "Invoice", "question"])
        #expect(lines[2].hasPrefix("2 unmatched tickets (showing 1)."))

        // The roster learns Umbrella's domain: --rematch claims its ticket.
        try store.upsertCustomers([Customer(id: "umbrella", name: "Umbrella Health", domains: ["umbrella.example"])])
        let rematched = Output()
        try await ConnectionCommands.unmatched(store: store, limit: 50, rematch: true, now: fixtureNow, output: rematched.write)
        #expect(rematched.all.first == "Matched 1 ticket by requester domain.\n")
        #expect(try store.ticket(source: .zendesk, externalID: "201")?.ticket.customerID == "umbrella")
        #expect(rematched.all.last?.hasPrefix("\n1 unmatched ticket.") == true)

        try store.upsertCustomers([Customer(id: "hooli", name: "Hooli", domains: ["hooli.example"])])
        let none = Output()
        try await ConnectionCommands.unmatched(store: store, limit: 50, rematch: true, now: fixtureNow, output: none.write)
        #expect(none.all == ["Matched 1 ticket by requester domain.\n", "No unmatched tickets."])
        await #expect(throws: ConnectionCommands.UsageError("--limit must be at least 1")) {
            try await ConnectionCommands.unmatched(store: store, limit: 0, rematch: false, now: fixtureNow, output: { _ in })
        }
    }
}
