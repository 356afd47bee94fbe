import Foundation
import Logging
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issue 12 §6: rejected credentials mark a connection unhealthy after one pass, with the
/// fix named; a source that refuses connections fails a pass in bounded time.
@Suite struct ConnectorHealthTests {
    static let yaml = """
    connections:
      - { name: zendesk-main, system: zendesk, base_url: BASE, email: bot@ourcompany.example, token_env: ZENDESK_TOKEN }
    """

    static func runtime(_ baseURL: String, store: SQLiteStore, time: TestTime, http: ConnectorHTTPClient? = nil) throws -> ConnectorRuntime {
        let configurations = try ConnectionsFile.parse(yaml: yaml.replacingOccurrences(of: "BASE", with: baseURL))
        return ConnectorRuntime(configurations: configurations, environment: ["ZENDESK_TOKEN": "revoked-token"], store: store,
                                http: http ?? .test(time), now: time.now, sleeper: time.sleeper)
    }

    @Test(arguments: [401, 403])
    func aRejectedZendeskTokenIsUnhealthyAfterOnePassAndNamesTheFix(status: Int) async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            fake.script(.status(status), when: { $0.path.hasPrefix("/api/v2/incremental") })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let runtime = try Self.runtime(url, store: store, time: time)
            let output = ConnectionCommandsTests.Output()
            let outcome = try await ConnectionCommands.sync(runtime: runtime, connection: "zendesk-main", full: false, now: time.now, progress: { _ in }, output: output.write)
            #expect(outcome.failed == ["zendesk-main"])
            let fix = "the token in ZENDESK_TOKEN was rejected: create a new one under Admin → Apps and integrations → APIs"
            #expect(output.text.contains(fix), "\(output.text)")
            #expect(output.text.contains("HTTP \(status)"))

            let health = try await #require(runtime.connection(named: "zendesk-main")?.engine).health()
            #expect(health.consecutiveFailures == 1)
            #expect(health.unhealthy)
            #expect(health.lastError?.contains(fix) == true)
            let status = try #require(await runtime.statuses().first)
            #expect(!status.isHealthy)
            // Nothing to retry within the pass: one call, no waiting.
            #expect(fake.calls.count == 1)
            #expect(time.sleeps.isEmpty)

            // New credentials in place: the next good pass makes it healthy again.
            _ = try await #require(runtime.connection(named: "zendesk-main")?.engine).syncOnce()
            #expect(try await #require(runtime.connection(named: "zendesk-main")?.engine).health().isHealthy)
        }
    }

    @Test func otherSystemsNameTheirCredentials() async throws {
        let cases: [(ConnectionConfiguration, String)] = [
            (ConnectionConfiguration(name: "fd", system: .freshdesk, domain: "acme", tokenEnv: "FD_KEY"), "the API key in FD_KEY was rejected"),
            (ConnectionConfiguration(name: "ic", system: .intercom, tokenEnv: "IC_TOKEN"), "the access token in IC_TOKEN was rejected"),
            (ConnectionConfiguration(name: "sf", system: .salesforce, domain: "acme", clientIDEnv: "SF_ID", clientSecretEnv: "SF_SECRET"), "credentials in SF_ID and SF_SECRET"),
            (ConnectionConfiguration(name: "zo", system: .zendesk, subdomain: "acme", tokenEnv: "ZD_ACCESS", refreshTokenEnv: "ZD_REFRESH", clientIDEnv: "I", clientSecretEnv: "S"),
             "the OAuth access token in ZD_ACCESS (and its refresh token in ZD_REFRESH) was rejected"),
        ]
        for (configuration, expected) in cases {
            // A source that rejects everything: the engine turns the 401 into the fix.
            let engine = SyncEngine(connection: configuration, source: Rejecting(), store: try SQLiteStore(), state: InMemoryConnectorStateStore(), now: { fixtureNow })
            await #expect(throws: ConnectorError.self) { try await engine.syncOnce() }
            let health = try await engine.health()
            #expect(health.unhealthy, "\(configuration.name)")
            #expect(health.lastError?.contains(expected) == true, "\(health.lastError ?? "-")")
        }
    }

    @Test func aServerErrorStillNeedsThreePassesToBeUnhealthy() async throws {
        try await FakeServer.run(handler: ZendeskFake.handler) { fake, url in
            for _ in 0..<3 { fake.script(.status(503), when: { _ in true }) }
            let time = TestTime(fixtureNow)
            let engine = try ZendeskFake.engine(url, store: try ZendeskFake.store(), state: InMemoryConnectorStateStore(), time: time)
            await #expect(throws: ConnectorError.self) { try await engine.syncOnce() }
            #expect(try await engine.health().consecutiveFailures == 1)
            #expect(try await !engine.health().unhealthy)
        }
    }

    /// A port nothing listens on: bound (so the system picked a free one), then closed.
    static func closedPort() throws -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        close(descriptor)
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func theConnectorPoolFailsARefusedConnectionAtOnce() {
        // AsyncHTTPClient's default retries a refused connect inside the request until its
        // 60-s deadline: five attempts took 317 s. `send` does the retrying instead.
        #expect(ConnectorHTTPClient.poolConfiguration.connectionPool.retryConnectionEstablishment == false)
    }

    @Test(arguments: [5, 50])
    func aClosedPortFailsTheSyncWithinThirtySecondsOfWaiting(maxAttempts: Int) async throws {
        let port = try Self.closedPort()
        let time = TestTime(fixtureNow)
        let store = try ZendeskFake.store()
        // The production policy, with the most jitter it can draw; 50 attempts shows the
        // 30-s budget, not the attempt count, is what stops it.
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let http = ConnectorHTTPClient(policy: RetryPolicy(maxAttempts: maxAttempts, random: { 0.999 }), sleeper: time.sleeper, now: time.now, logger: logger)
        let runtime = try Self.runtime("http://127.0.0.1:\(port)", store: store, time: time, http: http)
        let output = ConnectionCommandsTests.Output()
        let outcome = try await ConnectionCommands.sync(runtime: runtime, connection: "zendesk-main", full: false, now: time.now, progress: { _ in }, output: output.write)
        #expect(outcome.failed == ["zendesk-main"])
        #expect(output.text.contains("cannot reach 127.0.0.1:\(port): connection refused"), "\(output.text)")
        let waited = time.sleeps.reduce(Duration.zero, +)
        #expect(waited <= .seconds(30), "\(time.sleeps)")
        #expect(time.sleeps.count >= 2)  // it did retry before giving up
        let health = try await #require(runtime.connection(named: "zendesk-main")?.engine).health()
        #expect(health.consecutiveFailures == 1)
        #expect(health.lastError?.contains("connection refused") == true)
    }
}

/// A source whose every call is refused with 401, as the HTTP layer reports it.
private struct Rejecting: TicketSource {
    func fetchPage(after checkpoint: SyncCheckpoint?) async throws -> SourcePage { throw ConnectorError.unauthorized(status: 401) }
    func fetchTicket(id: String) async throws -> SourceTicket? { throw ConnectorError.unauthorized(status: 401) }
}
