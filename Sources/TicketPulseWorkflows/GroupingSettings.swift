import Foundation
import TicketPulseCore

/// How DMs are grouped and rationed (`alerts:` keys `group_wait`, `group_interval`,
/// `repeat_interval`, `budget`). The defaults were chosen with `ticketpulse replay` over the
/// demo store: see docs/ALERTS.md.
public struct GroupingSettings: Sendable, Equatable {
    /// How long a new incident's first message waits for more items before it is posted.
    /// Anything over 5 s would miss the urgent-visibility target, and a pass already
    /// collects what arrived together, so 0.
    public var groupWait: TimeInterval = 0
    /// The least time between two in-place updates of a live message for routine items
    /// (urgent ones update it at once, so they are seen within seconds).
    public var groupInterval: TimeInterval = 300
    /// The least time between two pings about one customer's open incident; an incident
    /// quiet this long is over, and the next item about the customer starts a new one.
    public var repeatInterval: TimeInterval = 4 * 3600
    /// New DMs a person may get in any 24 hours, the overrides to an account's own CSM aside.
    public var pingsPerDay = 5
    /// A person's own budget (`budget.people`), by lowercased email.
    public var personalBudgets: [String: Int] = [:]
    /// What pings the account's own CSM even over budget and during an open incident.
    public var alwaysPing: Set<Override> = Set(Override.allCases)

    public init() {}

    public enum Override: String, Sendable, CaseIterable {
        /// A security ticket.
        case security
        /// An outage ticket.
        case outage
        /// A spike above the critical multiple.
        case criticalSpike = "critical_spike"
        /// A P1 ticket at an enterprise customer.
        case enterpriseP1 = "enterprise_p1"

        func matches(_ alert: Alert) -> Bool {
            switch self {
            case .security: alert.kind == .newTicket && alert.category == .security
            case .outage: alert.kind == .newTicket && alert.category == .outage
            case .criticalSpike: alert.kind == .spike && alert.severity == .critical
            case .enterpriseP1: alert.kind == .newTicket && alert.tier == .enterprise && alert.priority == .p1
            }
        }
    }

    public static let settingNames = ["group_wait", "group_interval", "repeat_interval", "budget.pings_per_day"]

    /// `replay --set repeat_interval=7200`: false when `name` is not a grouping setting.
    public mutating func set(_ name: String, to value: String) throws -> Bool {
        guard Self.settingNames.contains(name) else { return false }
        guard let number = Double(value), number >= 0 else { throw ConfigurationProblem("\(name): expected a number of at least 0, not '\(value)'") }
        switch name {
        case "group_wait": groupWait = number
        case "group_interval": groupInterval = number
        case "repeat_interval": repeatInterval = number
        default: pingsPerDay = Int(number)
        }
        return true
    }

    public func overrides(_ alert: Alert) -> Bool { alwaysPing.contains { $0.matches(alert) } }

    /// The `alerts:` keys, checked strictly: a typo stops `serve` naming the key, it is never
    /// silently ignored.
    public struct File: Decodable, Sendable {
        var group_wait: Double?
        var group_interval: Double?
        var repeat_interval: Double?
        var budget: Budget?

        public struct Budget: Decodable, Sendable {
            var pings_per_day: Int?
            var always_ping: [String]?
            var people: [String: Int]?

            enum CodingKeys: String, CodingKey, CaseIterable { case pings_per_day, always_ping, people }

            public init(from decoder: any Decoder) throws {
                try ConfigurationProblem.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), at: "alerts.budget")
                let container = try decoder.container(keyedBy: CodingKeys.self)
                pings_per_day = try container.decodeIfPresent(Int.self, forKey: .pings_per_day)
                always_ping = try container.decodeIfPresent([String].self, forKey: .always_ping)
                people = try container.decodeIfPresent([String: Int].self, forKey: .people)
            }
        }
    }

    public init(file: File) throws {
        self.init()
        func seconds(_ value: Double?, _ key: String) throws -> TimeInterval? {
            guard let value else { return nil }
            guard value >= 0, value.isFinite else { throw ConfigurationProblem("alerts.\(key): a timer cannot be negative (\(value))") }
            return value
        }
        groupWait = try seconds(file.group_wait, "group_wait") ?? groupWait
        groupInterval = try seconds(file.group_interval, "group_interval") ?? groupInterval
        repeatInterval = try seconds(file.repeat_interval, "repeat_interval") ?? repeatInterval
        if let budget = file.budget {
            if let pings = budget.pings_per_day {
                guard pings >= 0 else { throw ConfigurationProblem("alerts.budget.pings_per_day: cannot be negative (\(pings))") }
                pingsPerDay = pings
            }
            for (email, pings) in budget.people ?? [:] {
                guard pings >= 0 else { throw ConfigurationProblem("alerts.budget.people.\(email): cannot be negative (\(pings))") }
                personalBudgets[email.lowercased()] = pings
            }
            if let names = budget.always_ping {
                alwaysPing = try Set(names.map { name in
                    guard let override = Override(rawValue: name) else {
                        throw ConfigurationProblem("alerts.budget.always_ping: unknown category '\(name)' (\(Override.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return override
                })
            }
        }
    }
}
