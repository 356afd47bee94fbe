import Foundation

/// Computes `SupportMetrics` from tickets. Pure: the same tickets, period and `now` always
/// give the same numbers.
public struct MetricsCalculator: Sendable {
    public var policy: SLAPolicy
    public var trendRule: CSATTrendRule

    public init(policy: SLAPolicy = .standard, trendRule: CSATTrendRule = CSATTrendRule()) {
        self.policy = policy
        self.trendRule = trendRule
    }

    /// - Parameters:
    ///   - tickets: every ticket that can touch the period: created in it or in the previous
    ///     equal period, unresolved now, or resolved/rated in either period. Extra tickets are
    ///     harmless; missing ones make the numbers wrong. `TicketStore.metricsInput` fetches
    ///     exactly this set.
    ///   - tiers: each customer's tier, for per-tier SLA targets.
    public func metrics(tickets: [Ticket], tiers: [String: CustomerTier] = [:], period: Period, now: Date) -> SupportMetrics {
        let previous = period.previous
        var total = 0, open = 0, resolved = 0
        var byPriority: [Priority: Int] = [:], byCategory: [TicketCategory: Int] = [:]
        var firstResponse = SLAAccumulator(), resolution = SLAAccumulator()
        var ratings: [Int] = [], previousRatings: [Int] = []
        var escalatedInPeriod = 0, escalatedCreatedInPeriod = 0, openEscalations = 0
        var openAges: [TimeInterval] = []
        var created: [Date] = []

        for ticket in tickets where ticket.status != .deleted {
            let tier = ticket.customerID.flatMap { tiers[$0] }
            if ticket.isUnresolved {
                open += 1
                openAges.append(now.timeIntervalSince(ticket.createdAt))
                if ticket.isEscalated { openEscalations += 1 }
            }
            if let resolvedAt = ticket.resolvedAt, ticket.status.isResolved, period.contains(resolvedAt) {
                resolved += 1
            }
            if let csat = ticket.csat {
                let ratedAt = csat.ratedAt ?? ticket.resolvedAt ?? ticket.updatedAt
                if period.contains(ratedAt) { ratings.append(csat.score) }
                else if previous.contains(ratedAt) { previousRatings.append(csat.score) }
            }
            if let escalation = ticket.escalation, period.contains(escalation.escalatedAt ?? ticket.createdAt) {
                escalatedInPeriod += 1
            }
            guard period.contains(ticket.createdAt) else { continue }
            total += 1
            created.append(ticket.createdAt)
            byPriority[ticket.priority, default: 0] += 1
            byCategory[ticket.category, default: 0] += 1
            if ticket.isEscalated { escalatedCreatedInPeriod += 1 }
            let sla = policy.evaluate(ticket, tier: tier, now: now)
            firstResponse.add(sla.firstResponse, start: ticket.createdAt)
            resolution.add(sla.resolution, start: ticket.createdAt)
        }

        let csat = CSATStatistic(
            average: Statistics.mean(ratings),
            responses: ratings.count,
            responseRate: resolved == 0 ? nil : min(1, Double(ratings.count) / Double(resolved)),
            previousAverage: Statistics.mean(previousRatings),
            trend: trendRule.trend(current: ratings, previous: previousRatings),
            poor: ratings.filter { $0 <= 2 }.count,
            distribution: Dictionary(grouping: ratings, by: { $0 }).mapValues(\.count)
        )
        return SupportMetrics(
            period: period, total: total, open: open, resolved: resolved,
            byPriority: byPriority, byCategory: byCategory,
            firstResponse: firstResponse.statistic, resolution: resolution.statistic,
            csat: csat,
            escalations: EscalationStatistic(
                total: escalatedInPeriod, open: openEscalations,
                rate: total == 0 ? nil : Double(escalatedCreatedInPeriod) / Double(total)
            ),
            weeklyVolume: VolumeSeries.weekly(created, period: period),
            monthlyVolume: VolumeSeries.monthly(created, period: period),
            aging: AgingBucket.buckets(ages: openAges)
        )
    }
}

private struct SLAAccumulator {
    var met = 0, breached = 0, atRisk = 0
    var completedHours: [Double] = []

    mutating func add(_ clock: SLAClock, start: Date) {
        switch clock.state {
        case .met: met += 1
        case .breached: breached += 1
        case .atRisk: atRisk += 1
        case .onTrack: break
        }
        if let completedAt = clock.completedAt {
            completedHours.append(completedAt.timeIntervalSince(start) / 3600)
        }
    }

    var statistic: SLAStatistic {
        SLAStatistic(met: met, breached: breached, atRisk: atRisk, averageHours: Statistics.mean(completedHours))
    }
}

extension AgingBucket {
    /// Open-ticket age buckets as the PRD-156 mock-ups show them.
    static let bounds: [(label: String, upTo: TimeInterval)] = [
        ("< 1 day", 86_400), ("1–3 days", 3 * 86_400), ("3–7 days", 7 * 86_400),
        ("7–30 days", 30 * 86_400), ("> 30 days", .infinity),
    ]

    public static func buckets(ages: [TimeInterval]) -> [AgingBucket] {
        var counts = Array(repeating: 0, count: bounds.count)
        for age in ages {
            counts[bounds.firstIndex { age < $0.upTo } ?? bounds.count - 1] += 1
        }
        return zip(bounds, counts).map { AgingBucket(label: $0.label, count: $1) }
    }
}
