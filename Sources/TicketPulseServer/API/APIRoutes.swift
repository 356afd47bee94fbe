import Foundation
import Hummingbird
import Logging
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// What every API controller works with: the store, the answers' settings (the chat's
/// figures come from them), the alert detectors as configured, the one ticket-action
/// service, the clock and the gate.
struct APIServices: Sendable {
    let store: any Store
    let settings: AnswerSettings
    let detectors: AlertDetectors
    let tickets: TicketActionService
    let now: @Sendable () -> Date
    let authenticator: APIAuthenticator
}

/// The HTTP API under `/api` (docs/openapi.json): tickets (PRD-122), reports (PRD-156),
/// support (PRD-087) and the Zendesk integration's reads (PRD-184), each behind the
/// `APIAuthenticator`, and the OpenAPI document itself. The signed webhook routes
/// (`/api/webhooks/support/ticket`, `/api/integrations/zendesk/webhook`) are `WebhookRoutes`'.
public struct APIRoutes: Sendable {
    /// Other routes (the Zendesk connect flow, the dashboard) go behind this gate too.
    public let authenticator: APIAuthenticator
    let services: APIServices

    init(configuration: AppConfiguration, dependencies: AppDependencies, tickets: TicketActionService, logger: Logger) {
        authenticator = APIAuthenticator(store: dependencies.store, ratePerMinute: configuration.apiRatePerMinute, now: dependencies.now, logger: logger)
        services = APIServices(store: dependencies.store, settings: configuration.answers,
                               detectors: AlertDetectors(settings: configuration.alerts.detectors, sla: configuration.answers.policy),
                               tickets: tickets, now: dependencies.now, authenticator: authenticator)
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        TicketsController(services: services).register(on: router)
        ReportsController(services: services).register(on: router)
        SupportController(services: services).register(on: router)
        ZendeskController(services: services).register(on: router)
        router.get("/api/openapi.json") { _, _ in OpenAPIDocument.response() }
        router.add(middleware: APIMethodNotAllowed<Context>(document: OpenAPIDocument.data))
    }
}
