import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

@Suite struct ConnectionsFileTests {
    @Test func theExampleConfigurationHasOneConnectionOfEachSystem() throws {
        let connections = try ConnectionsFile.load(path: Fixtures.root.deletingLastPathComponent().appendingPathComponent("ticketpulse.example.yml").path)
        #expect(Set(connections.map(\.system)) == Set(SourceSystem.allCases))
        let salesforce = try #require(connections.first { $0.system == .salesforce })
        #expect(salesforce.resolvedBaseURL == "https://acme.my.salesforce.com")
        #expect(salesforce.lookbackSeconds == 300)
        let freshdesk = try #require(connections.first { $0.system == .freshdesk })
        #expect(freshdesk.importSince == SourceDateForTests.parse("2025-01-01T00:00:00Z"))
        #expect(freshdesk.externalIDPrefix == "eu-")
        #expect(connections.first { $0.system == .zendesk }?.customerFieldID == "360011")
    }

    @Test(arguments: [
        ("connections:\n  - { name: a, system: jira }", "connections[0].system: unknown system 'jira'"),
        ("connections:\n  - { system: zendesk, subdomain: x, token_env: T }", "connections[0].name: required key is missing"),
        ("connections:\n  - { name: a/b, system: webhook, webhook_secret_env: S }", "connections[0].name: 'a/b' must be letters"),
        ("connections:\n  - { name: a, system: webhook, webhook_secret_env: S }\n  - { name: a, system: webhook, webhook_secret_env: S }", "connections[1].name (a): another connection has this name"),
        ("connections:\n  - { name: sf, system: salesforce, client_id_env: I, client_secret_env: S }", "connections[0].domain (sf): required"),
        ("connections:\n  - { name: sf, system: salesforce, domain: acme }", "connections[0].client_id_env (sf)"),
        ("connections:\n  - { name: fd, system: freshdesk, token_env: K }", "connections[0].domain (fd)"),
        ("connections:\n  - { name: zd, system: zendesk, subdomain: x }", "connections[0].token_env (zd)"),
        ("connections:\n  - { name: zd, system: zendesk, base_url: 'ftp://x', token_env: T }", "connections[0].base_url (zd)"),
        ("connections:\n  - { name: zd, system: zendesk, subdomain: x, token_env: T, poll_interval_seconds: 2 }", "connections[0].poll_interval_seconds (zd)"),
        ("connections:\n  - { name: zd, system: zendesk, subdomain: x, token_env: T, import_since: yesterday }", "connections[0].import_since"),
        ("connections:\n  - { name: ops, system: webhook }", "connections[0].webhook_secret_env (ops)"),
    ])
    func badConfigurationNamesTheField(yaml: String, expected: String) {
        do {
            _ = try ConnectionsFile.parse(yaml: yaml, source: "test.yml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(String(describing: error).hasPrefix("test.yml: " + expected), "\(error)")
        }
    }

    @Test func noConnectionsKeyIsNoConnections() throws {
        #expect(try ConnectionsFile.parse(yaml: "server: { port: 8080 }").isEmpty)
    }

    @Test func runtimeKeepsABrokenConnectionWithItsErrorAndRunsTheOthers() async throws {
        let connections = try ConnectionsFile.parse(yaml: """
            connections:
              - { name: zd, system: zendesk, subdomain: acme, token_env: ZD_TOKEN, webhook_secret_env: ZD_SECRET }
              - { name: sf, system: salesforce, domain: acme, client_id_env: SF_ID, client_secret_env: SF_SECRET }
              - { name: fd, system: freshdesk, domain: acme, token_env: FD_KEY }
              - { name: ops, system: webhook, webhook_secret_env: OPS }
            """)
        let store = try ZendeskFake.store()
        let runtime = ConnectorRuntime(
            configurations: connections, environment: ["ZD_TOKEN": "t", "ZD_SECRET": "s", "FD_KEY": "k", "OPS": "o", "SF_ID": "i"],
            store: store, now: { fixtureNow }
        )
        #expect(runtime.connection(named: "sf")?.setupError == "connection 'sf': environment variable SF_SECRET is not set")
        #expect(runtime.connection(named: "zd")?.ingestor != nil)
        #expect(runtime.connection(named: "fd")?.ingestor == nil)
        #expect(runtime.connection(named: "ops")?.polls == false)
        // zd and fd poll; the outbox writes back for both.
        #expect(runtime.services().count == 3)
        #expect(runtime.writebackRoutes.map(\.system) == [.zendesk, .freshdesk])
        #expect(runtime.connection(system: .webhook, named: nil)?.name == "ops")
        #expect(runtime.connection(system: .zendesk, named: "fd") == nil)
        #expect(throws: ConnectionsFileError.self) { try runtime.requireAllBuilt() }

        let statuses = await runtime.statuses()
        #expect(statuses.map(\.name) == ["zd", "sf", "fd", "ops"])
        #expect(statuses.filter { !$0.isHealthy }.map(\.name) == ["sf"])
        #expect(ConnectorRuntime.secretVariables(of: connections, in: ["ZD_TOKEN": "t", "HOME": "/root"]) == ["ZD_TOKEN": "t"])
    }

    @Test func checkpointSummaryIsOneLine() {
        #expect(SyncCheckpoint().summary == "start")
        #expect(SyncCheckpoint(since: SourceDateForTests.parse("2026-03-02T10:00:00Z"), lastID: "5005g00000SfA05AAF").summary == "since 2026-03-02T10:00:00Z, after 5005g00000SfA05AAF")
        #expect(SyncCheckpoint(cursor: String(repeating: "x", count: 40)).summary == "cursor " + String(repeating: "x", count: 21) + "...")
    }
}
