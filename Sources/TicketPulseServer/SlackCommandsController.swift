import Foundation
import Hummingbird
import TicketPulseAnswers
import TicketPulseSlack

/// `POST /slack/commands`: `/pulse <question>` is acknowledged at once with an ephemeral
/// "looking…"; the answer follows through the command's response_url.
struct SlackCommandsController: Sendable {
    let reader: SlackRequestReader
    let worker: SlackWorker
    let metrics: ServerMetrics

    func handle(_ request: Request) async throws -> Response {
        let command: SlackSlashCommand
        switch await reader.read(request, as: SlackSlashCommand.self) {
        case .refused(let response): return response
        case .payload(let decoded): command = decoded
        }
        metrics.slashCommands.increment()
        let question = command.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if question.isEmpty {
            return JSONResponse.ok(["response_type": "ephemeral", "text": "Ask me about your customers' support tickets, e.g. `/pulse show support tickets for Acme`, or `/pulse help`."])
        }
        guard worker.enqueue(.slashCommand(command)) else {
            metrics.queueFull.increment()
            return JSONResponse.ok(["response_type": "ephemeral", "text": "I'm very busy right now; please try again in a minute."])
        }
        return JSONResponse.ok(["response_type": "ephemeral", "text": "Looking into “\(question)”…"])
    }
}
