import Foundation
import Synchronization
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// The fake Zendesk behind OAuth: the API accepts only the current access token; `POST
/// /oauth/tokens` takes the JSON refresh-token grant, issues a new pair and invalidates the
/// old one (as Zendesk does), or answers 400 `invalid_grant`.
final class ZendeskOAuthFake: Sendable {
    struct Tokens: Sendable {
        var access: String
        var refresh: String
        var generation: Int
    }

    static let clientID = "ticketpulse_bot"
    static let clientSecret = "zd-client-secret"

    private let tokens: Mutex<Tokens>
    /// When false, every refresh is refused (revoked refresh token).
    private let refreshAllowed: Mutex<Bool>
    /// The access token expires once this many API calls have been answered with it.
    private let expiresAfterCalls: Mutex<Int?>

    init(access: String = "at-1", refresh: String = "rt-1", refreshAllowed: Bool = true, expiresAfterCalls: Int? = nil) {
        tokens = Mutex(Tokens(access: access, refresh: refresh, generation: 1))
        self.refreshAllowed = Mutex(refreshAllowed)
        self.expiresAfterCalls = Mutex(expiresAfterCalls)
    }

    var current: Tokens { tokens.withLock { $0 } }

    /// Zendesk expired the access token (it no longer authenticates); the refresh token still works.
    func expireAccessToken() { tokens.withLock { $0.access = "expired-\($0.generation)" } }

