import Foundation

/// A closed-open UTC interval `[start, end)`: what "this month" or "last 2 weeks" means.
public struct Period: Codable, Sendable, Equatable, Hashable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = max(start, end)
    }

    public var duration: TimeInterval { end.timeIntervalSince(start) }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    /// The period of equal length just before this one; trends compare against it.
    public var previous: Period { Period(start: start.addingTimeInterval(-duration), end: start) }

    /// The last `days` days up to `now`.
    public static func trailing(days: Int, endingAt now: Date) -> Period {
        Period(start: now.addingTimeInterval(-Double(days) * 86_400), end: now)
    }
}

/// What a question asks about ticket status: one status or one of the groups.
public enum TicketStatusFilter: Codable, Sendable, Equatable, Hashable {
    case status(TicketStatus)
    case unresolved
    case resolved
    case all

    public init?(rawValue: String) {
        switch rawValue {
        case "unresolved": self = .unresolved
        case "resolved": self = .resolved
        case "all": self = .all
        default:
            guard let status = TicketStatus(rawValue: rawValue) else { return nil }
            self = .status(status)
        }
    }

    public var rawValue: String {
        switch self {
        case .status(let status): status.rawValue
        case .unresolved: "unresolved"
        case .resolved: "resolved"
        case .all: "all"
        }
    }

    /// The concrete statuses the filter admits (never `deleted` unless asked for by name).
    public var statuses: [TicketStatus] {
        switch self {
        case .status(let status): [status]
        case .unresolved: TicketStatus.allCases.filter(\.isUnresolved)
        case .resolved: TicketStatus.allCases.filter(\.isResolved)
        case .all: TicketStatus.allCases.filter { $0 != .deleted }
        }
    }

    public func admits(_ status: TicketStatus) -> Bool { statuses.contains(status) }
}

/// The alert feeds a person or channel can subscribe to.
public enum AlertFeed: String, Codable, Sendable, CaseIterable {
    case escalations, spikes, csat, sla
    case newTickets = "new_tickets"
    case all
}
