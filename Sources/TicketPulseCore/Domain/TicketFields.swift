import Foundation

/// The support systems TicketPulse syncs from. Together with the external id it names a
/// ticket uniquely.
public enum SourceSystem: String, Codable, Sendable, CaseIterable {
    case zendesk, intercom, salesforce, freshdesk, webhook
}

/// Canonical ticket status. Every source maps onto these; `deleted` keeps a tombstone so a
/// deleted ticket never comes back as new.
public enum TicketStatus: String, Codable, Sendable, CaseIterable, Comparable {
    case new, open, pending
    case onHold = "on_hold"
    case solved, closed, deleted

    /// Work is still owed to the customer.
    public var isUnresolved: Bool { self == .new || self == .open || self == .pending || self == .onHold }
    public var isResolved: Bool { self == .solved || self == .closed }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Priority P1 (most urgent) to P4. Source vocabularies map in `init(sourceWord:)`.
public enum Priority: String, Codable, Sendable, CaseIterable, Comparable {
    case p1 = "P1", p2 = "P2", p3 = "P3", p4 = "P4"

    /// urgent→P1, high→P2, normal/medium→P3, low→P4 (Zendesk, Freshdesk, Salesforce words).
    public init?(sourceWord: String) {
        switch sourceWord.lowercased() {
        case "urgent", "critical", "p1": self = .p1
        case "high", "p2": self = .p2
        case "normal", "medium", "p3": self = .p3
        case "low", "p4": self = .p4
        default: return nil
        }
    }

    public var rank: Int { Priority.allCases.firstIndex(of: self)! + 1 }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    /// The words people and PRD mock-ups use next to the code.
    public var label: String {
        switch self {
        case .p1: "critical"
        case .p2: "high"
        case .p3: "medium"
        case .p4: "low"
        }
    }
}

public enum TicketCategory: String, Codable, Sendable, CaseIterable {
    case technical, billing, training
    case featureRequest = "feature_request"
    case security, outage, other

    public var label: String {
        switch self {
        case .featureRequest: "feature request"
        default: rawValue
        }
    }
}

/// Customer satisfaction on a ticket: a 1–5 score, plus what the source said
/// (Zendesk only says good/bad; we keep that as `rawValue`).
public struct CSATRating: Codable, Sendable, Equatable {
    public var score: Int
    public var rawValue: String?
    public var comment: String?
    public var ratedAt: Date?

    public init(score: Int, rawValue: String? = nil, comment: String? = nil, ratedAt: Date? = nil) {
        self.score = min(5, max(1, score))
        self.rawValue = rawValue
        self.comment = comment
        self.ratedAt = ratedAt
    }

    /// PRD-102: a poor rating is 1 or 2 of 5.
    public var isPoor: Bool { score <= 2 }
}

public struct Escalation: Codable, Sendable, Equatable {
    public var reason: String?
    /// 1 = team lead, 2 = engineering, 3 = executive.
    public var level: Int
    public var escalatedAt: Date?

    public init(reason: String? = nil, level: Int = 1, escalatedAt: Date? = nil) {
        self.reason = reason
        self.level = level
        self.escalatedAt = escalatedAt
    }
}
