import Foundation
import TicketPulseCore
import TicketPulseStorage

extension AnswerEngine {
    /// The questions asked most, answered once for `asker` before `serve` takes requests,
    /// with nothing recorded (no audit row, no learning-loop entry) and the replies thrown
    /// away by the caller after rendering. A process that had just started took about
    /// 170 ms for its first answer (the model trained, regexes compiled, statements
    /// prepared, generic code instantiated on first use); after this its first answer
    /// costs what its hundredth does.
    public func warmUp(asker: CSM, customer: Customer?, now: Date) async -> [Reply] {
        let name = customer?.name ?? "my accounts"
        let questions = [
            "show support tickets for \(name)", "show me support metrics for \(name)",
            "what's the CSAT trend for \(name)", "which customers have low CSAT?", "portfolio summary",
        ]
        return await questions.asyncCompactMap { question in
            let parsed = parser.parse(question, now: now)
            return try? await handlerResult(parsed: parsed, text: question, asker: asker, now: now, confirmed: false).reply
        }
    }
}
