import Foundation
import Hummingbird
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-156: a customer's support metrics, the portfolio's, and support against health:
/// the report types the chat's `support_metrics`, `portfolio_summary` and
/// `support_correlation` answers render, encoded.
struct ReportsController: Sendable {
    let services: APIServices

    func register<Context: RequestContext>(on router: Router<Context>) {
        let api = services.authenticator
        router.get("/api/reports/support-metrics", use: api.protect("portfolio_support_metrics") { request, _, caller in
            try await portfolio(request, caller: caller)
        })
        router.get("/api/reports/support-metrics/correlation", use: api.protect("support_correlation") { request, _, caller in
            try await correlation(request, caller: caller)
        })
        router.get("/api/reports/support-metrics/:customerId", use: api.protect("customer_support_metrics") { request, context, caller in
            try await customer(request, customerID: context.parameters.require("customerId"), caller: caller)
        })
    }

    struct CustomerBody: Encodable {
        var customer: CustomerSupportMetrics
        /// The customer's open tickets, most urgent first.
        var tickets: [SupportTicketRecord]
        var trends: [TrendPoint]
        var alerts: [SupportAlertRecord]
    }

    /// The open tickets a report lists at most.
    static let openTicketLimit = 200

    func customer(_ request: Request, customerID: String, caller: APICaller) async throws -> APIReply {
        let parameters = APIParameters(request: request, now: services.now())
        let period = try parameters.period(defaultDays: 30)
        let customer = try await APIScope(caller: caller, store: services.store).customer(customerID)
        let report = try await SupportMetricsReport.build(customers: [customer], period: period, store: services.store, settings: services.settings, now: parameters.now)
        let open = try await TicketList.build(TicketQuery(customerIDs: [customer.id], status: .unresolved), sort: .priority, offset: 0, limit: Self.openTicketLimit,
                                              store: services.store, policy: services.settings.policy, now: parameters.now)
        return try APIReply.json(CustomerBody(customer: CustomerSupportMetrics(report.metrics, customerID: customer.id), tickets: open.tickets, trends: report.weeklyTrend,
                                              alerts: try await SupportAlertRecord.live(customerIDs: [customer.id], store: services.store)),
                                 customers: [customer.id])
    }

    struct PortfolioBody: Encodable {
        var summary: PortfolioSupportSummary
        var customers: [CustomerSupportSummary]
        var alerts: [SupportAlertRecord]
    }

    /// The caller's portfolio (one CSM's book with `csm_id`), as the chat's portfolio summary
    /// counts it; `min_tickets` and `max_csat` narrow the customers listed, not the summary.
    func portfolio(_ request: Request, caller: APICaller) async throws -> APIReply {
        let parameters = APIParameters(request: request, now: services.now())
        let period = try parameters.period(defaultDays: 30)
        let minimumTickets = try parameters.integer("min_tickets", in: 0...1_000_000)
        let maximumCSAT = try parameters.number("max_csat", in: 1...5)
        let csv = try parameters.wantsCSV()
        var only: Set<String>?
        if let csmID = parameters.query("csm_id"), !csmID.isEmpty {
            guard let person = try await services.store.csm(emailOrSlackUserID: csmID) else { throw APIError.notFound("CSM", csmID, reason: "unknown_csm") }
            guard try await TicketsController.oversees(caller.person, person, store: services.store) else { throw APIError.notFound("CSM", csmID, reason: "out_of_scope") }
            only = Set(try await services.store.customers(ids: caller.scope.queryIDs).filter { $0.csmEmail?.lowercased() == person.email.lowercased() }.map(\.id))
        }
        let report = try await PortfolioReport.build(for: caller.person, store: services.store, builder: services.settings.snapshotBuilder, period: period,
                                                     now: parameters.now, only: only)
        let listed = report.customers.filter { customer in
            (minimumTickets.map { customer.tickets >= $0 } ?? true) && (maximumCSAT.map { max in customer.avgCSAT.map { $0 <= max } ?? false } ?? true)
        }
        let ids = report.snapshots.map(\.customer.id)
        if csv { return try APIReply.csv(listed, columns: CustomerSupportSummary.fieldNames, customers: ids) }
        return try APIReply.json(PortfolioBody(summary: report.summary, customers: listed,
                                               alerts: try await SupportAlertRecord.live(customerIDs: listed.map(\.customerID), store: services.store)),
                                 customers: ids)
    }

    /// Over the caller's customers, the last 90 days unless `period` says otherwise (the chat's default).
    func correlation(_ request: Request, caller: APICaller) async throws -> APIReply {
        let parameters = APIParameters(request: request, now: services.now())
        let period = try parameters.period(defaultDays: 90)
        let customers = try await services.store.customers(ids: caller.scope.queryIDs)
        let report = try await SupportCorrelationReport.build(customers: customers, period: period, store: services.store,
                                                              builder: services.settings.snapshotBuilder, now: parameters.now)
        return try APIReply.json(report, customers: customers.filter { $0.healthScore != nil }.map(\.id))
    }
}
