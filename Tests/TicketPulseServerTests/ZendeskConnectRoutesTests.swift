import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// The connect flow, the callback and the organization mapping through the real
/// application, against a fake Zendesk that speaks `/oauth/tokens` and the cursor export,
/// with an admin check that a test header satisfies.
@Suite("Zendesk connect routes")
struct ZendeskConnectRoutesTests {
    static let now = Date(timeIntervalSince1970: 1_772_540_000) // 2026-03-03T12:13:20Z
    static let redirectURI = "https://tp.example/api/integrations/zendesk/callback"
    static let role = HTTPField.Name("X-Test-Role")!
    static let admin: HTTPFields = [role: "admin", .contentType: "application/json"]

    /// `X-Test-Role: admin` is an admin, `csm` a CSM; without it the call is refused as a missing token would be.
    static let adminCheck: AdminCheck = { request in
        switch request.headers[role] {
        case "admin": return CSM(email: "ops@example.com", name: "Ops", role: .admin)
        case "csm": return CSM(email: "mike.chen@example.com", name: "Mike Chen", role: .csm)
        default: throw APIRefusal(status: .unauthorized, code: "unauthorized", message: "a Bearer token is required")
        }
    }

    /// Zendesk as the flow meets it: the authorization-code grant for one code, then the
    /// export for the access token it issued.
    static let zendesk: @Sendable (FakeServer.Call) -> FakeServer.Reply = { call in
        switch (call.method, call.path) {
        case ("POST", "/oauth/tokens"):
            let grant = call.json
            guard grant["grant_type"] as? String == "authorization_code", grant["code"] as? String == "code-1",
                  grant["client_id"] as? String == "tp_client", grant["client_secret"] as? String == "tp-secret",
                  grant["redirect_uri"] as? String == redirectURI else {
                return FakeServer.Reply(status: 400, headers: ["Content-Type": "application/json"],
                                        body: Array(#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid"}"#.utf8))
            }
            return .json(Data(#"{"access_token":"zd-access-1","token_type":"bearer","scope":"read write","expires_in":7200,"refresh_token":"zd-refresh-1","refresh_token_expires_in":2592000}"#.utf8))
        case ("GET", "/api/v2/incremental/tickets/cursor.json"):
            guard call.headers["authorization"] == "Bearer zd-access-1" else { return .status(401) }
            return .json(Data(WebhookRoutesTests.fixture(call.query["cursor"] == nil ? "zendesk/export_page1.json" : "zendesk/export_empty.json")))
        default:
            return .status(404)
        }
    }

    /// The application with the connect flow configured over a fresh store; `changes` gets
    /// what each sync pass stored.
    static func run(adminCheck: AdminCheck? = adminCheck,
                    _ body: @escaping @Sendable (SQLiteStore, FakeServer, AsyncQueue<[UpsertResult]>, any TestClientProtocol) async throws -> Void) async throws {
        try await FakeServer.run(handler: zendesk) { fake, url in
            let store = try SQLiteStore()
            try store.upsertCustomers([Customer(id: "acme", name: "Acme", domains: ["acme.com"]), Customer(id: "globex", name: "Globex", domains: ["globex.example"]),
                                       Customer(id: "initech", name: "Initech", domains: ["initech.example"])])
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let changes = AsyncQueue<[UpsertResult]>()
            let settings = ZendeskOAuthSettings(clientID: "tp_client", clientSecret: "tp-secret", redirectURI: redirectURI,
                                                stateSecret: String(repeating: "k", count: 40), baseURLTemplate: url)
            let connectors = ConnectorRuntime(configurations: [], environment: [:], store: store, zendeskOAuth: settings, now: { now },
                                              sleeper: WebhookRoutesTests.idleUntilCancelled, onChanges: { changes.push($0) }, logger: logger)
            var configuration = AppConfiguration(databasePath: ":memory:")
            configuration.port = 0
            let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: URL(string: "http://127.0.0.1:9/api")!, httpClient: HTTPClient.shared, logger: logger)
            let app = await buildApplication(configuration: configuration,
                                             dependencies: AppDependencies(store: store, slack: slack, now: { now }, connectors: connectors, adminCheck: adminCheck),
                                             logger: logger)
            try await app.test(.live) { client in try await body(store, fake, changes, client) }
        }
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static func connect(_ client: some TestClientProtocol, _ body: String = #"{"subdomain":"acme"}"#) async throws -> [String: Any] {
        let response = try await client.execute(uri: "/api/integrations/zendesk/connect", method: .post, headers: admin, body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        return try object(response)
    }

    /// The `state` query item of an authorize URL.
    static func state(_ authorizeURL: String) throws -> String {
        let items = try #require(URLComponents(string: authorizeURL)?.queryItems)
        return try #require(items.first { $0.name == "state" }?.value)
    }

    @Test("connect answers the account's authorize URL with the client, redirect, scope and a signed state")
    func authorizeURL() async throws {
        try await Self.run { store, fake, _, client in
            let answer = try await Self.connect(client)
            let url = try #require(answer["authorize_url"] as? String)
            let components = try #require(URLComponents(string: url))
            #expect(components.path == "/oauth/authorizations/new")
            #expect(url.contains("?response_type=code&client_id=tp_client&redirect_uri=https%3A%2F%2Ftp.example%2Fapi%2Fintegrations%2Fzendesk%2Fcallback&scope=read%20write&state="))
            #expect(try Self.state(url).split(separator: ".").count == 2)
            #expect(answer["connection"] as? String == "zendesk-acme")
            #expect(answer["subdomain"] as? String == "acme")
            #expect(answer["state_expires_at"] as? String == Self.now.addingTimeInterval(600).formatted(.iso8601))
            #expect(fake.calls.isEmpty)
            let bad = try await client.execute(uri: "/api/integrations/zendesk/connect", method: .post, headers: Self.admin, body: ByteBuffer(string: #"{"subdomain":"not a subdomain"}"#))
            #expect(bad.status == .badRequest)
            #expect(try Self.object(bad)["error"] as? String == "invalid_parameter")
            #expect((try Self.object(bad)["message"] as? String)?.hasPrefix("subdomain:") == true)
            let audit = try await store.auditLog().filter { $0.action == "api:zendesk_connect" }
            #expect(audit.map(\.outcome) == [.refused(reason: "invalid_parameter"), .allowed])
            #expect(audit.allSatisfy { $0.actor == "ops@example.com" })
        }
    }

    @Test("a changed, foreign or reused state is refused with 400 and nothing is created")
    func stateTampering() async throws {
        try await Self.run { store, fake, changes, client in
            let state = try Self.state(try #require(try await Self.connect(client)["authorize_url"] as? String))
            let payload = String(state.split(separator: ".")[0])
            // The same signature over another subdomain.
            var decoded = try #require(Data(base64Encoded: payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/").padding(toLength: (payload.count + 3) / 4 * 4, withPad: "=", startingAt: 0)))
            decoded = Data(String(decoding: decoded, as: UTF8.self).replacingOccurrences(of: "\"acme\"", with: "\"evil\"").utf8)
            let forged = decoded.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
                + "." + state.split(separator: ".")[1]
            for bad in [forged, state + "x", "not-a-state"] {
                let response = try await client.execute(uri: "/api/integrations/zendesk/callback?code=code-1&state=\(bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? bad)", method: .get, headers: Self.admin)
                #expect(response.status == .badRequest)
                #expect(try Self.object(response)["error"] as? String == "invalid_state")
            }
            #expect(fake.calls.isEmpty, "no code was exchanged")
            #expect(try store.storedConnections().isEmpty)
            // The genuine state works once; the second use is refused and changes nothing.
            let first = try await client.execute(uri: "/api/integrations/zendesk/callback?code=code-1&state=\(state)", method: .get, headers: Self.admin)
            #expect(first.status == .created)
            _ = await changes.next()
            let again = try await client.execute(uri: "/api/integrations/zendesk/callback?code=code-1&state=\(state)", method: .get, headers: Self.admin)
            #expect(again.status == .badRequest)
            #expect((try Self.object(again)["message"] as? String)?.contains("used already") == true)
            #expect(try store.storedConnections().count == 1)
            let refused = try await store.auditLog().filter { $0.action == "api:zendesk_callback" && $0.outcome == .refused(reason: "invalid_state") }
            #expect(refused.count == 4)
        }
    }

    @Test("the callback exchanges the code, keeps the tokens, stores the connection and imports its history at once")
    func codeExchangeAndImport() async throws {
        try await Self.run { store, fake, changes, client in
            let state = try Self.state(try #require(try await Self.connect(client)["authorize_url"] as? String))
            let response = try await client.execute(uri: "/api/integrations/zendesk/callback?code=code-1&state=\(state)", method: .get, headers: Self.admin)
            #expect(response.status == .created)
            let answer = try Self.object(response)
            #expect(answer["historical_import"] as? String == "started")
            let connection = try #require(answer["connection"] as? [String: Any])
            #expect(connection["name"] as? String == "zendesk-acme" && connection["origin"] as? String == "store" && connection["created_by"] as? String == "ops@example.com")
            #expect(!String(decoding: response.body.readableBytesView, as: UTF8.self).contains("zd-access-1"), "tokens are never answered")

            let grant = try #require(fake.calls.first { $0.path == "/oauth/tokens" })
            #expect(grant.json["grant_type"] as? String == "authorization_code" && grant.json["scope"] as? String == "read write")

            // Kept as the refresh flow keeps them: the connection's credentials entry.
            let saved = try #require(try store.connectionState("zendesk-acme#oauth"))
            let tokens = try JSONDecoder().decode(OAuthTokens.self, from: saved)
            #expect(tokens.accessToken == "zd-access-1" && tokens.refreshToken == "zd-refresh-1")
            #expect(tokens.expiresAt == Self.now.addingTimeInterval(7200))
            #expect(try store.storedConnections().map(\.subdomain) == ["acme"])

            // The historical import runs in the server without a restart.
            let imported = try #require(await changes.next())
            #expect(imported.count == 3)
            #expect(try store.ticket(source: .zendesk, externalID: "101")?.ticket.organizationID == "9001")
            let export = try #require(fake.calls.first { $0.path == "/api/v2/incremental/tickets/cursor.json" })
            #expect(export.headers["authorization"] == "Bearer zd-access-1")

            // Another account can be connected beside it, with its own ticket prefix; the same one cannot.
            let second = try await Self.connect(client, #"{"subdomain":"acme-eu.zendesk.com"}"#)
            #expect(second["connection"] as? String == "zendesk-acme-eu")
            let duplicate = try await client.execute(uri: "/api/integrations/zendesk/connect", method: .post, headers: Self.admin, body: ByteBuffer(string: #"{"subdomain":"acme","name":"other"}"#))
            #expect(duplicate.status == .conflict)
        }
    }

    @Test("an account another replica connected meanwhile is refused with 409, and this one picks it up")
    func connectedElsewhere() async throws {
        try await Self.run { store, _, _, client in
            try store.addStoredConnection(StoredConnection(name: "acme-support", system: .zendesk, subdomain: "acme", createdAt: Self.now, createdBy: "other@example.com"),
                                          credentials: Data(#"{"access_token":"a","refresh_token":"r","configured_refresh_token_sha256":"d"}"#.utf8),
                                          credentialsKey: "acme-support#oauth")
            let response = try await client.execute(uri: "/api/integrations/zendesk/connect", method: .post, headers: Self.admin, body: ByteBuffer(string: #"{"subdomain":"acme"}"#))
            #expect(response.status == .conflict)
            #expect(try Self.object(response)["message"] as? String == "acme.zendesk.com is connected already as 'acme-support' (store)")
        }
    }

    @Test("a code Zendesk refuses is 502 and stores nothing")
    func refusedCode() async throws {
        try await Self.run { store, _, _, client in
            let state = try Self.state(try #require(try await Self.connect(client)["authorize_url"] as? String))
            let response = try await client.execute(uri: "/api/integrations/zendesk/callback?code=wrong&state=\(state)", method: .get, headers: Self.admin)
            #expect(response.status == .badGateway)
            #expect((try Self.object(response)["message"] as? String)?.contains("invalid_grant") == true)
            #expect(try store.storedConnections().isEmpty)
            #expect(try store.connectionState("zendesk-acme#oauth") == nil)
        }
    }

    @Test("without an admin every route is refused as JSON, audited, and does nothing")
    func refusedCallers() async throws {
        try await Self.run { store, fake, _, client in
            let routes: [(String, HTTPRequest.Method, String?)] = [
                ("/api/integrations/zendesk/connect", .post, #"{"subdomain":"acme"}"#),
                ("/api/integrations/zendesk/callback?code=code-1&state=x.y", .get, nil),
                ("/api/integrations/zendesk/mapping", .put, #"{"mappings":[{"organization_id":"9001","customer_id":"acme"}]}"#),
            ]
            for (uri, method, body) in routes {
                let anonymous = try await client.execute(uri: uri, method: method, headers: [.contentType: "application/json"], body: body.map { ByteBuffer(string: $0) })
                #expect(anonymous.status == .unauthorized)
                #expect(try Self.object(anonymous)["error"] as? String == "unauthorized")
                let csm = try await client.execute(uri: uri, method: method, headers: [Self.role: "csm"], body: body.map { ByteBuffer(string: $0) })
                #expect(csm.status == .forbidden)
                #expect(try Self.object(csm)["error"] as? String == "forbidden")
            }
            #expect(fake.calls.isEmpty)
            #expect(try store.organizationMappings(source: .zendesk).isEmpty)
            let refusals = try await store.auditLog().filter { $0.action.hasPrefix("api:zendesk_") }
            #expect(refusals.count == 6)
            #expect(refusals.filter { $0.actor == "mike.chen@example.com" }.count == 3)
            #expect(refusals.allSatisfy { $0.outcome?.name == "refused" })
        }
    }

    @Test("as served: connect and mapping take an admin's API token; the callback, a browser Zendesk sends back, is the admin of its signed state")
    func servedWithTokens() async throws {
        try await Self.run(adminCheck: nil) { store, _, changes, client in
            try store.upsertCSMs([CSM(email: "ops@example.com", name: "Ops", role: .admin), CSM(email: "mike.chen@example.com", name: "Mike Chen", role: .csm)])
            let body = ByteBuffer(string: #"{"subdomain":"acme"}"#)
            let anonymous = try await client.execute(uri: "/api/integrations/zendesk/connect", method: .post, headers: [.contentType: "application/json"], body: body)
            #expect(anonymous.status == .unauthorized)

            let csmToken = try await APITokenIssuer.issue(for: "mike.chen@example.com", name: "test", store: store, now: Self.now).secret
            let csm = try await client.execute(uri: "/api/integrations/zendesk/connect", method: .post,
                                               headers: [.contentType: "application/json", .authorization: "Bearer \(csmToken)"], body: body)
            #expect(csm.status == .forbidden)

            let adminToken = try await APITokenIssuer.issue(for: "ops@example.com", name: "test", store: store, now: Self.now).secret
            let connected = try await client.execute(uri: "/api/integrations/zendesk/connect", method: .post,
                                                     headers: [.contentType: "application/json", .authorization: "Bearer \(adminToken)"], body: body)
            #expect(connected.status == .ok)
            let state = try Self.state(try #require(try Self.object(connected)["authorize_url"] as? String))

            let forged = try await client.execute(uri: "/api/integrations/zendesk/callback?code=code-1&state=x\(state)", method: .get)
            #expect(forged.status == .badRequest)
            #expect(try Self.object(forged)["error"] as? String == "invalid_state")
            // No Authorization header: the state says who started the flow.
            let callback = try await client.execute(uri: "/api/integrations/zendesk/callback?code=code-1&state=\(state)", method: .get)
            #expect(callback.status == .created)
            #expect(try store.storedConnections().map(\.createdBy) == ["ops@example.com"])
            _ = await changes.next()
            let audit = try await store.auditLog().filter { $0.action == "api:zendesk_callback" }
            #expect(audit.map(\.actor).contains("ops@example.com"))
        }
    }

    @Test("the mapping is validated, stored, used by the matcher and applied to stored tickets at once")
    func mapping() async throws {
        try await Self.run { store, _, changes, client in
            let state = try Self.state(try #require(try await Self.connect(client)["authorize_url"] as? String))
            _ = try await client.execute(uri: "/api/integrations/zendesk/callback?code=code-1&state=\(state)", method: .get, headers: Self.admin)
            _ = await changes.next()
            // 101 (organization 9001) was matched by its requester's domain, 102 by its organization's name.
            #expect(try store.ticket(source: .zendesk, externalID: "101")?.ticket.customerID == "acme")

            let unknown = try await client.execute(uri: "/api/integrations/zendesk/mapping", method: .put, headers: Self.admin,
                                                   body: ByteBuffer(string: #"{"mappings":[{"organization_id":9001,"customer_id":"initech"},{"organization_id":"9002","customer_id":"nope"}]}"#))
            #expect(unknown.status == .badRequest)
            #expect(try Self.object(unknown)["message"] as? String == "mappings[1].customer_id: no customer 'nope' in the roster")
            // An empty object is not "no mappings": clearing them takes {"mappings": …} said outright.
            let empty = try await client.execute(uri: "/api/integrations/zendesk/mapping", method: .put, headers: Self.admin, body: ByteBuffer(string: "{}"))
            #expect(empty.status == .badRequest)
            #expect(try store.organizationMappings(source: .zendesk).isEmpty, "nothing is stored from a refused body")

            let applied = try await client.execute(uri: "/api/integrations/zendesk/mapping", method: .put, headers: Self.admin,
                                                   body: ByteBuffer(string: #"{"mappings":{"9001":"initech","9002":"initech"}}"#))
            #expect(applied.status == .ok)
            let answer = try Self.object(applied)
            // The mapping wins over the requester's domain (101) and the organization's name (102).
            #expect(answer["tickets_moved"] as? Int == 2)
            #expect((answer["mappings"] as? [[String: Any]])?.count == 2)
            let moved = try #require(try store.ticket(source: .zendesk, externalID: "101")?.ticket)
            #expect(moved.customerID == "initech" && moved.matchRule == "organization_mapping")
            #expect(try store.ticket(source: .zendesk, externalID: "102")?.ticket.customerID == "initech")
            #expect(try store.organizationMappings(source: .zendesk) == ["9001": "initech", "9002": "initech"])

            // Replaced by an empty mapping: both go back to their requesters' domains.
            let replaced = try await client.execute(uri: "/api/integrations/zendesk/mapping", method: .put, headers: Self.admin, body: ByteBuffer(string: #"{"mappings":[]}"#))
            #expect(try Self.object(replaced)["tickets_moved"] as? Int == 2)
            #expect(try store.ticket(source: .zendesk, externalID: "101")?.ticket.customerID == "acme")
            #expect(try store.ticket(source: .zendesk, externalID: "102")?.ticket.matchRule == "domain")
        }
    }

    /// The three operations, as `APIContractTests` names documented ones.
    static let operations = ["POST /api/integrations/zendesk/connect", "GET /api/integrations/zendesk/callback", "PUT /api/integrations/zendesk/mapping"]

    @Test("every answer of the three routes is described by docs/openapi.json")
    func answersMatchTheOpenAPIDocument() async throws {
        try await Self.run { _, _, changes, client in
            let calls: [(String, HTTPRequest.Method, HTTPFields, String?)] = [
                ("/api/integrations/zendesk/connect", .post, Self.admin, #"{"subdomain":"acme"}"#),
                ("/api/integrations/zendesk/connect", .post, Self.admin, #"{"subdomain":"-"}"#),
                ("/api/integrations/zendesk/connect", .post, [:], #"{"subdomain":"acme"}"#),
                ("/api/integrations/zendesk/connect", .post, [Self.role: "csm"], #"{"subdomain":"acme"}"#),
                ("/api/integrations/zendesk/callback?code=code-1&state=x.y", .get, Self.admin, nil),
                ("/api/integrations/zendesk/callback?error=access_denied", .get, Self.admin, nil),
                ("/api/integrations/zendesk/mapping", .put, Self.admin, #"{"mappings":{"9001":"nope"}}"#),
                ("/api/integrations/zendesk/mapping", .put, Self.admin, #"{"mappings":[{"organization_id":9001,"customer_id":"acme"}]}"#),
            ]
            var answers: [(String, String, Int, JSONValue)] = []
            func record(_ uri: String, _ method: HTTPRequest.Method, _ response: TestResponse) throws {
                answers.append((String(uri.split(separator: "?")[0]), method.rawValue, Int(response.status.code),
                                try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))))
            }
            var authorizeURL: String?
            for (uri, method, headers, body) in calls {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                if authorizeURL == nil { authorizeURL = try Self.object(response)["authorize_url"] as? String }
                try record(uri, method, response)
            }
            let state = try Self.state(try #require(authorizeURL))
            let callback = "/api/integrations/zendesk/callback?code=code-1&state=\(state)"
            try record(callback, .get, try await client.execute(uri: callback, method: .get, headers: Self.admin))
            _ = await changes.next()
            try record("/api/integrations/zendesk/connect", .post, try await client.execute(uri: "/api/integrations/zendesk/connect", method: .post, headers: Self.admin,
                                                                                           body: ByteBuffer(string: #"{"subdomain":"acme"}"#)))
            #expect(Set(answers.map(\.2)) == [200, 201, 400, 401, 403, 409])
            for (path, method, status, body) in answers {
                let problems = APIContractTests.violations(path: path, method: method, status: status, body: body)
                #expect(problems.isEmpty, "\(problems)")
            }
        }
    }
}

/// `zendesk_oauth:` in ticketpulse.yml, read through `AppConfiguration.load`.
@Suite("Zendesk OAuth configuration")
struct ZendeskOAuthConfigurationTests {
    static let secrets = ["ZENDESK_OAUTH_CLIENT_SECRET": "zd-secret", "TICKETPULSE_OAUTH_STATE_SECRET": String(repeating: "s", count: 32)]

    @Test("The section is read, with both secrets from the environment")
    func section() throws {
        let configuration = try EmailConfigurationTests.load("""
        zendesk_oauth:
          client_id: ticketpulse_bot
          redirect_uri: https://tp.example.com/api/integrations/zendesk/callback
          poll_interval_seconds: 120
        """, environment: Self.secrets)
        let oauth = try #require(configuration.zendeskOAuth)
        #expect(oauth.clientID == "ticketpulse_bot" && oauth.clientSecret == "zd-secret" && oauth.pollIntervalSeconds == 120)
        #expect(oauth.baseURL(subdomain: "acme") == "https://acme.zendesk.com")
        #expect(try EmailConfigurationTests.load("server:\n  port: 8080\n").zendeskOAuth == nil)
    }

    @Test("A missing key or secret stops the load, naming it", arguments: [
        ("zendesk_oauth:\n  redirect_uri: https://tp.example.com/cb\n", ZendeskOAuthConfigurationTests.secrets, "zendesk_oauth.client_id is required"),
        ("zendesk_oauth:\n  client_id: x\n", ZendeskOAuthConfigurationTests.secrets, "zendesk_oauth.redirect_uri is required"),
        ("zendesk_oauth:\n  client_id: x\n  redirect_uri: https://tp.example.com/cb\n  client_secret_env: ZD_SECRET\n", ZendeskOAuthConfigurationTests.secrets,
         "zendesk_oauth.client_secret_env names ZD_SECRET, which is not set"),
        ("zendesk_oauth:\n  client_id: x\n  redirect_uri: https://tp.example.com/cb\n", ["ZENDESK_OAUTH_CLIENT_SECRET": "s", "TICKETPULSE_OAUTH_STATE_SECRET": "short"],
         "at least 32 characters"),
    ])
    func refused(yaml: String, environment: [String: String], message: String) {
        #expect {
            try EmailConfigurationTests.load(yaml, environment: environment)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
