import Foundation
import Hummingbird
import TicketPulseAnswers
import TicketPulseSlack

/// `POST /slack/commands` (and Socket Mode's `slash_commands` envelopes, through `accept`):
/// `/pulse <question>` is acknowledged at once with an ephemeral "looking…"; the answer
/// follows through the command's response_url.
struct SlackCommandsController: Sendable {
    let reader: SlackRequestReader
    let ledger: SlackEventLedger
    let worker: SlackWorker
    let metrics: ServerMetrics

    func handle(_ request: Request) async throws -> Response {
        switch await reader.read(request, as: SlackSlashCommand.self) {
        case .refused(let response): return response
        case .payload(let command): return await accept(command, deliveryID: nil).response
        }
    }

    /// A command from either transport to its immediate reply. `deliveryID` is an id the
    /// transport repeats when it delivers the same command again (Socket Mode's
    /// envelope_id, after a reconnect); a repeat gets the same reply and no second answer.
    /// Over HTTP it is nil: Slack sends a command once and never retries it.
    func accept(_ command: SlackSlashCommand, deliveryID: String?) async -> SlackAck {
        metrics.slashCommands.increment()
        let question = command.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if question.isEmpty {
            return .reply(["response_type": "ephemeral", "text": "Ask me about your customers' support tickets, e.g. `/pulse show support tickets for Acme`, or `/pulse help`."])
        }
        let reply = SlackAck.reply(["response_type": "ephemeral", "text": "Looking into “\(Self.echo(question))”…"])
        let id = "command:" + (deliveryID ?? UUID().uuidString)
        // The journal's ids are in the ledger after a restart too, so a command delivered
        // again then is recognised as well.
        if deliveryID != nil, !ledger.reserve(id) {
            metrics.duplicateEvents.increment()
            return reply
        }
        // The journal is what answers it after a crash.
        switch await worker.accept(.slashCommand(command), id: id) {
        case .accepted:
            if deliveryID != nil { ledger.journaled(id) }
            return reply
        case .duplicate:
            metrics.duplicateEvents.increment()
            return reply
        case .refused:
            if deliveryID != nil { ledger.release(id) }
            metrics.queueFull.increment()
            return Self.unavailableReply
        }
    }

    /// Slack never retries a command over HTTP: the person is told to ask again.
    static let unavailableReply = SlackAck.reply(["response_type": "ephemeral", "text": "I'm very busy right now; please try again in a minute."])

    /// The longest question echoed back: the reply only says what is being looked up, and
    /// Slack cuts text at 40,000 characters.
    static let echoLimit = 200

    static func echo(_ question: String) -> String {
        question.count <= echoLimit ? question : question.prefix(echoLimit - 1) + "…"
    }
}
