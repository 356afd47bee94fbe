import TicketPulseCore

/// Replies several handlers share: refusals, clarifying questions.
enum CommonReplies {
    static func refused() -> HandlerResult {
        let text = "I can't share anything about that account: it isn't one of yours, or I don't know it. If you should see it, ask your manager or an admin to assign it to you in the roster."
        var result = HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
        result.refusal = "out_of_scope"
        return result
    }

    static func ambiguous(_ customers: [Customer]) -> HandlerResult {
        let names = customers.map { "*\($0.name)*" }
        let list = names.dropLast().joined(separator: ", ") + " or " + names.last!
        let text = "Which customer did you mean: \(list)? Ask again with the full name."
        return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text.replacingOccurrences(of: "*", with: "")))
    }

    static func unknownCustomer(_ name: String) -> HandlerResult {
        let text = "I don't know a customer called \(name). Check the spelling, or ask an admin to add it to the roster (`ticketpulse import customers`)."
        return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text.replacingOccurrences(of: "`", with: "")))
    }

    static func noneMatch(_ subject: String) -> HandlerResult {
        let text = "None of your accounts match that: I looked for \(subject)."
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
