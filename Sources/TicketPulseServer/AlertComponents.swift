import Foundation
import Logging
import ServiceLifecycle
import TicketPulseAnswers
import TicketPulseStorage
import TicketPulseWorkflows
import TicketPulseTemplates

/// The watch-and-tell loop, assembled: detectors and router (the pipeline), the outbox
/// delivery worker over Slack, digests, the schedule, and the CSM actions behind the
/// alerts' buttons.
struct AlertComponents: Sendable {
    let pipeline: AlertPipeline
    let delivery: OutboxDelivery
    let schedule: AlertService
    let actions: AlertActions
    /// Outreach emails sent from the draft modals, through this outbox.
    let outreach: OutreachSender
    let store: any Store
    let logger: Logger
    let enabled: Bool
    /// Without a bot token nothing can be posted: alerts are detected and stored, and wait.
    let canSend: Bool

    init(configuration: AppConfiguration, dependencies: AppDependencies, logger: Logger) {
        let templates = PromptTemplates.locate()
        let messages = AlertMessages(templates: templates, dashboardURL: configuration.web.publicURL)
        let router = AlertRouter(rules: configuration.alerts, messages: messages)
        let email = EmailComponents(configuration: configuration, dependencies: dependencies, templates: templates, logger: logger)
        let delivery = OutboxDelivery(store: dependencies.store, messenger: SlackAlertMessenger(store: dependencies.store, slack: dependencies.slack),
                                      emailMessenger: email?.messenger, now: dependencies.now, logger: logger)
        self.delivery = delivery
        pipeline = AlertPipeline(store: dependencies.store, router: router, sla: configuration.answers.policy, now: dependencies.now,
                                 logger: logger, onQueued: { delivery.wake() })
        schedule = AlertService(pipeline: pipeline, digests: DigestScheduler(store: dependencies.store, messages: messages, email: email?.digest), delivery: delivery,
                                interval: configuration.alertInterval, now: dependencies.now, logger: logger)
        actions = AlertActions(store: dependencies.store, messages: messages, rules: configuration.alerts, now: dependencies.now, onQueued: { delivery.wake() })
        outreach = OutreachSender(store: dependencies.store, email: email, now: dependencies.now, onQueued: { delivery.wake() })
        store = dependencies.store
        self.logger = logger
        enabled = configuration.alertsEnabled
        canSend = configuration.slack.botToken != nil
        if enabled, !canSend { logger.warning("SLACK_BOT_TOKEN is not set: alerts are detected and stored, but not sent") }
    }

    var services: [any Service] {
        guard enabled else { return [] }
        return canSend ? [delivery, schedule] : [schedule]
    }

    /// A webhook stored a change: run the detectors for its customer now.
    func ticketChanged(_ result: UpsertResult) async {
        guard enabled else { return }
        do {
            guard let customer = try await store.customerID(ticketID: result.ticketID) else { return }
            try await pipeline.evaluate(customerIDs: [customer])
        } catch {
            logger.error("alert pass after a webhook failed", metadata: ["error": "\(error)"])
        }
    }
}
