import Foundation

/// What a detector noticed. The raw value is stored and used in de-duplication keys.
public enum AlertKind: String, Codable, Sendable, CaseIterable {
    /// PRD-087: volume against the customer's 30-day baseline.
    case spike
    /// PRD-184 FR-6: 3+ tickets in 24 h that are no spike against the baseline.
    case burst
    /// PRD-102: a rating of 1–2.
    case csatLow = "csat_low"
    /// PRD-102: the 30-day average down more than 20% on the 30 days before.
    case csatDecline = "csat_decline"
    case escalation
    case slaBreach = "sla_breach"
    case slaAtRisk = "sla_at_risk"
    /// Open longer than its resolution target allows, twice over.
    case aging
    case newTicket = "new_ticket"
    case ticketResolved = "ticket_resolved"

    /// The subscription feed the kind belongs to.
    public var feed: AlertFeed {
        switch self {
        case .spike, .burst: .spikes
        case .csatLow, .csatDecline: .csat
        case .escalation: .escalations
        case .slaBreach, .slaAtRisk, .aging: .sla
        case .newTicket, .ticketResolved: .newTickets
        }
    }

    /// A condition lasts (and ends when no longer detected); an event happens once.
    public var isCondition: Bool {
        switch self {
        case .spike, .burst, .slaAtRisk, .slaBreach, .aging, .escalation: true
        case .csatLow, .csatDecline, .newTicket, .ticketResolved: false
        }
    }

    /// Whether the kind is about one customer's volume rather than one ticket.
    public var isCustomerWide: Bool { self == .spike || self == .burst || self == .csatDecline }

    public var label: String {
        switch self {
        case .spike: "Ticket spike"
        case .burst: "3+ tickets in 24 h"
        case .csatLow: "Low CSAT"
        case .csatDecline: "CSAT declining"
        case .escalation: "Escalation"
        case .slaBreach: "SLA breached"
        case .slaAtRisk: "SLA at risk"
        case .aging: "Aging ticket"
        case .newTicket: "New ticket"
        case .ticketResolved: "Ticket resolved"
        }
    }
}

public enum AlertSeverity: String, Codable, Sendable, CaseIterable, Comparable {
    case low, medium, high, critical

    public var rank: Int { AlertSeverity.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    /// One step up, for high-value accounts.
    public var raised: AlertSeverity { AlertSeverity.allCases[min(rank + 1, AlertSeverity.allCases.count - 1)] }
    public var lowered: AlertSeverity { AlertSeverity.allCases[max(rank - 1, 0)] }

    public var emoji: String {
        switch self {
        case .low: "⚪"
        case .medium: "🟡"
        case .high: "🟠"
        case .critical: "🔴"
        }
    }
}

/// Alert lifecycle: the same condition never alerts twice while open or acknowledged.
public enum AlertStatus: String, Codable, Sendable, CaseIterable {
    case open, acknowledged, resolved
}

/// A label and value an alert shows ("Baseline", "2.3/day").
public struct AlertFact: Codable, Sendable, Equatable {
    public var label: String
    public var value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// The ticket an alert is about, or the latest ticket of a customer-wide alert: what
/// notes and escalation requests from the alert's buttons attach to.
public struct AlertTicket: Codable, Sendable, Equatable {
    public var source: SourceSystem
    public var externalID: String
    public var subject: String
    public var priority: Priority
    public var category: TicketCategory

    public init(source: SourceSystem, externalID: String, subject: String, priority: Priority, category: TicketCategory) {
        self.source = source
        self.externalID = externalID
        self.subject = subject
        self.priority = priority
        self.category = category
    }

    public init(_ ticket: Ticket) {
        self.init(source: ticket.source, externalID: ticket.externalID, subject: ticket.subject, priority: ticket.priority, category: ticket.category)
    }

    /// "zendesk:4521", as buttons carry a ticket.
    public var reference: String { Ticket.reference(source, externalID) }
}

/// Trouble a detector found, explained: the numbers and the rule that fired.
public struct Alert: Codable, Sendable, Equatable {
    public var kind: AlertKind
    public var severity: AlertSeverity
    public var customerID: String
    public var customerName: String
    public var tier: CustomerTier
    /// The account's annual recurring revenue, for severity and routing conditions.
    public var arr: Double
    /// Identifies the condition: the same key is the same incident.
    public var dedupKey: String
    public var ticket: AlertTicket?
    /// "Ticket spike: Acme Corp".
    public var title: String
    /// "15 tickets in 24 h, 6.5× the 30-day average of 2.3/day; critical above 5×".
    public var explanation: String
    public var facts: [AlertFact]
    /// Named numbers (count, baseline, multiplier…) for templates and backtesting.
    public var numbers: [String: Double]
    /// Recurring words and phrases of the subjects (spikes).
    public var themes: [String]
    /// External ids of the tickets behind the alert, newest first.
    public var ticketIDs: [String]
    public var detectedAt: Date

    public init(
        kind: AlertKind, severity: AlertSeverity, customer: Customer, dedupKey: String, ticket: AlertTicket? = nil,
        title: String, explanation: String, facts: [AlertFact] = [], numbers: [String: Double] = [:],
        themes: [String] = [], ticketIDs: [String] = [], detectedAt: Date
    ) {
        self.kind = kind
        self.severity = severity
        customerID = customer.id
        customerName = customer.name
        tier = customer.tier
        arr = customer.arr
        self.dedupKey = dedupKey
        self.ticket = ticket
        self.title = title
        self.explanation = explanation
        self.facts = facts
        self.numbers = numbers
        self.themes = themes
        self.ticketIDs = ticketIDs
        self.detectedAt = detectedAt
    }

    public var feed: AlertFeed { kind.feed }
    public var priority: Priority? { ticket?.priority }
    public var category: TicketCategory? { ticket?.category }
}
