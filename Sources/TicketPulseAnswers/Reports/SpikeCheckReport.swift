import Foundation
import TicketPulseCore
import TicketPulseStorage

/// PRD-087 §4.3's spike check for one customer, now: the alert pipeline's own volume
/// detectors (`AlertDetectors.volumeCheck`, with the configured thresholds) over what the
/// store holds, with what they measured whether or not they raise anything.
public struct SpikeCheckReport: Codable, Sendable, Equatable {
    public var customerID: String
    public var checkedAt: Date
    /// The detectors raised a spike (more than the threshold × the baseline, with enough tickets).
    public var isSpike: Bool
    /// spike, burst (PRD-184's 3+ in 24 h under the spike threshold), or nil.
    public var alertKind: String?
    /// The alert's severity; without one, PRD-087 §4.3's word for the multiple (medium).
    public var severity: String
    public var explanation: String?
    public var periodHours: Double
    /// Tickets created in the window.
    public var ticketCount: Int
    public var lastDayCount: Int
    public var baselineDailyAvg: Double
    /// own (the customer's 30-day history) or tier (its tier's, for a young account).
    public var baselineSource: String
    /// Tickets per day over the window.
    public var currentRate: Double
    public var spikeMultiplier: Double
    public var spikeThreshold: Double
    public var ticketBreakdown: [String: Int]
    public var severityBreakdown: [String: Int]
    public var commonThemes: [String]
    public var ticketIDs: [String]
    public var recentTickets: [SupportTicketRecord]

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id", checkedAt = "checked_at", isSpike = "is_spike", alertKind = "alert_kind", severity, explanation
        case periodHours = "period_hours", ticketCount = "ticket_count", lastDayCount = "last_day_count"
        case baselineDailyAvg = "baseline_daily_avg", baselineSource = "baseline_source", currentRate = "current_rate"
        case spikeMultiplier = "spike_multiplier", spikeThreshold = "spike_threshold"
        case ticketBreakdown = "ticket_breakdown", severityBreakdown = "severity_breakdown", commonThemes = "common_themes"
        case ticketIDs = "ticket_ids", recentTickets = "recent_tickets"
    }

    public static func build(customer: Customer, store: any Store, detectors: AlertDetectors, now: Date) async throws -> SpikeCheckReport {
        let horizon = CustomerActivity.horizon(settings: detectors.settings, now: now)
        let activity = try await store.activity(customerIDs: [customer.id], since: horizon).first { $0.customer.id == customer.id }
            ?? CustomerActivity(customer: customer, tickets: [])
        let (reading, alert) = detectors.volumeCheck(activity, now: now)
        let recent = reading.recent
        let days = detectors.settings.spikeLookback / 86_400
        return SpikeCheckReport(
            customerID: customer.id, checkedAt: now, isSpike: alert?.kind == .spike, alertKind: alert?.kind.rawValue,
            severity: alert?.severity.rawValue ?? AlertSeverity.medium.rawValue, explanation: alert?.explanation,
            periodHours: detectors.settings.spikeLookback / 3600, ticketCount: recent.count, lastDayCount: reading.lastDay.count,
            baselineDailyAvg: reading.baseline.perDay, baselineSource: reading.baseline.own ? "own" : "tier",
            currentRate: Double(recent.count) / days, spikeMultiplier: reading.multiple, spikeThreshold: detectors.settings.spikeThreshold,
            ticketBreakdown: Dictionary(grouping: recent, by: \.category.rawValue).mapValues(\.count),
            severityBreakdown: Dictionary(grouping: recent, by: \.priority.rawValue).mapValues(\.count),
            commonThemes: alert?.themes ?? SubjectThemes.themes(of: recent.map(\.subject)),
            ticketIDs: recent.map(\.externalID),
            recentTickets: recent.map { SupportTicketRecord($0, tier: customer.tier, policy: detectors.sla, now: now) }
        )
    }
}
