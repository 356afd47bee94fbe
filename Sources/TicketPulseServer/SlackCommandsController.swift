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
        // Slack sends a command once and never retries it: the journal is what answers it
        // after a crash.
        guard worker.accept(.slashCommand(command), id: "command:" + UUID().uuidString) else {
            metrics.queueFull.increment()
            return JSONResponse.ok(["response_type": "ephemeral", "text": "I'm very busy right now; please try again in a minute."])
        }
        return JSONResponse.ok(["response_type": "ephemeral", "text": "Looking into “\(Self.echo(question))”…"])
    }

    /// The longest question echoed back: the reply only says what is being looked up, and
    /// Slack cuts text at 40,000 characters.
    static let echoLimit = 200

    static func echo(_ question: String) -> String {
        question.count <= echoLimit ? question : question.prefix(echoLimit - 1) + "…"
    }
}
