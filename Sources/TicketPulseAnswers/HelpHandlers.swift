import TicketPulseCore

/// `help`: what the bot can do, with examples.
struct HelpHandler: IntentHandler {
    static let examples: [(String, String)] = [
        ("Tickets", "show support tickets for Acme · open P1s at Globex · show ticket 4521"),
        ("Metrics & health", "support metrics for Acme this quarter · what's the support health for Globex?"),
        ("CSAT", "which customers have low CSAT? · how is CSAT trending for Acme?"),
        ("Trouble", "any ticket spikes today? · which tickets are breaching SLA? · are there escalated tickets?"),
        ("Your book", "how are my accounts doing? · top support issues this month · does support correlate with churn?"),
        ("Alerts", "alert me on ticket escalations · subscribe #cs-escalations to escalation alerts · what am I subscribed to?"),
        ("Settings", "only DM me for P1 and P2 · send me a daily digest at 9am · mute alerts for Acme until Monday"),
        ("Actions", "add note to 4521: customer called back · escalate ticket 4521, renewal at risk · draft an email to Acme about the recent issues"),
    ]

    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let reply = Reply(
            header: "What I can do",
            blocks: [
                .section("I answer questions about your customers' support tickets, from Zendesk, Intercom, Salesforce and Freshdesk, and I alert you when something needs you. Ask in plain English:"),
                .fields(Self.examples.map { ReplyField($0.0, $0.1) }),
                .context("You see the accounts assigned to you; managers see their team's. Mention me, DM me, or use /pulse."),
            ],
            fallbackText: "I answer questions about your customers' support tickets. Try: " + Self.examples.prefix(3).map(\.1).joined(separator: " · ")
        )
        return HandlerResult(reply)
    }
}

/// `out_of_scope`: never a guess; say what the bot can do instead.
struct OutOfScopeHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let text = "Sorry, that's outside what I know. I answer questions about your customers' support tickets: try \"show support tickets for Acme\", \"which customers have low CSAT?\" or \"help\"."
        // Nothing in scope was plausible, so say what is: the areas, each with an example.
        let areas = "I can help with: " + HelpHandler.examples.map { "*\($0.0)* (\($0.1.components(separatedBy: " · ")[0]))" }.joined(separator: ", ") + "."
        return HandlerResult(Reply(blocks: [.section(text), .context(areas)], fallbackText: text))
    }
}
