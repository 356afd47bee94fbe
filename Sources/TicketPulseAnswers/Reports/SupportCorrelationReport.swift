import Foundation
import TicketPulseCore
import TicketPulseStorage

/// How support metrics move with account health across a portfolio (PRD-156 FR-156.23).
///
/// TicketPulse has no churn outcomes, so the roster's account health score (which CS teams
/// keep from usage and renewal signals) stands in for churn risk. The chat's
/// `support_correlation` answer renders it; the HTTP API's correlation report encodes it.
public struct SupportCorrelationReport: Codable, Sendable, Equatable {
    /// Fewer customers with a health score than this, and no correlation is attempted.
    public static let minimumCustomers = 5

    public struct Signal: Codable, Sendable, Equatable {
        public var signal: String
        /// Pearson r against the roster's health score; nil with fewer than 3 pairs or no spread.
        public var r: Double?
        /// "weak / none", "moderate positive", "strong negative"…; "not enough data" without r.
        public var strength: String
        /// Customers with a value for this signal.
        public var customers: Int
    }

    public struct RenewalRisk: Codable, Sendable, Equatable {
        public var customerID: String
        public var name: String
        public var supportHealth: Double
        public var renewalDate: Date

        enum CodingKeys: String, CodingKey {
            case customerID = "customer_id", name, supportHealth = "support_health", renewalDate = "renewal_date"
        }
    }

    public var period: ReportPeriod
    /// Customers in scope with a roster health score: the ones correlated.
    public var customers: Int
    /// Empty when there are fewer than `minimumCustomers`.
    public var signals: [Signal]
    /// Renewing within 90 days with support health under 60.
    public var renewalRisk: [RenewalRisk]
    public var note: String

    enum CodingKeys: String, CodingKey {
        case period, customers, signals, renewalRisk = "renewal_risk", note
    }

    public var hasEnoughCustomers: Bool { customers >= Self.minimumCustomers }

    static let caveat = "Pearson r against the roster's health score, which stands in for churn risk: TicketPulse does not see renewals or churn outcomes. Correlation is not causation."

    /// Over `customers` (those without a roster health score are left out).
    public static func build(customers: [Customer], period: Period, store: any Store, builder: SnapshotBuilder, now: Date) async throws -> SupportCorrelationReport {
        let scored = customers.filter { $0.healthScore != nil }
        guard scored.count >= minimumCustomers else {
            return SupportCorrelationReport(period: ReportPeriod(period), customers: scored.count, signals: [], renewalRisk: [],
                                            note: "At least \(minimumCustomers) customers with a health score in the roster are needed to correlate support with health.")
        }
        let (snapshots, _) = try await builder.snapshots(customers: scored, store: store, period: period, now: now)
        let health = snapshots.map { $0.customer.healthScore ?? 0 }
        let values: [(String, [Double?])] = [
            ("CSAT average", snapshots.map(\.metrics.csat.average)),
            ("SLA met %", snapshots.map(\.metrics.slaMetPercent)),
            ("Escalation rate", snapshots.map { $0.metrics.escalations.rate }),
            ("Tickets per $100k ARR", snapshots.map { $0.customer.arr > 0 ? Double($0.metrics.total) / ($0.customer.arr / 100_000) : nil }),
            ("Support health", snapshots.map { $0.health.score }),
        ]
        let signals = values.map { name, values -> Signal in
            let pairs = zip(values, health).compactMap { value, health in value.map { ($0, health) } }
            let r = pearson(pairs)
            return Signal(signal: name, r: r, strength: r.map(strength) ?? "not enough data", customers: pairs.count)
        }
        let renewing = snapshots.compactMap { snapshot -> RenewalRisk? in
            guard let renewal = snapshot.customer.renewalDate, renewal > now, renewal.timeIntervalSince(now) < 90 * 86_400, snapshot.health.score < 60 else { return nil }
            return RenewalRisk(customerID: snapshot.customer.id, name: snapshot.customer.name, supportHealth: snapshot.health.score, renewalDate: renewal)
        }
        return SupportCorrelationReport(period: ReportPeriod(period), customers: snapshots.count, signals: signals, renewalRisk: renewing, note: caveat)
    }

    static func pearson(_ pairs: [(Double, Double)]) -> Double? {
        guard pairs.count >= 3 else { return nil }
        let n = Double(pairs.count)
        let meanX = pairs.reduce(0) { $0 + $1.0 } / n, meanY = pairs.reduce(0) { $0 + $1.1 } / n
        var covariance = 0.0, varianceX = 0.0, varianceY = 0.0
        for (x, y) in pairs {
            covariance += (x - meanX) * (y - meanY)
            varianceX += (x - meanX) * (x - meanX)
            varianceY += (y - meanY) * (y - meanY)
        }
        guard varianceX > 0, varianceY > 0 else { return nil }
        return covariance / (varianceX * varianceY).squareRoot()
    }

    static func strength(_ r: Double) -> String {
        let magnitude = abs(r)
        let word = magnitude < 0.2 ? "weak" : magnitude < 0.5 ? "moderate" : "strong"
        return magnitude < 0.2 ? "weak / none" : "\(word) \(r > 0 ? "positive" : "negative")"
    }
}
