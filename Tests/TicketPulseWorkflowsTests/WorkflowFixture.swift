import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseWorkflows
import TicketPulseTemplates

/// A small roster over an in-memory store, a fixed clock, and the pipeline as `serve`
/// builds it, with the repository's `prompts/`.
struct WorkflowFixture {
    /// Monday 2026-11-23 10:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_428_000)
    static let mike = CSM(email: "mike.chen@example.com", name: "Mike Chen", slackUserID: "U0CSM0001", role: .csm, managerEmail: "ann.lee@example.com")
    static let ann = CSM(email: "ann.lee@example.com", name: "Ann Lee", slackUserID: "U0MGR0001", role: .manager)
    static let sara = CSM(email: "sara.diaz@example.com", name: "Sara Diaz", slackUserID: "U0CSM0002", role: .csm, managerEmail: "ann.lee@example.com")
    static let acme = Customer(id: "cus_acme", name: "Acme Corp", tier: .midMarket, arr: 60_000, csmEmail: mike.email, healthScore: 78,
                               championName: "Dana Whitfield", onboardedAt: now.addingTimeInterval(-400 * 86_400))
    static let globex = Customer(id: "cus_globex", name: "Globex", tier: .smb, arr: 20_000, csmEmail: sara.email, healthScore: 70,
                                 onboardedAt: now.addingTimeInterval(-400 * 86_400))

    let store: SQLiteStore
    var rules: RoutingRules
    let clock: Clock

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time: Date
        init(_ time: Date) { self.time = time }
        var now: Date { lock.withLock { time } }
        func advance(_ seconds: TimeInterval) { lock.withLock { time.addTimeInterval(seconds) } }
    }

    /// `watching`: TicketPulse has been watching these customers since before the tickets a
    /// test adds (the steady state most tests are about); false: the first start.
    init(rules: RoutingRules = RoutingRules(escalationsChannel: "C0ESCALATE"), watching: Bool = true) throws {
        store = try SQLiteStore()
        try store.upsertCSMs([Self.mike, Self.ann, Self.sara])
        try store.upsertCustomers([Self.acme, Self.globex])
        if watching {
            try store.markWatched([Self.acme.id, Self.globex.id], at: Self.now.addingTimeInterval(-60 * 86_400))
        }
        self.rules = rules
        clock = Clock(Self.now)
    }

    var messages: AlertMessages { AlertMessages(templates: PromptTemplates.locate()) }

    func pipeline() -> AlertPipeline {
        let clock = clock
        return AlertPipeline(store: store, router: AlertRouter(rules: rules, messages: messages), now: { clock.now })
    }

    func actions() -> AlertActions {
        let clock = clock
        return AlertActions(store: store, messages: messages, rules: rules, now: { clock.now })
    }

    /// `perDay` tickets a day for the 30 days before the last 24 h: a baseline of `perDay`.
    func baseline(_ customer: Customer, perDay: Int) throws {
        var tickets: [Ticket] = []
        for day in 1...30 {
            for index in 0..<perDay {
                let created = Self.now.addingTimeInterval(-Double(day) * 86_400 - 3600 * Double(index + 1))
                tickets.append(Ticket(source: .zendesk, externalID: "b-\(customer.id)-\(day)-\(index)", customerID: customer.id, subject: "Routine question \(day)",
                                      status: .solved, priority: .p3, createdAt: created, firstResponseAt: created.addingTimeInterval(600), solvedAt: created.addingTimeInterval(3600)))
            }
        }
        try store.upsert(tickets, at: Self.now)
    }

    /// `count` new tickets in the last 24 h.
    @discardableResult
    func recent(_ customer: Customer, count: Int, priority: Priority = .p3, category: TicketCategory = .technical, prefix: String = "r",
                subject: String = "SSO login error after update") throws -> [Ticket] {
        let tickets = (0..<count).map { index in
            Ticket(source: .zendesk, externalID: "\(prefix)-\(customer.id)-\(index)", customerID: customer.id, subject: subject, status: .open,
                   priority: priority, category: category, createdAt: clock.now.addingTimeInterval(-Double(index + 1) * 900),
                   firstResponseAt: clock.now.addingTimeInterval(-Double(index + 1) * 900 + 300))
        }
        try store.upsert(tickets, at: clock.now)
        return tickets
    }

    /// A ticket created `ago` seconds before the clock's now.
    @discardableResult
    func ticket(_ customer: Customer, id: String, ago: TimeInterval, priority: Priority = .p1, category: TicketCategory = .technical,
                subject: String = "Checkout fails for all users") throws -> Ticket {
        let created = clock.now.addingTimeInterval(-ago)
        let ticket = Ticket(source: .zendesk, externalID: id, customerID: customer.id, subject: subject, status: .open, priority: priority,
                            category: category, createdAt: created, firstResponseAt: created.addingTimeInterval(120))
        try store.upsert([ticket], at: clock.now)
        return ticket
    }

    /// New DMs to a person: posts of live messages (incidents and the board).
    func pings(_ email: String) throws -> [OutboxRow] {
        try outbox().filter { $0.kind == .post && $0.recipient == "user:\(email)" }
    }

    func outbox() throws -> [OutboxRow] {
        try store.dueOutbox(at: clock.now.addingTimeInterval(86_400 * 30), staleAfter: 0, limit: 10_000)
    }
}
