import Foundation
import Hummingbird
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-087: a spike check now, and a customer's recent-ticket summary, from the alert
/// pipeline's own volume detectors (the ticket webhook is `WebhookRoutes`').
struct SupportController: Sendable {
    let services: APIServices

    func register<Context: RequestContext>(on router: Router<Context>) {
        let api = services.authenticator
        router.post("/api/support/check-spike", use: api.protect("check_spike") { request, _, caller in
            let body = try await APIBody.decode(SpikeCheckBody.self, from: request)
            guard let id = body.customerId?.trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty else {
                throw APIError.badParameter("customerId", "the customer's id is required")
            }
            let report = try await check(id, caller: caller)
            return try APIReply.json(report, customers: [report.customerID])
        })
        router.get("/api/support/summary/:customerId", use: api.protect("support_summary") { _, context, caller in
            let report = try await check(context.parameters.require("customerId"), caller: caller)
            return try APIReply.json(SummaryBody(report), customers: [report.customerID])
        })
    }

    /// PRD-087 §4.2's body, as it writes it.
    struct SpikeCheckBody: Decodable {
        var customerId: String?
    }

    /// PRD-087 §4.2's summary, in snake_case.
    struct SummaryBody: Encodable {
        var customerID: String
        var recentTickets: [SupportTicketRecord]
        var baseline: Double
        var currentRate: Double
        var isSpike: Bool
        var spikeMultiplier: Double
        var severity: String
        var themes: [String]

        enum CodingKeys: String, CodingKey {
            case customerID = "customer_id", recentTickets = "recent_tickets", baseline, currentRate = "current_rate", isSpike = "is_spike"
            case spikeMultiplier = "spike_multiplier", severity, themes
        }

        init(_ report: SpikeCheckReport) {
            customerID = report.customerID
            recentTickets = report.recentTickets
            baseline = report.baselineDailyAvg
            currentRate = report.currentRate
            isSpike = report.isSpike
            spikeMultiplier = report.spikeMultiplier
            severity = report.severity
            themes = report.commonThemes
        }
    }

    func check(_ customerID: String, caller: APICaller) async throws -> SpikeCheckReport {
        let customer = try await APIScope(caller: caller, store: services.store).customer(customerID)
        return try await SpikeCheckReport.build(customer: customer, store: services.store, detectors: services.detectors, now: services.now())
    }
}
