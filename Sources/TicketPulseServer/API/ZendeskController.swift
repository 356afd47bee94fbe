import Foundation
import Hummingbird
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-184's reads: a customer's Zendesk tickets and the support metrics computed from
/// them alone (FR-4). The signed webhook alias is `WebhookRoutes`'; the connect flow and
/// the organization mapping are registered beside these behind `APIAuthenticator`'s admin gate.
struct ZendeskController: Sendable {
    let services: APIServices

    func register<Context: RequestContext>(on router: Router<Context>) {
        let api = services.authenticator
        router.get("/api/integrations/zendesk/tickets/:customerId", use: api.protect("zendesk_tickets") { request, context, caller in
            try await TicketsController(services: services).list(request, customerID: context.parameters.require("customerId"), caller: caller, source: .zendesk)
        })
        router.get("/api/integrations/zendesk/metrics/:customerId", use: api.protect("zendesk_metrics") { request, context, caller in
            try await metrics(request, customerID: context.parameters.require("customerId"), caller: caller)
        })
    }

    /// PRD-184's `zendesk_metrics` row, with the full metrics beside it.
    struct MetricsBody: Encodable {
        var customerID: String
        var source = "zendesk"
        var openTickets: Int
        var escalations: Int
        var avgResolutionHours: Double?
        var csatScore: Double?
        var metrics: CustomerSupportMetrics

        enum CodingKeys: String, CodingKey {
            case customerID = "customer_id", source, openTickets = "open_tickets", escalations, avgResolutionHours = "avg_resolution_hours"
            case csatScore = "csat_score", metrics
        }
    }

    func metrics(_ request: Request, customerID: String, caller: APICaller) async throws -> APIReply {
        let parameters = APIParameters(request: request, now: services.now())
        let period = try parameters.period(defaultDays: 30)
        let customer = try await APIScope(caller: caller, store: services.store).customer(customerID)
        let metrics = try await SupportMetricsReport.build(customers: [customer], period: period, store: services.store, settings: services.settings,
                                                           now: parameters.now, source: .zendesk).metrics
        return try APIReply.json(MetricsBody(customerID: customer.id, openTickets: metrics.open, escalations: metrics.escalations.total,
                                             avgResolutionHours: metrics.resolution.averageHours, csatScore: metrics.csat.average,
                                             metrics: CustomerSupportMetrics(metrics, customerID: customer.id)),
                                 customers: [customer.id])
    }
}
