import Foundation
import TicketPulseCore
import TicketPulseStorage

/// The PRD-156 metrics of some customers over a period, as the chat's `support_metrics`
/// answer and the HTTP API's support-metrics report both compute them.
public struct SupportMetricsReport: Sendable {
    public var metrics: SupportMetrics
    /// The weeks of the period that have begun: what the answer's bar chart and the
    /// report's trend show ("this quarter" runs to its end; weeks to come are only zeros).
    public var weeklyTrend: [TrendPoint]

    /// `source`: only that system's tickets (the Zendesk integration's metrics).
    public static func build(customers: [Customer], period: Period, store: any Store, settings: AnswerSettings, now: Date,
                             source: SourceSystem? = nil) async throws -> SupportMetricsReport {
        var tickets = try await store.metricsInput(customerIDs: customers.map(\.id), period: period)
        if let source { tickets = tickets.filter { $0.source == source } }
        let tiers = Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.tier) })
        return SupportMetricsReport(metrics: settings.calculator.metrics(tickets: tickets, tiers: tiers, period: period, now: now), now: now)
    }

    init(metrics: SupportMetrics, now: Date) {
        self.metrics = metrics
        weeklyTrend = metrics.weeklyVolume.filter { $0.start <= now }.map { TrendPoint(start: $0.start, tickets: $0.count) }
    }
}
