import Foundation
import TicketPulseCore

/// PRD-156 §6.1 `CustomerSupportMetrics`, as the HTTP API and the dashboard show it: the
/// same `SupportMetrics` the chat's support-metrics answer renders, in the PRD's shape and
/// snake_case names. A figure with nothing to count (no rating, no decided SLA clock) is
/// null rather than a made-up zero.
public struct CustomerSupportMetrics: Codable, Sendable, Equatable {
    public struct Tickets: Codable, Sendable, Equatable {
        public var total: Int
        public var open: Int
        public var resolved: Int
        /// "P1"…"P4" → count, every priority present.
        public var byPriority: [String: Int]
        /// Category name → count, the categories with tickets.
        public var byCategory: [String: Int]

        enum CodingKeys: String, CodingKey {
            case total, open, resolved
            case byPriority = "by_priority", byCategory = "by_category"
        }
    }

    public struct SLA: Codable, Sendable, Equatable {
        public var firstResponseMetPct: Double?
        public var resolutionMetPct: Double?
        public var avgFirstResponseHours: Double?
        public var avgResolutionHours: Double?
        /// Both clocks pooled, as the chat's "SLA met" figure.
        public var overallMetPct: Double?
        public var breached: Int
        public var atRisk: Int

        enum CodingKeys: String, CodingKey {
            case firstResponseMetPct = "first_response_met_pct", resolutionMetPct = "resolution_met_pct"
            case avgFirstResponseHours = "avg_first_response_hours", avgResolutionHours = "avg_resolution_hours"
            case overallMetPct = "overall_met_pct", breached, atRisk = "at_risk"
        }
    }

    public struct Satisfaction: Codable, Sendable, Equatable {
        public var avgCSAT: Double?
        public var csatResponses: Int
        /// improving, stable, declining, or insufficient_data (too few ratings to say).
        public var trend: String
        public var previousAvgCSAT: Double?
        public var responseRate: Double?
        public var poorRatings: Int

        enum CodingKeys: String, CodingKey {
            case avgCSAT = "avg_csat", csatResponses = "csat_responses", trend
            case previousAvgCSAT = "previous_avg_csat", responseRate = "response_rate", poorRatings = "poor_ratings"
        }
    }

    public struct Escalations: Codable, Sendable, Equatable {
        public var total: Int
        public var open: Int
        public var rate: Double?
    }

    /// The customer's id; nil for a set of customers (a portfolio).
    public var customerID: String?
    public var period: ReportPeriod
    public var tickets: Tickets
    public var sla: SLA
    public var satisfaction: Satisfaction
    public var escalations: Escalations

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id", period, tickets, sla, satisfaction, escalations
    }

    public init(_ metrics: SupportMetrics, customerID: String?) {
        self.customerID = customerID
        period = ReportPeriod(metrics.period)
        tickets = Tickets(
            total: metrics.total, open: metrics.open, resolved: metrics.resolved,
            byPriority: Dictionary(uniqueKeysWithValues: Priority.allCases.map { ($0.rawValue, metrics.byPriority[$0, default: 0]) }),
            byCategory: Dictionary(uniqueKeysWithValues: metrics.byCategory.map { ($0.key.rawValue, $0.value) })
        )
        sla = SLA(firstResponseMetPct: metrics.firstResponse.metPercent, resolutionMetPct: metrics.resolution.metPercent,
                  avgFirstResponseHours: metrics.firstResponse.averageHours, avgResolutionHours: metrics.resolution.averageHours,
                  overallMetPct: metrics.slaMetPercent, breached: metrics.firstResponse.breached + metrics.resolution.breached,
                  atRisk: metrics.firstResponse.atRisk + metrics.resolution.atRisk)
        satisfaction = Satisfaction(avgCSAT: metrics.csat.average, csatResponses: metrics.csat.responses, trend: metrics.csat.trend.rawValue,
                                    previousAvgCSAT: metrics.csat.previousAverage, responseRate: metrics.csat.responseRate, poorRatings: metrics.csat.poor)
        escalations = Escalations(total: metrics.escalations.total, open: metrics.escalations.open, rate: metrics.escalations.rate)
    }
}

/// A period as reports carry it: its bounds, and the name the PRD's `period` field wants.
public struct ReportPeriod: Codable, Sendable, Equatable {
    public var start: Date
    public var end: Date

    public init(_ period: Period) {
        start = period.start
        end = period.end
    }

    public var period: Period { Period(start: start, end: end) }
}

/// One point of a volume trend: tickets created in the week starting `start`.
public struct TrendPoint: Codable, Sendable, Equatable {
    public var start: Date
    public var tickets: Int

    public init(start: Date, tickets: Int) {
        self.start = start
        self.tickets = tickets
    }
}
