import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
import TicketPulseIntents
import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTemplates
import TicketPulseTestSupport
import TicketPulseWorkflows

/// The server over the demo store (the demo's people, accounts, 120 days of tickets and the
/// alerts its first detector pass raises), with the dashboard's Sign in with Slack pointed at
/// the in-process fake Slack; the clock is the demo's.
struct WebHarness {
    static let now = Date(timeIntervalSince1970: 1_795_428_000)
    static func person(_ prefix: String) -> CSM { DemoRoster.staff.first { $0.email.hasPrefix(prefix + ".") }! }
    static let mike = person("mike"), sam = person("sam"), maria = person("maria"), alex = person("alex")

    let store: any Store
    let fake: FakeSlack
    let client: any TestClientProtocol
    let configuration: AppConfiguration

    /// `secure`: the dashboard's public URL is https (behind TLS).
    static func run(secure: Bool = false, _ body: @escaping @Sendable (WebHarness) async throws -> Void) async throws {
        try await FakeSlack.run { fake, url in
            let store = try await makeStore()
            var configuration = AppConfiguration(databasePath: ":memory:")
            configuration.port = 0
            configuration.slack.signingSecret = ServerHarness.signingSecret
            configuration.slack.botToken = "xoxb-test"
            configuration.slack.botUserID = "U0BOT0001"
            configuration.slack.apiURL = url
            configuration.alertsEnabled = false
            configuration.web.slackClientID = FakeSlack.oidcClientID
            configuration.web.slackClientSecret = FakeSlack.oidcClientSecret
            configuration.web.slackAuthorizeURL = url.deletingLastPathComponent().appendingPathComponent("openid/connect/authorize")
            configuration.web.ticketURLs = [.zendesk: "https://acme-support.zendesk.com/agent/tickets/{id}"]
            if secure { configuration.web.publicURL = URL(string: "https://pulse.example.com") }
            var logger = Logger(label: "test")
            logger.logLevel = .error
            let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: url, httpClient: HTTPClient.shared, logger: logger)
            let settings = configuration
            let app = await buildApplication(configuration: settings, dependencies: AppDependencies(store: store, slack: slack, now: { now }), logger: logger)
            try await app.test(.live) { client in
                try await body(WebHarness(store: store, fake: fake, client: client, configuration: settings))
            }
        }
    }

    static func makeStore() async throws -> SQLiteStore {
        let store = try SQLiteStore()
        let customers = DemoRoster.customers(now: now)
        try store.upsertCSMs(DemoRoster.staff)
        try store.upsertCustomers(customers)
        try DemoDataGenerator(seed: 2026).generate(customers: customers, now: now) { try store.upsert($0, at: now) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let pipeline = AlertPipeline(store: store, router: AlertRouter(rules: RoutingRules(), messages: AlertMessages(templates: PromptTemplates.locate())),
                                     now: { now }, logger: logger)
        try await pipeline.evaluate()
        return store
    }

    /// Signs `person` in through a one-time link, as `ticketpulse login-link` makes it;
    /// returns the session cookie to send.
    func signIn(_ person: CSM) async throws -> String {
        let link = try await WebLoginLink.create(for: person.email, store: store, configuration: configuration, now: Self.now)
        let response = try await client.execute(uri: Self.path(of: link), method: .get)
        #expect(response.status == .seeOther, "the link signs in")
        return try #require(Self.cookie(WebSessionName.session, in: response))
    }

    func get(_ path: String, cookie: String?) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: cookie.map { [.cookie: $0] } ?? [:])
    }

    func post(_ path: String, form: [(String, String)], cookie: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let body = form.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// The page's HTML, which must have come back 200.
    func page(_ path: String, cookie: String, status: HTTPResponse.Status = .ok) async throws -> String {
        let response = try await get(path, cookie: cookie)
        #expect(response.status == status, "\(path)")
        return String(buffer: response.body)
    }

    /// The CSRF token the page's forms carry.
    static func csrf(in html: String) throws -> String {
        try #require(html.firstMatch(of: #/name="csrf" value="([0-9a-f]+)"/#)).1.description
    }

    static func path(of link: String) -> String {
        let url = URL(string: link)!
        return url.path + (url.query.map { "?" + $0 } ?? "")
    }

    /// `name=value` from a response's Set-Cookie, ready for a Cookie header.
    static func cookie(_ name: String, in response: TestResponse) -> String? {
        setCookies(response).first { $0.hasPrefix(name + "=") }?.split(separator: ";").first.map(String.init)
    }

    static func setCookies(_ response: TestResponse) -> [String] {
        response.headers[values: .setCookie]
    }

    /// The `data-value` of the first element inside the element with this id.
    static func value(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        return html[start.upperBound...].firstMatch(of: #/data-value="([^"]*)"/#).map { String($0.1) }
    }

    /// The Slack answer to the same question, as `ticketpulse ask` gives it.
    func ask(_ question: String, as person: CSM) async throws -> Reply {
        let engine = AnswerEngine(store: store, parser: try await ParserCache.shared.parser(store), settings: configuration.answers)
        return try await engine.answer(question, asker: person, now: Self.now).reply
    }

    static func fields(_ reply: Reply) -> [String: String] {
        var fields: [String: String] = [:]
        for case .fields(let list) in reply.blocks { for field in list { fields[field.label] = field.value } }
        return fields
    }

    static func sections(_ reply: Reply) -> [String] {
        reply.blocks.compactMap { if case .section(let text) = $0 { text } else { nil } }
    }

    static func tables(_ reply: Reply) -> [ReplyTable] {
        reply.blocks.compactMap { if case .table(let table) = $0 { table } else { nil } }
    }
}

enum WebSessionName {
    static let session = "tp_session"
    static let oidc = "tp_oidc"
}

/// The intent model is trained once for all the dashboard's tests: the demo roster is the same every time.
actor ParserCache {
    static let shared = ParserCache()
    private var cached: IntentParser?

    func parser(_ store: any Store) async throws -> IntentParser {
        if let cached { return cached }
        let parser = try await IntentParser.load(customers: try store.customers())
        cached = parser
        return parser
    }
}
