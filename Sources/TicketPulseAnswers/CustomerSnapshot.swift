import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Everything the answers show about one customer: metrics, health, and attention reasons.
public struct CustomerSnapshot: Sendable {
    public var customer: Customer
    public var metrics: SupportMetrics
    public var health: SupportHealth
    public var attention: AttentionReasons
    public var openBreaches: Int
    public var openP1P2: Int
    /// Tickets created in the 24 h before now.
    public var lastDayCount: Int
    /// Tickets per day over the 30 days before that; nil for a customer without that much history.
    public var dailyBaseline: Double?

    /// Whether the attention rules found a spike (or a burst without a baseline).
    public var isSpiking: Bool {
        attention.reasons.contains { $0.hasPrefix("spike") || $0.contains("no baseline") }
    }

    /// Last-day volume over the daily baseline.
    public var spikeMultiplier: Double? {
        dailyBaseline.flatMap { $0 > 0 ? Double(lastDayCount) / $0 : nil }
    }
}

/// Builds snapshots for many customers from one store read.
public struct SnapshotBuilder: Sendable {
    public var calculator: MetricsCalculator
    public var scorer: SupportHealthScorer

    public init(calculator: MetricsCalculator = MetricsCalculator(), scorer: SupportHealthScorer = SupportHealthScorer()) {
        self.calculator = calculator
        self.scorer = scorer
    }

    /// Snapshots of `customers` over `period`, plus the metrics of all of them together.
    public func snapshots(customers: [Customer], store: any Store, period: Period, now: Date) async throws -> (perCustomer: [CustomerSnapshot], combined: SupportMetrics) {
        // The spike check needs the 30 days before the last 24 h; extra tickets are harmless to the calculator.
        let fetchPeriod = period.extendedToInclude(Period(start: now.addingTimeInterval(-31 * 86_400), end: now))
        let tickets = try await store.metricsInput(customerIDs: customers.map(\.id), period: fetchPeriod)
        let byCustomer = Dictionary(grouping: tickets, by: { $0.customerID ?? "" })
        let tiers = Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.tier) })
        let lastDay = Period(start: now.addingTimeInterval(-86_400), end: now)
        let baselineWindow = Period(start: now.addingTimeInterval(-31 * 86_400), end: lastDay.start)

        let snapshots = customers.map { customer in
            let own = byCustomer[customer.id] ?? []
            let metrics = calculator.metrics(tickets: own, tiers: tiers, period: period, now: now)
            let health = scorer.score(metrics, baseHealth: customer.healthScore)
            // Counted in place: a portfolio's copies of each customer's tickets were a good
            // part of building its snapshots.
            let lastDayCount = own.count { lastDay.contains($0.createdAt) && $0.status != .deleted }
            let hasBaseline = customer.onboardedAt.map { $0 <= baselineWindow.start } ?? true
            let baseline = hasBaseline ? Double(own.count { baselineWindow.contains($0.createdAt) && $0.status != .deleted }) / 30 : nil
            let breaches = own.count { $0.isUnresolved && calculator.policy.evaluate($0, tier: customer.tier, now: now).overall == .breached }
            return CustomerSnapshot(
                customer: customer, metrics: metrics, health: health,
                attention: .evaluate(metrics: metrics, health: health, lastDayCount: lastDayCount, dailyBaseline: baseline, openBreaches: breaches),
                openBreaches: breaches, openP1P2: own.count { $0.isUnresolved && $0.priority <= .p2 }, lastDayCount: lastDayCount, dailyBaseline: baseline
            )
        }
        let combined = calculator.metrics(tickets: tickets, tiers: tiers, period: period, now: now)
        return (snapshots, combined)
    }
}

extension Period {
    /// The smallest period covering both, so one fetch serves several windows.
    func extendedToInclude(_ other: Period) -> Period {
        Period(start: min(start, other.start), end: max(end, other.end))
    }
}
