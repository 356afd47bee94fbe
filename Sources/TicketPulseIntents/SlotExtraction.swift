import Foundation
import TicketPulseCore

extension IntentParser {
    /// The slots a message states, and its text with each slot's words replaced by a
    /// placeholder (`qqcustomer`, `qqperiod`…) for the classifier.
    struct Extraction {
        var text: String
        var slots: IntentSlots
    }

    static func extract(_ normalized: NormalizedMessage, now: Date, customers: CustomerDirectory, vocabulary: Set<String>) -> Extraction {
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
            mask(ticket.spans.compactMap { $0.firstMatch(of: #/[a-z]{2,6}-\d{2,4}-\d{2,}|#?\d{3,}/#).map { String($0.0) } }, as: .ticket)
        }
        if let target = SlotExtractors.target(in: text, channels: normalized.channels) {
            slots.target = target.value
            if case .me = target.value {} else { mask(target.spans, as: .target) }
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
        if let feed = SlotExtractors.feed(in: text) { slots.feed = feed.value }
        if let status = SlotExtractors.status(in: text) {
            slots.status = status.value
            mask(status.spans, as: .status)
        }
        if let category = SlotExtractors.category(in: text) {
            slots.category = category.value
            mask(category.spans, as: .category)
        }
        switch customers.find(in: text, excluding: vocabulary) {
        case .match(let match):
            slots.customer = CustomerSlot(match: match)
            mask([match.matchedText], as: .customer)
        case .ambiguous(let candidates):
            slots.customer = CustomerSlot(match: nil, candidates: candidates)
            mask([candidates[0].matchedText], as: .customer)
        case .none:
            break
        }
        return Extraction(text: text, slots: slots)
    }
}
