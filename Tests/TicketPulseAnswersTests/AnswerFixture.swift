import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseSQLite
import TicketPulseStorage

/// A small hand-built store whose every number is known: Mike (CSM) has Acme and Globex,
/// Sam (CSM) has Initech, Maria manages both, Alex is an admin.
struct AnswerFixture {
    static let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!
    let store: SQLiteStore
    let engine: AnswerEngine

    static let mike = CSM(email: "mike.chen@example.com", name: "Mike Chen", slackUserID: "U0CSM0001", role: .csm, managerEmail: "maria.lopez@example.com")
    static let sam = CSM(email: "sam.carter@example.com", name: "Sam Carter", slackUserID: "U0CSM0002", role: .csm, managerEmail: "maria.lopez@example.com")
    static let maria = CSM(email: "maria.lopez@example.com", name: "Maria Lopez", slackUserID: "U0MGR0001", role: .manager)
    static let alex = CSM(email: "alex.kim@example.com", name: "Alex Kim", slackUserID: "U0ADM0001", role: .admin)

    static func hoursAgo(_ hours: Double) -> Date { now.addingTimeInterval(-hours * 3600) }

    /// A ticket of the fixture: created, answered and solved so many hours before `now`.
    static func ticket(_ id: String, _ customer: String, _ status: TicketStatus, _ priority: Priority, createdHoursAgo: Double, respondedHoursAgo: Double? = nil,
                       solvedHoursAgo: Double? = nil, csat: Int? = nil, escalated: Bool = false, subject: String = "Login fails") -> Ticket {
        Ticket(source: .zendesk, externalID: id, customerID: customer, subject: subject, status: status, priority: priority, category: .technical,
               createdAt: hoursAgo(createdHoursAgo), firstResponseAt: respondedHoursAgo.map(hoursAgo), solvedAt: solvedHoursAgo.map(hoursAgo),
               csat: csat.map { CSATRating(score: $0, comment: $0 <= 2 ? "Too slow" : nil, ratedAt: hoursAgo((solvedHoursAgo ?? 1) - 0.5)) },
               escalation: escalated ? Escalation(reason: "Renewal at risk", level: 1, escalatedAt: hoursAgo(createdHoursAgo - 1)) : nil)
    }

    /// - Parameter extraCustomers: more customers, assigned to nobody unless they say so.
    /// - Parameter leavingOut: customers (and their tickets) left off the roster, as if they
    ///   had never existed.
    init(extraCustomers: [Customer] = [], leavingOut: Set<String> = []) throws {
        store = try SQLiteStore()
        try store.upsertCSMs([Self.maria, Self.mike, Self.sam, Self.alex])
        try store.upsertCustomers(([
            Customer(id: "cus_acme", name: "Acme Corp", aliases: ["Acme"], domains: ["acme.io"], tier: .enterprise, arr: 480_000, csmEmail: Self.mike.email, healthScore: 78, championName: "Wile Coyote", championEmail: "wile@acme.io"),
            Customer(id: "cus_globex", name: "Globex Corporation", aliases: ["Globex"], domains: ["globex.com"], tier: .enterprise, arr: 350_000, csmEmail: Self.mike.email, healthScore: 60),
            Customer(id: "cus_initech", name: "Initech", domains: ["initech.com"], tier: .midMarket, arr: 120_000, csmEmail: Self.sam.email, healthScore: 66),
        ] + extraCustomers).filter { !leavingOut.contains($0.id) })
        try store.upsert([
            Self.ticket("1001", "cus_acme", .new, .p1, createdHoursAgo: 6, escalated: true, subject: "SSO outage for all users"),
            Self.ticket("1002", "cus_acme", .open, .p2, createdHoursAgo: 1, respondedHoursAgo: 0.5),
            Self.ticket("1003", "cus_acme", .pending, .p3, createdHoursAgo: 48, respondedHoursAgo: 46),
            Self.ticket("1004", "cus_acme", .solved, .p3, createdHoursAgo: 100, respondedHoursAgo: 99, solvedHoursAgo: 90, csat: 5),
            Self.ticket("1005", "cus_acme", .closed, .p4, createdHoursAgo: 200, respondedHoursAgo: 199, solvedHoursAgo: 190, csat: 3),
            Self.ticket("2001", "cus_globex", .open, .p3, createdHoursAgo: 10, respondedHoursAgo: 9),
            Self.ticket("2002", "cus_globex", .solved, .p2, createdHoursAgo: 80, respondedHoursAgo: 70, solvedHoursAgo: 20, csat: 1),
            Self.ticket("3001", "cus_initech", .open, .p2, createdHoursAgo: 30, respondedHoursAgo: 29),
            Self.ticket("3002", "cus_initech", .open, .p3, createdHoursAgo: 3),
        ].filter { !leavingOut.contains($0.customerID ?? "") }, at: Self.now)
        engine = AnswerEngine(store: store, parser: try IntentParser.load(customers: try store.customers()))
    }

    /// As `ticketpulse ask --yes`: a write is confirmed at once by the asker (through the
    /// same checks as the [Confirm] button), and the answer is the confirmed one; the
    /// confirmation step itself is tested with `engine` directly.
    func ask(_ message: String, as person: CSM = mike) async throws -> (answer: Answer, text: String) {
        let (asked, confirmed) = try await engine.answerConfirmed(message, asker: person, now: Self.now)
        var answer = asked
        if let confirmed {
            answer.reply = confirmed.reply
            answer.customersShown = confirmed.customersShown
        }
        return (answer, TextRenderer(width: 120).render(answer.reply))
    }
}
