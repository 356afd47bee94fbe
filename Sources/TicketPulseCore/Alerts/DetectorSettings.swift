import Foundation

/// The detectors' thresholds. Defaults are the seeds' numbers (PRD-087, PRD-102, PRD-184);
/// `ticketpulse.yml` and `replay --set` override them.
public struct DetectorSettings: Sendable, Equatable {
    /// PRD-087: the spike window.
    public var spikeLookback: TimeInterval = 86_400
    /// Days of history the baseline averages over.
    public var baselineDays: Int = 30
    /// A spike is more than this multiple of the baseline.
    public var spikeThreshold: Double = 3
    /// Above this multiple a spike is critical.
    public var spikeCriticalMultiple: Double = 5
    /// Daily baseline of a customer too new to have its own (PRD-087: per tier).
    public var tierBaselinePerDay: [CustomerTier: Double] = [.enterprise: 1.5, .midMarket: 1.0, .smb: 0.5]
    /// PRD-184 FR-6: this many tickets in 24 h alert even when no spike.
    public var burstCount: Int = 3
    /// PRD-102: a rating at or below this is poor.
    public var csatPoorMax: Int = 2
    /// PRD-102: a fall of the 30-day average by more than this share alerts.
    public var csatDeclineShare: Double = 0.2
    /// Ratings each 30-day period needs before its average means anything.
    public var csatDeclineMinimumRatings: Int = 2
    /// Accounts at or above this ARR get their CSAT and SLA alerts one step more severe.
    public var highValueARR: Double = 100_000
    /// An open ticket is aging when its age passes this multiple of its resolution target.
    public var agingMultiple: Double = 2
    /// Event alerts (new and resolved tickets, ratings) older than this are history, not news.
    public var eventLookback: TimeInterval = 86_400

    public init() {}

    /// Sets one setting by its dotted name (`spike.threshold=4`), for `replay --set` and
    /// configuration. Throws on an unknown name or a bad number (negative, not finite, a
    /// fraction where a count is meant, zero for a window or baseline).
    public mutating func set(_ name: String, to text: String) throws {
        let bad = DetectorSettingError.badValue(name: name, value: text)
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0 else { throw bad }
        // Counts and days are whole numbers: "2.5" is a typo, and `Int(1e300)` would trap.
        func whole() throws -> Int {
            guard let number = Int(exactly: value) else { throw bad }
            return number
        }
        // The spike window and the tier baselines divide the count: zero makes every multiple infinite.
        func positive() throws -> Double {
            guard value > 0 else { throw bad }
            return value
        }
        switch name {
        case "spike.threshold": spikeThreshold = value
        case "spike.critical": spikeCriticalMultiple = value
        case "spike.lookback_hours": spikeLookback = try positive() * 3600
        case "spike.baseline_days": baselineDays = max(1, try whole())
        // Any tier the roster uses, not only the built-in three ("spike.baseline.strategic").
        case let key where key.hasPrefix("spike.baseline.") && key.count > "spike.baseline.".count:
            guard let tier = CustomerTier(rawValue: String(key.dropFirst("spike.baseline.".count))) else { throw DetectorSettingError.unknown(name: name) }
            tierBaselinePerDay[tier] = try positive()
        case "burst.count": burstCount = max(1, try whole())
        case "csat.poor_max": csatPoorMax = try whole()
        case "csat.decline": csatDeclineShare = value > 1 ? value / 100 : value
        case "csat.minimum_ratings": csatDeclineMinimumRatings = try whole()
        case "high_value_arr": highValueARR = value
        case "aging.multiple": agingMultiple = value
        case "events.lookback_hours": eventLookback = value * 3600
        default: throw DetectorSettingError.unknown(name: name)
        }
    }

    public static let settingNames = [
        "spike.threshold", "spike.critical", "spike.lookback_hours", "spike.baseline_days", "spike.baseline.enterprise",
        "spike.baseline.mid_market", "spike.baseline.smb", "burst.count", "csat.poor_max", "csat.decline",
        "csat.minimum_ratings", "high_value_arr", "aging.multiple", "events.lookback_hours",
    ]
}

public enum DetectorSettingError: Error, Equatable, CustomStringConvertible {
    case unknown(name: String)
    case badValue(name: String, value: String)

    public var description: String {
        switch self {
        case .unknown(let name): "unknown detector setting '\(name)'; known: \(DetectorSettings.settingNames.joined(separator: ", "))"
        case .badValue(let name, let value): "'\(value)' is not a number for \(name)"
        }
    }
}
