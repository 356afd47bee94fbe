import Foundation
import Logging
import TicketPulseSlack

/// Turns a Socket Mode envelope into its acknowledgement through the same controllers the
/// HTTP request URLs use (`accept`): the same de-duplication, journal and queue, and the
/// same immediate reply. There is no signature to check: the connection was opened with
/// the app-level token, which is the authentication.
struct SocketModeEnvelopeHandler: Sendable {
    let events: SlackEventsController
    let commands: SlackCommandsController
    let interactions: SlackInteractionsController
    let metrics: ServerMetrics
    let logger: Logger

    /// The acknowledgement frame, or nil to leave the envelope unacknowledged: the queue is
    /// full, and Slack's redelivery is the retry.
    func acknowledge(_ envelope: SocketModeEnvelope) async -> String? {
        let ack: SlackAck
        switch envelope.content {
        case .event(let body):
            ack = await events.accept(body)
        case .command(let command):
            ack = await commands.accept(command, deliveryID: envelope.id)
        case .interaction(let interaction):
            do {
                ack = try await interactions.accept(interaction, deliveryID: envelope.id)
            } catch {
                // Over HTTP this would be a 500, which Slack shows the clicker as an error;
                // acknowledged here, since a redelivery would fail the same way.
                metrics.answerFailures.increment()
                logger.error("Socket Mode: interaction failed", metadata: ["envelope_id": "\(envelope.id)", "error": "\(error)"])
                ack = .accepted
            }
        case .unknown:
            logger.notice("Socket Mode: envelope of an unknown type acknowledged and ignored", metadata: ["type": "\(envelope.type)", "envelope_id": "\(envelope.id)"])
            ack = .accepted
        case .unreadable(let error):
            // Acknowledged, or Slack would send the same unreadable payload again and again.
            metrics.badRequests.increment()
            logger.error("Socket Mode: unreadable payload acknowledged and ignored",
                         metadata: ["type": "\(envelope.type)", "envelope_id": "\(envelope.id)", "error": "\(error.message)"])
            ack = .accepted
        }
        switch ack {
        case .accepted:
            return envelope.acknowledgement(payload: nil)
        case .reply(let json):
            return envelope.acknowledgement(payload: json)
        case .retryLater(let code, let message):
            logger.warning("Socket Mode: envelope left unacknowledged for Slack to deliver again", metadata: ["envelope_id": "\(envelope.id)", "reason": "\(code): \(message)"])
            return nil
        }
    }
}

extension SocketModeEnvelopeHandler {
    /// The Socket Mode service when `slack.socket_mode` is on (nil otherwise), over the
    /// controllers the HTTP routes use.
    static func service(configuration: AppConfiguration, dependencies: AppDependencies, events: SlackEventsController,
                        commands: SlackCommandsController, interactions: SlackInteractionsController,
                        metrics: ServerMetrics, logger: Logger) -> SocketModeService? {
        let slack = configuration.slack
        guard slack.socketMode else { return nil }
        let socket = dependencies.socketMode ?? .slack(appToken: slack.appToken ?? "", baseURL: slack.apiURL, logger: logger)
        let handler = SocketModeEnvelopeHandler(events: events, commands: commands, interactions: interactions, metrics: metrics, logger: logger)
        return SocketModeService(dependencies: socket, tokenVariable: slack.appTokenVariable, logger: logger, acknowledge: handler.acknowledge)
    }
}
