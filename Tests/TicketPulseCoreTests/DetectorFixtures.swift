import Foundation
import TicketPulseCore

/// Customers and tickets for the detector tests, all relative to one fixed `now` (a
/// Wednesday) so that every window, boundary and ISO week is known in advance.
enum DetectorFixture {
    static let now = date("2026-11-18T15:00:00Z")
    static let day: TimeInterval = 86_400
    static let hour: TimeInterval = 3600

    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    /// An established account (onboarded long before any baseline window), under the
    /// high-value ARR line unless asked, so severities are the unraised ones.
    static func customer(
        id: String = "cus_acme", name: String = "Acme Corp", tier: CustomerTier = .midMarket, arr: Double = 50_000,
        onboardedAt: Date? = date("2024-01-01T00:00:00Z")
    ) -> Customer {
        Customer(id: id, name: name, tier: tier, arr: arr, onboardedAt: onboardedAt)
    }

    /// A ticket answered at once and closed within its targets: it counts towards volume
    /// and nothing else, so each test sees only the alerts it sets up.
    static func closed(_ id: String, created: Date, priority: Priority = .p3, category: TicketCategory = .technical,
                       subject: String = "Question about exports", csat: CSATRating? = nil) -> Ticket {
        Ticket(source: .zendesk, externalID: id, customerID: "cus_acme", subject: subject, status: .closed, priority: priority,
               category: category, createdAt: created, updatedAt: created.addingTimeInterval(2 * hour),
               firstResponseAt: created.addingTimeInterval(600), solvedAt: created.addingTimeInterval(hour),
               closedAt: created.addingTimeInterval(2 * hour), csat: csat)
    }

    /// An unresolved ticket, answered at once unless `responded` is false.
    static func open(_ id: String, created: Date, priority: Priority = .p3, category: TicketCategory = .technical,
                     subject: String = "Question about exports", responded: Bool = true, escalation: Escalation? = nil) -> Ticket {
        Ticket(source: .zendesk, externalID: id, customerID: "cus_acme", subject: subject, status: .open, priority: priority,
               category: category, createdAt: created, firstResponseAt: responded ? created.addingTimeInterval(60) : nil,
               escalation: escalation)
    }

    /// `perDay` closed tickets a day, evenly spaced over the `days` days before `end`: a
    /// baseline of exactly `perDay`.
    static func history(perDay: Int, days: Int = 30, before end: Date, prefix: String = "h") -> [Ticket] {
        let count = perDay * days
        let spacing = Double(days) * day / Double(count)
        return (0..<count).map { closed("\(prefix)\($0)", created: end.addingTimeInterval(-(Double($0) + 0.5) * spacing)) }
    }

    /// `count` open, answered tickets evenly spaced over the `window` before `end`.
    static func recent(_ count: Int, window: TimeInterval = 86_400, before end: Date = now, prefix: String = "r",
                       category: (Int) -> TicketCategory = { _ in .technical }, priority: (Int) -> Priority = { _ in .p3 },
                       subject: (Int) -> String = { _ in "Question about exports" }) -> [Ticket] {
        (0..<count).map {
            open("\(prefix)\($0)", created: end.addingTimeInterval(-(Double($0) + 0.5) * window / Double(count)),
                 priority: priority($0), category: category($0), subject: subject($0))
        }
    }

    static func alerts(_ tickets: [Ticket], customer: Customer = customer(), now: Date = now,
                       settings: DetectorSettings = DetectorSettings()) -> [Alert] {
        AlertDetectors(settings: settings).detect(CustomerActivity(customer: customer, tickets: tickets), now: now)
    }
}

extension [Alert] {
    func of(_ kind: AlertKind) -> [Alert] { filter { $0.kind == kind } }

    func fact(_ label: String, of kind: AlertKind) -> String? {
        of(kind).first?.facts.first { $0.label == label }?.value
    }
}
