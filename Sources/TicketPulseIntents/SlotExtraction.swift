import Foundation
import TicketPulseCore

extension IntentParser {
    /// The slots a message states, and its text with each slot's words replaced by a
    /// placeholder (`qqcustomer`, `qqperiod`…) for the classifier.
    struct Extraction {
        var text: String
        var slots: IntentSlots
        /// The customer a channel in the message is named after ("<#C1|acme-support>"): the
        /// customer of a question that names no other, unless the channel is the target.
        var channelCustomer: CustomerSlot?
    }

    /// With `textOnly`, only the text is wanted (training reads the catalogue's examples so):
    /// the slots that leave the text as it is, the feed and "me", are not looked for.
    static func extract(_ normalized: NormalizedMessage, now: Date, customers: CustomerDirectory, vocabulary: Set<String>, textOnly: Bool = false) -> Extraction {
        var text = normalized.text
        var slots = IntentSlots()
        func mask(_ spans: [String], as slot: SlotName) {
            for span in spans where !span.isEmpty {
                if let range = text.range(of: span) { text.replaceSubrange(range, with: " qq\(slot.rawValue) ") }
            }
            text = text.split(separator: " ").joined(separator: " ")
        }

        if let ticket = SlotExtractors.ticket(in: text, original: normalized.original) {
            slots.ticket = ticket.value
            // Only the id: "note on", "ticket" and "escalate" around it say what is wanted.
            mask(ticket.spans.compactMap { $0.firstMatch(of: ExtractionPattern.ticketID).map { String($0.0) } }, as: .ticket)
        }
        var channelCustomer: CustomerSlot?
        if let target = SlotExtractors.target(in: text, channels: normalized.channels, lookingForMe: !textOnly) {
            slots.target = target.value
            if case .me = target.value {} else {
                channelCustomer = target.value.channelName.flatMap { CustomerSlot(customers.resolve(channelName: $0)) }
                // A customer's channel reads as the customer to the classifier ("tickets in #acme-support").
                mask(target.spans, as: channelCustomer == nil ? .target : .customer)
            }
        }
        if let period = TimeExpressionParser.find(in: text, now: now) {
            slots.period = period
            mask([period.text], as: .period)
        }
        if let threshold = SlotExtractors.threshold(in: text) {
            slots.threshold = threshold.value
            mask(threshold.spans, as: .threshold)
        }
        if let priorities = SlotExtractors.priorities(in: text) {
            slots.priority = priorities.value
            mask(priorities.spans, as: .priority)
        }
        if !textOnly, let feed = SlotExtractors.feed(in: text) { slots.feed = feed.value }
        if let status = SlotExtractors.status(in: text) {
            slots.status = status.value
            mask(status.spans, as: .status)
        }
        if let category = SlotExtractors.category(in: text) {
            slots.category = category.value
            mask(category.spans, as: .category)
        }
        let resolution = customers.find(in: text, excluding: vocabulary)
        if let customer = CustomerSlot(resolution) {
            slots.customer = customer
            mask([customer.match?.matchedText ?? customer.candidates[0].matchedText], as: .customer)
        }
        return Extraction(text: text, slots: slots, channelCustomer: channelCustomer)
    }
}

extension CustomerSlot {
    /// The slot a resolution fills: one match, the candidates to ask about, or none.
    init?(_ resolution: CustomerResolution) {
        switch resolution {
        case .match(let match): self.init(match: match)
        case .ambiguous(let candidates): self.init(match: nil, candidates: candidates)
        case .none: return nil
        }
    }
}

/// Built once: a regex literal is parsed again each time it is evaluated.
private enum ExtractionPattern {
    nonisolated(unsafe) static let ticketID = (#/[a-z]{2,6}-\d{2,4}-\d{2,}|#?\d{3,}/#).quick
}
