import Foundation

/// Why a customer needs a CSM's attention now, from its metrics and last-day volume.
public struct AttentionReasons: Sendable, Equatable {
    public var reasons: [String]
    public var needsAttention: Bool { !reasons.isEmpty }

    /// - Parameters:
    ///   - lastDayCount: tickets created in the 24 h before `now`.
    ///   - dailyBaseline: average tickets per day over the 30 days before that, if the
    ///     customer has that much history.
    ///   - openBreaches: unresolved tickets whose SLA is breached now.
    public static func evaluate(metrics: SupportMetrics, health: SupportHealth, lastDayCount: Int, dailyBaseline: Double?, openBreaches: Int) -> AttentionReasons {
        var reasons: [String] = []
        if let baseline = dailyBaseline, baseline > 0, Double(lastDayCount) > 3 * baseline {
            reasons.append(String(format: "spike: %d tickets in 24 h, %.1f× baseline", lastDayCount, Double(lastDayCount) / baseline))
        } else if dailyBaseline == nil, lastDayCount >= 3 {
            reasons.append("\(lastDayCount) tickets in 24 h (no baseline yet)")
        }
        if metrics.escalations.open > 0 { reasons.append("\(metrics.escalations.open) open escalation\(metrics.escalations.open == 1 ? "" : "s")") }
        if openBreaches > 0 { reasons.append("\(openBreaches) SLA breach\(openBreaches == 1 ? "" : "es") open") }
        if metrics.csat.trend == .declining, let now = metrics.csat.average, let before = metrics.csat.previousAverage {
            reasons.append(String(format: "CSAT down %.1f → %.1f", before, now))
        }
        if health.score < 55 { reasons.append(String(format: "support health %.0f", health.score)) }
        return AttentionReasons(reasons: reasons)
    }
}
