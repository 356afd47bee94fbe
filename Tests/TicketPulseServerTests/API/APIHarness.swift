import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
import TicketPulseIntents
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage

/// The application's router over a store, with a clock the test moves, and tokens for the
/// roster's people; the chat's `AnswerEngine` over the same store for the same questions.
struct APIHarness {
    static let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!

    static let mike = CSM(email: "mike.chen@example.com", name: "Mike Chen", slackUserID: "U0CSM0001", role: .csm, managerEmail: "maria.lopez@example.com")
    static let sam = CSM(email: "sam.carter@example.com", name: "Sam Carter", slackUserID: "U0CSM0002", role: .csm, managerEmail: "maria.lopez@example.com")
    static let maria = CSM(email: "maria.lopez@example.com", name: "Maria Lopez", slackUserID: "U0MGR0001", role: .manager)
    static let alex = CSM(email: "alex.kim@example.com", name: "Alex Kim", slackUserID: "U0ADM0001", role: .admin)

    /// The demo store (`ticketpulse demo --now 2026-11-18T15:00:00Z --seed 2026`), built once: tests only read it.
    static let demo: SQLiteStore = {
        let store = try! SQLiteStore()
        let customers = DemoRoster.customers(now: now)
        try! store.upsertCSMs(DemoRoster.staff)
        try! store.upsertCustomers(customers)
        try! DemoDataGenerator(seed: 2026).generate(customers: customers, now: now) { try store.upsert($0, at: now) }
        return store
    }()

    /// Mike (CSM) has Acme and Globex, Sam (CSM) Initech, Maria manages both, Alex is an admin.
    static func smallStore() throws -> SQLiteStore {
        let store = try SQLiteStore()
        try store.upsertCSMs([maria, mike, sam, alex])
        try store.upsertCustomers([
            Customer(id: "cus_acme", name: "Acme Corp", aliases: ["Acme"], domains: ["acme.io"], tier: .enterprise, arr: 480_000, csmEmail: mike.email,
                     renewalDate: now.addingTimeInterval(45 * 86_400), healthScore: 78, championName: "Wile Coyote", championEmail: "wile@acme.io"),
            Customer(id: "cus_globex", name: "Globex Corporation", aliases: ["Globex"], domains: ["globex.com"], tier: .enterprise, arr: 350_000, csmEmail: mike.email, healthScore: 60),
            Customer(id: "cus_initech", name: "Initech", domains: ["initech.com"], tier: .midMarket, arr: 120_000, csmEmail: sam.email, healthScore: 66),
        ])
        func ticket(_ id: String, _ customer: String, _ status: TicketStatus, _ priority: Priority, hoursAgo: Double, source: SourceSystem = .zendesk,
                    category: TicketCategory = .technical, csat: Int? = nil, subject: String = "Login fails") -> Ticket {
            Ticket(source: source, externalID: id, customerID: customer, subject: subject, status: status, priority: priority, category: category,
                   requesterEmail: "ops@\(customer.dropFirst(4)).io", assignee: "Dana Agent", createdAt: now.addingTimeInterval(-hoursAgo * 3600),
                   firstResponseAt: now.addingTimeInterval(-(hoursAgo - 0.5) * 3600),
                   solvedAt: status.isResolved ? now.addingTimeInterval(-(hoursAgo - 5) * 3600) : nil,
                   csat: csat.map { CSATRating(score: $0, comment: "thanks", ratedAt: now.addingTimeInterval(-(hoursAgo - 6) * 3600)) })
        }
        try store.upsert([
            ticket("1001", "cus_acme", .new, .p1, hoursAgo: 6, subject: "SSO outage for all users"),
            ticket("1002", "cus_acme", .open, .p2, hoursAgo: 1),
            ticket("1003", "cus_acme", .pending, .p3, hoursAgo: 48, source: .intercom, category: .billing, subject: "Invoice, question"),
            ticket("1004", "cus_acme", .solved, .p3, hoursAgo: 100, csat: 5, subject: "Login fails again"),
            ticket("2001", "cus_globex", .open, .p3, hoursAgo: 10),
            ticket("3001", "cus_initech", .open, .p2, hoursAgo: 30),
        ], at: now)
        return store
    }

    /// A clock a test moves by hand.
    final class Clock: Sendable {
        private let time = Mutex(APIHarness.now)
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    let store: SQLiteStore
    let clock: Clock
    let tokens: [String: String]

    func token(_ person: CSM) -> String { tokens[person.email]! }

    /// The person's token, and any other headers.
    func bearer(_ person: CSM, _ extra: [HTTPField.Name: String] = [:]) -> HTTPFields {
        var fields: HTTPFields = [.authorization: "Bearer \(token(person))"]
        for (name, value) in extra { fields[name] = value }
        return fields
    }

    /// The chat's answer to `question` from `person`, at the same time.
    func ask(_ question: String, as person: CSM) async throws -> Reply {
        let engine = AnswerEngine(store: store, parser: try IntentParser.load(customers: try store.customers()))
        return try await engine.answer(question, asker: person, now: clock.now).reply
    }

    /// Tokens for every roster member, then `body` against the router of `buildApplication`.
    static func run(store: SQLiteStore, ratePerMinute: Int = 100_000, extraRoutes: (@Sendable (Router<BasicRequestContext>, APIRoutes) -> Void)? = nil,
                    _ body: @escaping @Sendable (APIHarness, any TestClientProtocol) async throws -> Void) async throws {
        var tokens: [String: String] = [:]
        for person in try store.csms() {
            tokens[person.email] = try await APITokenIssuer.issue(for: person.email, name: "test", store: store, now: now).secret
        }
        let harness = APIHarness(store: store, clock: Clock(), tokens: tokens)
        var configuration = AppConfiguration(databasePath: ":memory:")
        configuration.port = 0
        configuration.apiRatePerMinute = ratePerMinute
        configuration.alertsEnabled = false
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: URL(string: "http://127.0.0.1:9/api")!, httpClient: HTTPClient.shared, logger: logger)
        let clock = harness.clock
        let dependencies = AppDependencies(store: store, slack: slack, now: { clock.now })
        if let extraRoutes {
            // The gate on routes of someone else's (the Zendesk connect flow's), as the lead wires them.
            let router = Router()
            let api = APIRoutes(configuration: configuration, dependencies: dependencies, tickets: TicketActionService(store: store, now: { clock.now }), logger: logger)
            api.register(on: router)
            extraRoutes(router, api)
            try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.router) { client in try await body(harness, client) }
            return
        }
        let app = await buildApplication(configuration: configuration, dependencies: dependencies, logger: logger)
        try await app.test(.router) { client in try await body(harness, client) }
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }
}

extension Reply {
    /// The reply's fields by label.
    var fields: [String: String] {
        var fields: [String: String] = [:]
        for case .fields(let list) in blocks { for field in list { fields[field.label] = field.value } }
        return fields
    }

    var sections: [String] { blocks.compactMap { if case .section(let text) = $0 { text } else { nil } } }

    var tables: [ReplyTable] { blocks.compactMap { if case .table(let table) = $0 { table } else { nil } } }
}
