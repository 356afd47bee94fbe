import Foundation

/// PRD-156 §6.1 `CustomerSupportMetrics`: the numbers behind every metrics answer, for one
/// customer, a CSM's portfolio or a team, over a period.
public struct SupportMetrics: Sendable, Equatable {
    public var period: Period
    /// Tickets created in the period.
    public var total: Int
    /// Tickets unresolved at `now`, whenever they were created: the current backlog.
    public var open: Int
    /// Tickets resolved (solved or closed) within the period.
    public var resolved: Int
    public var byPriority: [Priority: Int]
    public var byCategory: [TicketCategory: Int]
    public var firstResponse: SLAStatistic
    public var resolution: SLAStatistic
    public var csat: CSATStatistic
    public var escalations: EscalationStatistic
    public var weeklyVolume: [VolumePoint]
    public var monthlyVolume: [VolumePoint]
    public var aging: [AgingBucket]

    /// Categories by count, largest first, with their share of the period's tickets.
    public var topCategories: [(category: TicketCategory, count: Int, share: Double)] {
        byCategory.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { ($0.key, $0.value, total == 0 ? 0 : Double($0.value) / Double(total)) }
    }

    /// Both SLA clocks pooled: the share of decided clocks that were met.
    public var slaMetPercent: Double? {
        let decided = firstResponse.decided + resolution.decided
        guard decided > 0 else { return nil }
        return Double(firstResponse.met + resolution.met) / Double(decided) * 100
    }
}

public struct SLAStatistic: Sendable, Equatable {
    public var met: Int
    public var breached: Int
    /// Running clocks past their at-risk point: about to breach.
    public var atRisk: Int
    /// Mean hours from creation to the response (or resolution), over completed clocks.
    public var averageHours: Double?

    public var decided: Int { met + breached }
    public var metPercent: Double? { decided == 0 ? nil : Double(met) / Double(decided) * 100 }
}

public struct CSATStatistic: Sendable, Equatable {
    public var average: Double?
    public var responses: Int
    /// Ratings received per ticket resolved in the period.
    public var responseRate: Double?
    public var previousAverage: Double?
    public var trend: CSATTrend
    /// Ratings of 1 or 2 (PRD-102).
    public var poor: Int
    /// Count of ratings per score 1…5.
    public var distribution: [Int: Int]
}

/// The trend word of a CSAT average against the previous equal period.
public enum CSATTrend: String, Sendable, Equatable {
    case improving, stable, declining
    /// Fewer than `CSATTrendRule.minimumResponses` ratings in either period.
    case insufficientData = "insufficient_data"

    /// The trend as answers write it: "insufficient data".
    public var words: String {
        self == .insufficientData ? "insufficient data" : rawValue
    }

    public var arrow: String {
        switch self {
        case .improving: "↑"
        case .stable: "→"
        case .declining: "↓"
        case .insufficientData: "·"
        }
    }
}

/// The rule behind `CSATTrend`: the average moved by more than `changeThreshold` of the
/// previous average (10% by default: 4.0 → 3.6 or below is declining), with at least
/// `minimumResponses` ratings in each period. The PRD-102 CSAT-decline *alert* uses its own
/// 20% rule; this one only names the direction.
public struct CSATTrendRule: Sendable, Equatable, Codable {
    public var changeThreshold: Double
    public var minimumResponses: Int

    public init(changeThreshold: Double = 0.10, minimumResponses: Int = 3) {
        self.changeThreshold = changeThreshold
        self.minimumResponses = minimumResponses
    }

    public func trend(current: [Int], previous: [Int]) -> CSATTrend {
        guard current.count >= minimumResponses, previous.count >= minimumResponses else { return .insufficientData }
        let now = Statistics.mean(current)!, before = Statistics.mean(previous)!
        let change = (now - before) / before
        if change > changeThreshold { return .improving }
        if change < -changeThreshold { return .declining }
        return .stable
    }
}

public struct EscalationStatistic: Sendable, Equatable {
    /// Tickets escalated within the period.
    public var total: Int
    /// Escalated tickets still unresolved at `now`.
    public var open: Int
    /// Escalated share of the tickets created in the period.
    public var rate: Double?
}

public struct VolumePoint: Sendable, Equatable {
    public var start: Date
    public var count: Int
}

public struct AgingBucket: Sendable, Equatable {
    public var label: String
    public var count: Int
}

enum Statistics {
    static func mean<T: BinaryInteger>(_ values: [T]) -> Double? {
        values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count)
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
