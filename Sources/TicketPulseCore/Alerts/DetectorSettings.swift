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
    /// configuration. Throws on an unknown name or a bad number.
    public mutating func set(_ name: String, to text: String) throws {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0 else {
            throw DetectorSettingError.badValue(name: name, value: text)
        }
        switch name {
        case "spike.threshold": spikeThreshold = value
        case "spike.critical": spikeCriticalMultiple = value
        case "spike.lookback_hours": spikeLookback = value * 3600
        case "spike.baseline_days": baselineDays = max(1, Int(value))
        case "spike.baseline.enterprise": tierBaselinePerDay[.enterprise] = value
        case "spike.baseline.mid_market": tierBaselinePerDay[.midMarket] = value
        case "spike.baseline.smb": tierBaselinePerDay[.smb] = value
        case "burst.count": burstCount = max(1, Int(value))
        case "csat.poor_max": csatPoorMax = Int(value)
        case "csat.decline": csatDeclineShare = value > 1 ? value / 100 : value
        case "csat.minimum_ratings": csatDeclineMinimumRatings = Int(value)
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
