import Foundation
import TicketPulseCore
import TicketPulseStorage

/// A person's portfolio (a CSM's accounts, a manager's team, an admin's whole book) over a
/// period: each customer's snapshot, the metrics of all of them together, and who needs
/// attention. The chat's `portfolio_summary` renders it; the HTTP API's portfolio report
/// and CSM summary encode `summary` and `customers`.
public struct PortfolioReport: Sendable {
    public var person: CSM
    public var period: Period
    public var snapshots: [CustomerSnapshot]
    public var combined: SupportMetrics
    /// The customers that need attention, lowest support health first.
    public var attention: [CustomerSnapshot]

    /// `only` narrows the portfolio to those customers; never wider than the person's scope.
    public static func build(for person: CSM, store: any Store, builder: SnapshotBuilder, period: Period, now: Date,
                             only: Set<String>? = nil) async throws -> PortfolioReport {
        let visible = try await store.customerIDs(visibleTo: person)
        let customers = try await store.customers(ids: visible).filter { only?.contains($0.id) ?? true }
        return try await build(for: person, customers: customers, store: store, builder: builder, period: period, now: now)
    }

    /// The report over `customers`, which the caller has read within the person's scope.
    public static func build(for person: CSM, customers: [Customer], store: any Store, builder: SnapshotBuilder, period: Period, now: Date) async throws -> PortfolioReport {
        guard !customers.isEmpty else {
            return PortfolioReport(person: person, period: period, snapshots: [], combined: builder.calculator.metrics(tickets: [], period: period, now: now), attention: [])
        }
        let (snapshots, combined) = try await builder.snapshots(customers: customers, store: store, period: period, now: now)
        return PortfolioReport(person: person, period: period, snapshots: snapshots, combined: combined, attention: needingAttention(snapshots))
    }

    /// The customers that need attention, lowest support health first: the chat's summary,
    /// the API's report and the dashboard's list.
    public static func needingAttention(_ snapshots: [CustomerSnapshot]) -> [CustomerSnapshot] {
        snapshots.filter(\.attention.needsAttention).sorted { $0.health.score < $1.health.score }
    }

    public var openP1P2: Int { snapshots.reduce(0) { $0 + $1.openP1P2 } }

    /// "Mike Chen's accounts", "Ann Lee's team", "all accounts".
    public var scopeName: String {
        switch person.role {
        case .csm: "\(person.name)'s accounts"
        case .manager: "\(person.name)'s team"
        case .admin: "all accounts"
        }
    }

    public var summary: PortfolioSupportSummary {
        PortfolioSupportSummary(
            scope: scopeName, accounts: snapshots.count, openTickets: combined.open, openP1P2: openP1P2, tickets: combined.total,
            avgCSAT: combined.csat.average, openEscalations: combined.escalations.open, slaMetPct: combined.slaMetPercent,
            customersNeedingAttention: attention.count, metrics: CustomerSupportMetrics(combined, customerID: nil)
        )
    }

    public var customers: [CustomerSupportSummary] { snapshots.map(CustomerSupportSummary.init) }
}

/// PRD-156's `PortfolioSupportSummary`: the figures the chat's portfolio summary opens with.
public struct PortfolioSupportSummary: Codable, Sendable, Equatable {
    public var scope: String
    public var accounts: Int
    public var openTickets: Int
    public var openP1P2: Int
    /// Tickets created in the period.
    public var tickets: Int
    public var avgCSAT: Double?
    public var openEscalations: Int
    public var slaMetPct: Double?
    public var customersNeedingAttention: Int
    public var metrics: CustomerSupportMetrics

    enum CodingKeys: String, CodingKey {
        case scope, accounts, openTickets = "open_tickets", openP1P2 = "open_p1_p2", tickets, avgCSAT = "avg_csat"
        case openEscalations = "open_escalations", slaMetPct = "sla_met_pct", customersNeedingAttention = "customers_needing_attention", metrics
    }
}

/// PRD-156's `CustomerSupportSummary`: one customer's row of a portfolio.
public struct CustomerSupportSummary: Codable, Sendable, Equatable {
    public var customerID: String
    public var name: String
    public var tier: String
    public var arr: Double
    public var csmEmail: String?
    public var renewalDate: Date?
    public var openTickets: Int
    public var openP1P2: Int
    public var tickets: Int
    public var avgCSAT: Double?
    public var csatTrend: String
    public var slaMetPct: Double?
    public var openEscalations: Int
    public var openSLABreaches: Int
    public var lastDayTickets: Int
    public var dailyBaseline: Double?
    /// The support component of health, 0–100, and its band (healthy, watch, at_risk).
    public var supportHealth: Double
    public var healthBand: String
    /// The roster's health blended with support; nil without a roster score.
    public var overallHealth: Double?
    public var needsAttention: Bool
    public var attentionReasons: [String]

    /// The fields in order, as a CSV export's columns.
    public static var fieldNames: [String] { CodingKeys.allCases.map(\.stringValue) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case customerID = "customer_id", name, tier, arr, csmEmail = "csm_email", renewalDate = "renewal_date"
        case openTickets = "open_tickets", openP1P2 = "open_p1_p2", tickets, avgCSAT = "avg_csat", csatTrend = "csat_trend"
        case slaMetPct = "sla_met_pct", openEscalations = "open_escalations", openSLABreaches = "open_sla_breaches"
        case lastDayTickets = "last_day_tickets", dailyBaseline = "daily_baseline"
        case supportHealth = "support_health", healthBand = "health_band", overallHealth = "overall_health"
        case needsAttention = "needs_attention", attentionReasons = "attention_reasons"
    }

    public init(_ snapshot: CustomerSnapshot) {
        let customer = snapshot.customer, metrics = snapshot.metrics
        customerID = customer.id
        name = customer.name
        tier = customer.tier.rawValue
        arr = customer.arr
        csmEmail = customer.csmEmail
        renewalDate = customer.renewalDate
        openTickets = metrics.open
        openP1P2 = snapshot.openP1P2
        tickets = metrics.total
        avgCSAT = metrics.csat.average
        csatTrend = metrics.csat.trend.rawValue
        slaMetPct = metrics.slaMetPercent
        openEscalations = metrics.escalations.open
        openSLABreaches = snapshot.openBreaches
        lastDayTickets = snapshot.lastDayCount
        dailyBaseline = snapshot.dailyBaseline
        supportHealth = snapshot.health.score
        healthBand = snapshot.health.band.rawValue
        overallHealth = snapshot.health.overall
        needsAttention = snapshot.attention.needsAttention
        attentionReasons = snapshot.attention.reasons
    }
}
