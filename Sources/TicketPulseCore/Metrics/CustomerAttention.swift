import Foundation

/// Why a customer needs a CSM's attention now, from its metrics and last-day volume.
public struct AttentionReasons: Sendable, Equatable {
    public var reasons: [String]
    public var needsAttention: Bool { !reasons.isEmpty }

    /// Fewer tickets than this in 24 h are never a spike (PRD-184 FR-6: 3+ tickets in 24 h).
    public static let minimumSpikeCount = 3

    /// - Parameters:
    ///   - lastDayCount: tickets created in the 24 h before `now`.
    ///   - dailyBaseline: average tickets per day over the 30 days before that, if the
    ///     customer has that much history.
    ///   - openBreaches: unresolved tickets whose SLA is breached now.
    public static func evaluate(metrics: SupportMetrics, health: SupportHealth, lastDayCount: Int, dailyBaseline: Double?, openBreaches: Int) -> AttentionReasons {
        var reasons: [String] = []
        // PRD-087's 3× the daily baseline, and at least PRD-184's 3 tickets: for a quiet
        // account one ticket is "30× a baseline of 0.03/day", which is no spike.
        if let baseline = dailyBaseline, baseline > 0, lastDayCount >= minimumSpikeCount, Double(lastDayCount) > 3 * baseline {
            reasons.append("spike: \(lastDayCount) tickets in 24 h, \(FixedPoint.string(Double(lastDayCount) / baseline, decimals: 1))× baseline")
        } else if dailyBaseline == nil, lastDayCount >= minimumSpikeCount {
            reasons.append("\(lastDayCount) tickets in 24 h (no baseline yet)")
        }
        if metrics.escalations.open > 0 { reasons.append("\(metrics.escalations.open) open escalation\(metrics.escalations.open == 1 ? "" : "s")") }
        if openBreaches > 0 { reasons.append("\(openBreaches) SLA breach\(openBreaches == 1 ? "" : "es") open") }
        if metrics.csat.trend == .declining, let now = metrics.csat.average, let before = metrics.csat.previousAverage {
            reasons.append("CSAT down \(FixedPoint.string(before, decimals: 1)) → \(FixedPoint.string(now, decimals: 1))")
        }
        if health.score < 55 { reasons.append("support health \(FixedPoint.string(health.score, decimals: 0))") }
        return AttentionReasons(reasons: reasons)
    }
}
