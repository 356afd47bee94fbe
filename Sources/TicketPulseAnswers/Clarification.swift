import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

/// The replies that ask before answering: which reading was meant, which customer, and
/// whether to go ahead with a write.
enum Clarification {
    /// "Did you mean: Tickets for Acme Corp · Support metrics for Acme Corp?", a button per
    /// reading. The buttons carry the readings themselves, so a click answers one without
    /// reading the sentence again; the question rides along for the learning loop.
    static func reply(_ readings: [ParsedMessage], question: String) -> HandlerResult {
        let labels = readings.map { label(of: $0) }
        let buttons = zip(readings, labels).compactMap { reading, label in
            AnswerButton.reading.action(label, AnswerRequest(reading, question: question))
        }
        let text = "I'm not sure what you meant. Did you mean: " + labels.map { "*\($0)*" }.joined(separator: " · ") + "?"
        var blocks: [ReplyBlock] = [.section(text)]
        if !buttons.isEmpty { blocks.append(.actions(buttons)) }
        blocks.append(.context("Or ask again in other words; \"help\" lists what I can do."))
        return HandlerResult(Reply(blocks: blocks, fallbackText: text.replacingOccurrences(of: "*", with: "")))
    }

    /// "Which customer did you mean?", a button per candidate in the asker's scope, each the
    /// same question about that customer.
    static func whichCustomer(_ customers: [Customer], context: AnswerContext) -> HandlerResult {
        let names = customers.map { "*\($0.name)*" }
        let list = names.dropLast().joined(separator: ", ") + " or " + names.last!
        let text = "Which customer did you mean: \(list)?"
        let buttons = customers.prefix(5).compactMap { customer -> ReplyAction? in
            var reading = context.parsed
            reading.slots.customer = CustomerSlot(match: CustomerMatch(id: customer.id, name: customer.name, score: 1, rule: "chosen"))
            return AnswerButton.reading.action(customer.name, AnswerRequest(reading))
        }
        var blocks: [ReplyBlock] = [.section(text)]
        if !buttons.isEmpty { blocks.append(.actions(buttons)) } else { blocks.append(.context("Ask again with the full name.")) }
        return HandlerResult(Reply(blocks: blocks, fallbackText: text.replacingOccurrences(of: "*", with: "") + " Ask again with the full name."))
    }

    /// What would happen, with [Confirm] [Cancel]; nothing is written until the click.
    static func confirm(_ description: String, request: AnswerRequest, shown: [String]) -> HandlerResult {
        var blocks: [ReplyBlock] = [.section("*Please confirm:* " + description)]
        if let confirm = AnswerButton.confirm.action("Confirm", request, style: .primary),
           let cancel = AnswerButton.cancel.action("Cancel", request) {
            blocks.append(.actions([confirm, cancel]))
            blocks.append(.context("Nothing is written until you confirm; only you can confirm or cancel."))
        } else {
            blocks.append(.context("This is too long to confirm with a button (Slack carries at most 2,000 characters): shorten it, or use the buttons on the ticket."))
        }
        var result = HandlerResult(Reply(blocks: blocks, fallbackText: "Please confirm: " + description.replacingOccurrences(of: "*", with: "")), shown: shown)
        result.pendingConfirmation = request
        return result
    }

    /// How a reading reads on its button: what it would answer, for whom.
    static func label(of reading: ParsedMessage) -> String {
        let slots = reading.slots
        let customer = slots.customer?.match?.name
        let ticket = slots.ticket.map { "#\($0)" }
        let what: String = switch reading.intent {
        case .listTickets: "Tickets"
        case .ticketDetail: ticket.map { "Ticket \($0)" } ?? "A ticket's details"
        case .supportMetrics: "Support metrics"
        case .supportHealth: "Support health"
        case .escalatedTickets: "Escalated tickets"
        case .lowCSATCustomers: "Customers with low CSAT"
        case .csatTrend: "CSAT trend"
        case .topIssues: "Top issues"
        case .ticketSpikes: "Ticket spikes"
        case .slaBreaches: "SLA breaches"
        case .portfolioSummary: "Your portfolio summary"
        case .subscribe: "Subscribe to " + (slots.feed?.label ?? "alerts")
        case .unsubscribe: "Unsubscribe from " + (slots.feed?.label ?? "alerts")
        case .listSubscriptions: "Your subscriptions"
        case .notificationSettings: "Notification settings"
        case .addNote: "Add a note" + (ticket.map { " to \($0)" } ?? "")
        case .requestEscalation: "Escalate" + (ticket.map { " \($0)" } ?? " a ticket")
        case .draftOutreach: "Draft an email"
        case .supportCorrelation: "Support vs. health and churn"
        case .help: "What I can do"
        case .compareCustomers: "Compare customers"
        case .outOfScope: "Something else"
        }
        var label = what
        if let customer, reading.intent != .ticketDetail { label += (reading.intent == .draftOutreach ? " to " : " for ") + customer }
        if let period = slots.period?.text, reading.intent != .ticketDetail { label += ", " + period }
        return label
    }
}

/// A question as `intents/*.yaml` writes an utterance, its slots marked
/// (`show tickets for [customer](Acme) [period](this month)`), for `nlu review --export`.
enum UtteranceMarking {
    static func mark(_ question: String, slots: IntentSlots) -> String {
        // Mentions and links are Slack's markup, not the asker's words.
        var text = question.replacing(#/<@[A-Z0-9]+>/#, with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        var spans: [(slot: SlotName, words: String)] = []
        if let customer = slots.customer?.match?.matchedText ?? slots.customer?.candidates.first?.matchedText { spans.append((.customer, customer)) }
        if let text = slots.text { spans.append((.text, text)) }
        if let ticket = slots.ticket { spans.append((.ticket, ticket)) }
        if let period = slots.period?.text { spans.append((.period, period)) }
        // Every span is found in the text as asked, then the text is rebuilt once: ranges
        // stay valid because nothing is replaced while searching.
        var found: [(slot: SlotName, range: Range<String.Index>)] = []
        for (slot, words) in spans where !words.isEmpty && !words.contains(")") && !words.contains("]") {
            guard let range = text.range(of: words, options: [.caseInsensitive, .diacriticInsensitive]),
                  !found.contains(where: { $0.range.overlaps(range) }) else { continue }
            found.append((slot, range))
        }
        var result = ""
        var position = text.startIndex
        for (slot, range) in found.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            result += text[position..<range.lowerBound] + "[\(slot.rawValue)](\(text[range]))"
            position = range.upperBound
        }
        text = result + text[position...]
        return text
    }
}
