import AsyncHTTPClient
import Foundation
import Logging
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport
import TicketPulseWorkflows
import TicketPulseTemplates

/// Issue 13's first-serve target on the demo store itself: the first pass over its whole
/// history, delivered through the real messenger to the fake Slack, sends each person at
/// most 2 DMs (their board, and what began in the last hour); a second pass sends none.
@Suite("The first pass over the demo store", .serialized)
struct FirstServeDemoTests {
    /// The demo's reference time (any fixed one makes the store the same every run).
    static let now = Date(timeIntervalSince1970: 1_795_428_000)

    @Test("At most 2 DMs per person, one of them the board; a restart's pass sends nothing")
    func atMostTwoDMsPerPerson() async throws {
        try await FakeSlack.run { fake, url in
            let store = try SQLiteStore()
            let customers = DemoRoster.customers(now: Self.now)
            try store.upsertCSMs(DemoRoster.staff)
            try store.upsertCustomers(customers)
            try DemoDataGenerator(seed: 2026).generate(customers: customers, now: Self.now) { try store.upsert($0, at: Self.now) }
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let time = FakeTime(start: ContinuousClock.now)
            let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: url, httpClient: HTTPClient.shared, retryPolicy: SlackRetryPolicy(random: { 0.5 }),
                                          sleeper: time.sleeper, now: time.now, logger: logger)
            let delivery = OutboxDelivery(store: store, messenger: SlackAlertMessenger(store: store, slack: slack), now: { Self.now }, logger: logger)
            func pass(at now: Date) async throws -> AlertPipeline.PassSummary {
                let pipeline = AlertPipeline(store: store, router: AlertRouter(rules: RoutingRules(), messages: AlertMessages(templates: PromptTemplates.locate())),
                                             now: { now }, logger: logger)
                let summary = try await pipeline.evaluate()
                while try await delivery.deliverDue() > 0 {}
                return summary
            }

            let first = try await pass(at: Self.now)
            #expect(first.recorded > first.opened / 2, "most of what the history holds is recorded: \(first)")
            let dms = fake.messages.filter { $0.channel.hasPrefix("D") && $0.threadTS == nil }
            let perPerson = Dictionary(grouping: dms, by: \.channel)
            for person in DemoRoster.staff where person.role != .admin {
                let mine = perPerson["D0\(person.slackUserID ?? "")"] ?? []
                #expect(mine.count <= 2, "\(person.email): \(mine.map(\.text))")
                #expect(mine.contains { $0.text.hasPrefix("Where your accounts stand") }, "\(person.email) has a board")
            }
            #expect(dms.count <= 2 * DemoRoster.staff.count)

            // A restart: a new pipeline over the same store (at the same instant, so nothing
            // has had time to begin since).
            #expect(try await pass(at: Self.now).pings == 0)
            #expect(fake.messages.filter { $0.channel.hasPrefix("D") && $0.threadTS == nil }.count == dms.count, "no new DM")
        }
    }
}
