import TicketPulseCore

/// Replies several handlers share: refusals, clarifying questions.
enum CommonReplies {
    static func refused() -> HandlerResult {
        let text = "I can't share anything about that account: it isn't one of yours, or I don't know it. If you should see it, ask your manager or an admin to assign it to you in the roster."
        return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
    }

    static func needsCustomer(_ example: String) -> HandlerResult {
        let text = "Which customer? Try \"\(example)\"."
        return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
    }

    static func needs(_ what: String, example: String) -> HandlerResult {
        let text = "I need \(what). Try \"\(example)\"."
        return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
    }

    static func ticketNotFound(_ id: String) -> HandlerResult {
        let text = "I couldn't find ticket #\(id) in your accounts."
        return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
    }
}
