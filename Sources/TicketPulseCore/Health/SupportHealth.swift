import Foundation

/// Weights of the support health signals (PRD-184 FR-5), and how much support counts in
/// the customer's overall health. Configurable in `ticketpulse.yml`.
public struct HealthWeights: Codable, Sendable, Equatable {
    public var csat: Double
    public var sla: Double
    public var escalations: Double
    public var backlog: Double
    /// Share of the overall health score that comes from support; the rest is the
    /// roster's health score.
    public var supportShareOfHealth: Double

    public init(csat: Double = 0.35, sla: Double = 0.25, escalations: Double = 0.20, backlog: Double = 0.20, supportShareOfHealth: Double = 0.30) {
        self.csat = csat
        self.sla = sla
        self.escalations = escalations
        self.backlog = backlog
        self.supportShareOfHealth = supportShareOfHealth
    }

    public static let standard = HealthWeights()
}

/// One signal of the support component, with the reason for its score.
public struct HealthSignal: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case csat, sla, escalations, backlog }

    public var kind: Kind
    /// 0–100, or nil when there is no data (its weight then goes to the other signals).
    public var score: Double?
    public var weight: Double
    public var explanation: String
}

public struct SupportHealth: Sendable, Equatable {
    /// The support component, 0–100.
    public var score: Double
    public var signals: [HealthSignal]
    /// The roster's health score blended with the support component; nil without a roster score.
    public var overall: Double?
    public var baseHealth: Double?

    public var band: HealthBand { HealthBand(score: score) }
}

public enum HealthBand: String, Sendable {
    case healthy, watch, atRisk = "at_risk"

    public init(score: Double) {
        self = score >= 75 ? .healthy : score >= 55 ? .watch : .atRisk
    }
}

/// Scores a customer's support health from its metrics. Each signal maps to 0–100:
/// - CSAT: average 2 or below → 0, 4.5 or above → 100, linear between (a 3.0 scores 40).
/// - SLA: pooled first-response and resolution met %: 50% or below → 0, 100% → 100.
/// - Escalations: 100 − 300 × escalation rate − 10 per open escalation.
/// - Backlog: 100 − 10 per open ticket older than 7 days − 2 per open ticket beyond 5.
public struct SupportHealthScorer: Sendable {
    public var weights: HealthWeights

    public init(weights: HealthWeights = .standard) {
        self.weights = weights
    }

    public func score(_ metrics: SupportMetrics, baseHealth: Double?) -> SupportHealth {
        var signals: [HealthSignal] = []

        if let average = metrics.csat.average {
            signals.append(HealthSignal(kind: .csat, score: clamp((average - 2) / 2.5 * 100), weight: weights.csat,
                                        explanation: "CSAT \(FixedPoint.string(average, decimals: 1))/5 from \(metrics.csat.responses) ratings (\(metrics.csat.trend.words))"))
        } else {
            signals.append(HealthSignal(kind: .csat, score: nil, weight: weights.csat, explanation: "No CSAT ratings in the period"))
        }

        if let met = metrics.slaMetPercent {
            let breached = metrics.firstResponse.breached + metrics.resolution.breached
            signals.append(HealthSignal(kind: .sla, score: clamp((met - 50) * 2), weight: weights.sla,
                                        explanation: "\(FixedPoint.string(met, decimals: 0))% of SLA clocks met, \(breached) breached"))
        } else {
            signals.append(HealthSignal(kind: .sla, score: nil, weight: weights.sla, explanation: "No SLA clocks decided in the period"))
        }

        let rate = metrics.escalations.rate ?? 0
        signals.append(HealthSignal(kind: .escalations, score: clamp(100 - 300 * rate - 10 * Double(metrics.escalations.open)), weight: weights.escalations,
                                    explanation: "\(FixedPoint.string(rate * 100, decimals: 0))% of tickets escalated, \(metrics.escalations.open) escalation\(metrics.escalations.open == 1 ? "" : "s") open"))

        let aged = metrics.aging.dropFirst(3).reduce(0) { $0 + $1.count }
        signals.append(HealthSignal(kind: .backlog, score: clamp(100 - 10 * Double(aged) - 2 * Double(max(0, metrics.open - 5))), weight: weights.backlog,
                                    explanation: "\(metrics.open) open ticket\(metrics.open == 1 ? "" : "s"), \(aged) older than 7 days"))

        let scored = signals.compactMap { signal in signal.score.map { ($0, signal.weight) } }
        let weightSum = scored.reduce(0) { $0 + $1.1 }
        let support = weightSum > 0 ? scored.reduce(0) { $0 + $1.0 * $1.1 } / weightSum : 100
        let overall = baseHealth.map { $0 * (1 - weights.supportShareOfHealth) + support * weights.supportShareOfHealth }
        return SupportHealth(score: support, signals: signals, overall: overall, baseHealth: baseHealth)
    }

    private func clamp(_ value: Double) -> Double { min(100, max(0, value)) }
}