    var handler: @Sendable (FakeServer.Call) -> FakeServer.Reply {
        { call in
            if call.method == "POST" && call.path == "/oauth/tokens" { return self.token(call) }
            guard call.headers["authorization"] == "Bearer " + self.current.access else {
                return FakeServer.Reply(status: 401, headers: ["Content-Type": "application/json"], body: Array(#"{"error":"invalid_token","error_description":"The access token provided is expired, revoked, malformed or invalid for other reasons."}"#.utf8))
            }
            let expireNow = self.expiresAfterCalls.withLock { remaining -> Bool in
                guard let left = remaining else { return false }
                remaining = left - 1
                return left == 1
            }
            if expireNow { self.expireAccessToken() }
            return ZendeskFake.handler(call)
        }
    }

    private func token(_ call: FakeServer.Call) -> FakeServer.Reply {
        let body = call.json
        let valid = refreshAllowed.withLock { $0 } && call.headers["content-type"]?.hasPrefix("application/json") == true
            && body["grant_type"] as? String == "refresh_token" && body["client_id"] as? String == Self.clientID
            && body["client_secret"] as? String == Self.clientSecret && body["refresh_token"] as? String == current.refresh
        guard valid else {
            return FakeServer.Reply(status: 400, headers: ["Content-Type": "application/json"], body: Array(#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}"#.utf8))
        }
        let issued = tokens.withLock { tokens -> Tokens in
            tokens.generation += 1
            tokens.access = "at-\(tokens.generation)"
            tokens.refresh = "rt-\(tokens.generation)"
            return tokens
        }
        let answer: [String: Any] = [
            "access_token": issued.access, "token_type": "bearer", "scope": "read write",
            "expires_in": 7200, "refresh_token": issued.refresh, "refresh_token_expires_in": 2_592_000,
        ]
        return .json(try! JSONSerialization.data(withJSONObject: answer))
    }

    static func configuration(_ baseURL: String) -> ConnectionConfiguration {
        ConnectionConfiguration(
            name: "zendesk-main", system: .zendesk, baseURL: baseURL, tokenEnv: "ZD_ACCESS_TOKEN", refreshTokenEnv: "ZD_REFRESH_TOKEN",
            clientIDEnv: "ZD_CLIENT_ID", clientSecretEnv: "ZD_CLIENT_SECRET", customerFieldID: "360011", organizationMap: ["9001": "acme"]
        )
    }

    static func environment(access: String = "at-1", refresh: String = "rt-1") -> [String: String] {
        ["ZD_ACCESS_TOKEN": access, "ZD_REFRESH_TOKEN": refresh, "ZD_CLIENT_ID": clientID, "ZD_CLIENT_SECRET": clientSecret]
    }

    /// A connection as `serve` and the CLI build it: configuration plus environment over the store.
    static func runtime(_ baseURL: String, store: SQLiteStore, time: TestTime, environment: [String: String] = environment()) -> ConnectorRuntime {
        ConnectorRuntime(
            configurations: [configuration(baseURL)], environment: environment, store: store,
            http: .test(time), now: time.now, sleeper: time.sleeper
        )
    }
}

@Suite struct ZendeskOAuthTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tp-oauth-\(UUID().uuidString)/ticketpulse.sqlite").path
    }

    @Test func aTokenRejectedMidSyncIsRefreshedStoredAndTheSyncCompletes() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        // Zendesk expires the access token once page 1 has been served.
        let zendesk = ZendeskOAuthFake(expiresAfterCalls: 1)
        try await FakeServer.run(handler: zendesk.handler) { fake, url in
            let time = TestTime(fixtureNow)
            do {
                let store = try SQLiteStore(path: path)
                try store.upsertCustomers(ZendeskFake.customers)
                let runtime = ZendeskOAuthFake.runtime(url, store: store, time: time)
                let engine = try #require(runtime.connection(named: "zendesk-main")?.engine)
                let report = try await engine.syncOnce()

                #expect(report.pages == 3)
                #expect(report.tickets == 7)
                #expect(try store.ticketCount() == 5)
                for id in ["101", "102", "103", "104", "105"] {
                    let stored = try #require(try store.ticket(source: .zendesk, externalID: id))
                    #expect(try store.events(ticketID: stored.id).filter { $0.kind == .created }.count == 1)
                }
                let calls = fake.calls
                #expect(calls.map { "\($0.method) \($0.path) \($0.headers["authorization"] ?? "-")" } == [
                    "GET /api/v2/incremental/tickets/cursor.json Bearer at-1",
                    "GET /api/v2/incremental/tickets/cursor.json Bearer at-1",  // 401
                    "POST /oauth/tokens -",
                    "GET /api/v2/incremental/tickets/cursor.json Bearer at-2",  // the same page again
                    "GET /api/v2/incremental/tickets/cursor.json Bearer at-2",
                ])
                #expect(calls[1].query["cursor"] == ZendeskFake.cursorAfterPage1)
                #expect(calls[3].query["cursor"] == ZendeskFake.cursorAfterPage1)
                let grant = calls[2].json
                #expect(grant["grant_type"] as? String == "refresh_token")
                #expect(grant["refresh_token"] as? String == "rt-1")
                #expect(grant["client_id"] as? String == ZendeskOAuthFake.clientID)
                #expect(grant["client_secret"] as? String == ZendeskOAuthFake.clientSecret)

                // The new pair is in the store, beside (not inside) the cursor state.
                let state = StoreConnectorStateStore(store: store, now: time.now)
                let saved = try await #require(try state.credentials(connection: "zendesk-main"))
                #expect(saved.accessToken == "at-2")
                #expect(saved.refreshToken == "rt-2")
                #expect(saved.expiresAt == fixtureNow.addingTimeInterval(7200))
                await #expect(try state.connections() == ["zendesk-main"])
                await #expect(try state.state(connection: "zendesk-main").checkpoint?.cursor == ZendeskFake.cursorAfterPage3)
                await #expect(try state.state(connection: "zendesk-main").health.isHealthy)
            }

            // A restart with the environment's (now dead) tokens uses the stored pair: no refresh, no 401.
            let store = try SQLiteStore(path: path)
            let callsBefore = fake.calls.count
            let engine = try #require(ZendeskOAuthFake.runtime(url, store: store, time: time).connection(named: "zendesk-main")?.engine)
            let again = try await engine.syncOnce()
            #expect(again.pages == 1)
            let after = fake.calls.dropFirst(callsBefore)
            #expect(after.map { "\($0.method) \($0.headers["authorization"] ?? "-")" } == ["GET Bearer at-2"])

            // Near its announced expiry the token is refreshed before the call, not after a 401.
            time.advance(7200 - 30)
            let beforeExpiry = fake.calls.count
            _ = try await engine.syncOnce()
            #expect(fake.calls.dropFirst(beforeExpiry).map { "\($0.method) \($0.path)" } == ["POST /oauth/tokens", "GET /api/v2/incremental/tickets/cursor.json"])
            await #expect(try StoreConnectorStateStore(store: store).credentials(connection: "zendesk-main")?.refreshToken == "rt-3")
        }
    }

    @Test func aRefusedRefreshMarksTheConnectionUnhealthyWithAClearError() async throws {
        let zendesk = ZendeskOAuthFake(access: "at-live", refresh: "rt-live", refreshAllowed: false)
        try await FakeServer.run(handler: zendesk.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            // The configured access token has expired and the refresh token was revoked.
            let runtime = ZendeskOAuthFake.runtime(url, store: store, time: time, environment: ZendeskOAuthFake.environment(access: "at-old", refresh: "rt-old"))
            let engine = try #require(runtime.connection(named: "zendesk-main")?.engine)
            await #expect(throws: ConnectorError.self) { try await engine.syncOnce() }

            let health = try await engine.health()
            #expect(health.unhealthy)  // at once: retrying cannot fix a revoked refresh token
            #expect(health.consecutiveFailures == 1)
            let error = try #require(health.lastError)
            #expect(error.contains("token refresh failed"))
            #expect(error.contains("invalid_grant"))
            #expect(error.contains("ZD_ACCESS_TOKEN and ZD_REFRESH_TOKEN"))
            #expect(try store.ticketCount() == 0)
            #expect(fake.calls.map { "\($0.method) \($0.path)" } == ["GET /api/v2/incremental/tickets/cursor.json", "POST /oauth/tokens"])
            #expect(time.sleeps.isEmpty)  // a 400 from the token endpoint is not retried

            let status = try #require(await runtime.statuses().first)
            #expect(!status.isHealthy)
            #expect(status.health.lastError == error)

            // Someone authorizes again and sets the new tokens: the next pass heals the connection.
            let fixed = ZendeskOAuthFake.runtime(url, store: store, time: time, environment: ZendeskOAuthFake.environment(access: "at-live", refresh: "rt-live"))
            let report = try await #require(fixed.connection(named: "zendesk-main")?.engine).syncOnce()
            #expect(report.pages == 3)
            #expect(await fixed.statuses().first?.isHealthy == true)
        }
    }

    @Test func newEnvironmentTokensWinOverAStoredChain() async throws {
        let zendesk = ZendeskOAuthFake(access: "at-9", refresh: "rt-9")
        try await FakeServer.run(handler: zendesk.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            // Tokens refreshed from an older authorization, now revoked.
            try await StoreConnectorStateStore(store: store).saveCredentials(
                OAuthTokens(accessToken: "at-old", refreshToken: "rt-old", configuredRefreshTokenDigest: "digest-of-an-older-token"),
                connection: "zendesk-main"
            )
            let runtime = ZendeskOAuthFake.runtime(url, store: store, time: time, environment: ZendeskOAuthFake.environment(access: "at-9", refresh: "rt-9"))
            let report = try await #require(runtime.connection(named: "zendesk-main")?.engine).syncOnce()
            #expect(report.pages == 3)
            #expect(fake.calls.allSatisfy { $0.headers["authorization"] == "Bearer at-9" })
            #expect(await runtime.statuses().first?.isHealthy == true)
        }
    }

    @Test func requestsRejectedTogetherShareOneRefresh() async throws {
        let zendesk = ZendeskOAuthFake()
        zendesk.expireAccessToken()
        try await FakeServer.run(handler: zendesk.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let runtime = ZendeskOAuthFake.runtime(url, store: store, time: time)
            let engine = try #require(runtime.connection(named: "zendesk-main")?.engine)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await engine.syncTicket(id: "104") } }
                try await group.waitForAll()
            }
            // A second refresh with the spent refresh token would have been refused.
            #expect(fake.calls.filter { $0.path == "/oauth/tokens" }.count == 1)
            #expect(try store.ticket(source: .zendesk, externalID: "104") != nil)
            #expect(fake.calls.filter { $0.path == "/api/v2/tickets/104.json" && $0.headers["authorization"] == "Bearer at-2" }.count == 4)
        }
    }

    @Test func notesAreWrittenBackWithARefreshedToken() async throws {
        let zendesk = ZendeskOAuthFake()
        zendesk.expireAccessToken()
        try await FakeServer.run(handler: zendesk.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let writer = try #require(ZendeskOAuthFake.runtime(url, store: try ZendeskFake.store(), time: time).connection(named: "zendesk-main")?.writer)
            try await writer.addInternalNote(externalID: "101", body: "Customer called")
            #expect(fake.calls.map { "\($0.method) \($0.path) \($0.headers["authorization"] ?? "-")" } == [
                "PUT /api/v2/tickets/101.json Bearer at-1", "POST /oauth/tokens -", "PUT /api/v2/tickets/101.json Bearer at-2",
            ])
        }
    }

    @Test func oauthSettingsAreCheckedWithTheKeyNamed() throws {
        let base = """
        connections:
          - name: zd
            system: zendesk
            subdomain: acme
            token_env: ZD_ACCESS_TOKEN
            refresh_token_env: ZD_REFRESH_TOKEN

        """
        #expect(throws: ConnectionsFileError.self) { try ConnectionsFile.parse(yaml: base) }
        do {
            _ = try ConnectionsFile.parse(yaml: base)
        } catch let error as ConnectionsFileError {
            #expect(error.detail.contains("client_id_env"))
        }
        let withEmail = base + "    client_id_env: ZD_CLIENT_ID\n    client_secret_env: ZD_CLIENT_SECRET\n    email: bot@acme.com\n"
        do {
            _ = try ConnectionsFile.parse(yaml: withEmail)
            Issue.record("email with refresh_token_env must be refused")
        } catch let error as ConnectionsFileError {
            #expect(error.detail.contains("email"))
        }
        // The access token may be left out: the first call refreshes.
        let parsed = try ConnectionsFile.parse(yaml: """
        connections:
          - name: zd
            system: zendesk
            subdomain: acme
            refresh_token_env: ZD_REFRESH_TOKEN
            client_id_env: ZD_CLIENT_ID
            client_secret_env: ZD_CLIENT_SECRET
        """)
        #expect(parsed.first?.refreshTokenEnv == "ZD_REFRESH_TOKEN")
        #expect(parsed.first?.resolvedBaseURL == "https://acme.zendesk.com")
        // The documented example.
        let example = try ConnectionsFile.load(path: Fixtures.root.deletingLastPathComponent().appendingPathComponent("ticketpulse.example.yml").path)
        let oauth = try #require(example.first { $0.name == "zendesk-eu" })
        #expect(oauth.email == nil)
        #expect(oauth.refreshTokenEnv == "ZENDESK_EU_REFRESH_TOKEN")
        #expect(oauth.clientIDEnv == "ZENDESK_EU_CLIENT_ID")
        #expect(oauth.clientSecretEnv == "ZENDESK_EU_CLIENT_SECRET")
        let environment = ["ZD_REFRESH_TOKEN": "rt", "ZD_CLIENT_ID": "id", "ZD_CLIENT_SECRET": "secret", "PATH": "/bin"]
        #expect(ConnectorRuntime.secretVariables(of: parsed, in: environment) == ["ZD_REFRESH_TOKEN": "rt", "ZD_CLIENT_ID": "id", "ZD_CLIENT_SECRET": "secret"])
    }

    @Test func withoutAnAccessTokenTheFirstCallRefreshes() async throws {
        let zendesk = ZendeskOAuthFake()
        try await FakeServer.run(handler: zendesk.handler) { fake, url in
            let time = TestTime(fixtureNow)
            var environment = ZendeskOAuthFake.environment()
            environment["ZD_ACCESS_TOKEN"] = nil
            var configuration = ZendeskOAuthFake.configuration(url)
            configuration.tokenEnv = nil
            let runtime = ConnectorRuntime(configurations: [configuration], environment: environment, store: try ZendeskFake.store(),
                                           http: .test(time), now: time.now, sleeper: time.sleeper)
            let report = try await #require(runtime.connection(named: "zendesk-main")?.engine).syncOnce()
            #expect(report.pages == 3)
            #expect(fake.calls.first?.path == "/oauth/tokens")
            #expect(fake.calls.dropFirst().allSatisfy { $0.headers["authorization"] == "Bearer at-2" })
        }
    }
}
