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

        /// Every customer the message names: matched, offered as a candidate, one of
        /// several, or by a channel.
        var namedCustomerIDs: Set<String> {
            var ids = Set<String>()
            for slot in [slots.customer, channelCustomer].compactMap({ $0 }) {
                if let match = slot.match { ids.insert(match.id) }
                ids.formUnion(slot.candidates.map(\.id))
            }
            ids.formUnion((slots.customers ?? []).map(\.id))
            return ids
        }
    }

    /// With `textOnly`, only the text is wanted (training reads the catalogue's examples so):
    /// the slots that leave the text as it is, the feed and "me", are not looked for.
    static func extract(_ normalized: NormalizedMessage, now: Date, customers: CustomerDirectory, vocabulary: Set<String>, textOnly: Bool = false) -> Extraction {
        var text = normalized.text
        var slots = IntentSlots()
        func mask(_ spans: [String], as slot: SlotName) {
            for span in spans where !span.isEmpty {
                if let range = ASCIIText.range(of: span, in: text) ?? text.range(of: span) { text.replaceSubrange(range, with: " qq\(slot.rawValue) ") }
            }
            text = ASCIIText.words(text).joined(separator: " ")
        }

        // A customer whose name has a number in it ("Bench Customer 100", "Studio 54",
        // "3M", "7-Eleven") is looked for before the ticket and period rules, which would
        // otherwise take its number for a ticket id or a time.
        var digitCustomer: CustomerSlot?
        if !textOnly, customers.hasNamesWithDigits, text.utf8.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
           let slot = CustomerSlot(customers.find(in: text, excluding: vocabulary)),
           let matched = slot.match?.matchedText ?? slot.candidates.first?.matchedText, matched.contains(where: \.isNumber) {
            digitCustomer = slot
            mask([matched], as: .customer)
        }
        if let link = CompoundSlots.ticketInLink(original: normalized.original) {
            slots.ticket = link.value
            // The link as it reads in the lower-cased text: the whole of it is the ticket.
            let lowered = MessageNormalizer.normalize(link.spans[0]).text
            mask([lowered], as: .ticket)
        } else if let ticket = SlotExtractors.ticket(in: text, original: normalized.original) {
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
        if let csm = CompoundSlots.csm(in: text, people: customers.people) {
            slots.csm = csm.value
            mask(csm.spans, as: .csm)
        }
        // Before the period: "renewing this quarter" is when they renew, not the question's period.
        if let renewal = CompoundSlots.renewal(in: text, now: now) {
            slots.renewal = renewal.value
            mask(renewal.spans, as: .renewal)
        }
        if let period = TimeExpressionParser.find(in: text, now: now) {
            slots.period = period
            mask([period.text], as: .period)
        }
        // Before the threshold: "health below 70" and "under $50k" are no CSAT thresholds.
        if let health = CompoundSlots.health(in: text) {
            slots.health = health.value
            mask(health.spans, as: .health)
        }
        if let arr = CompoundSlots.arr(in: text) {
            slots.arr = arr.value
            mask(arr.spans, as: .arr)
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
        if let tier = CompoundSlots.tier(in: text, tiers: customers.tierPhrases) {
            slots.tier = tier.value
            mask(tier.spans, as: .tier)
        }
        var found: [CustomerSlot] = digitCustomer.map { [$0] } ?? []
        /// Equally good names at different places in the message are several customers
        /// ("acme and globex"), not candidates for one: split them by the words that said each.
        func separated(_ slot: CustomerSlot) -> [CustomerSlot] {
            guard slot.match == nil, slot.candidates.count > 1 else { return [slot] }
            var spans: [String] = []
            for candidate in slot.candidates where !spans.contains(candidate.matchedText) { spans.append(candidate.matchedText) }
            guard spans.count > 1 else { return [slot] }
            spans.sort { (text.range(of: $0)?.lowerBound ?? text.endIndex) < (text.range(of: $1)?.lowerBound ?? text.endIndex) }
            return spans.map { span in
                let candidates = slot.candidates.filter { $0.matchedText == span }
                return candidates.count == 1 ? CustomerSlot(match: candidates[0]) : CustomerSlot(match: nil, candidates: candidates)
            }
        }
        if found.isEmpty, let customer = CustomerSlot(customers.find(in: text, excluding: vocabulary)) {
            for slot in separated(customer) {
                found.append(slot)
                mask([slot.match?.matchedText ?? slot.candidates[0].matchedText], as: .customer)
            }
        }
        // "Acme and Globex", "Acme, Initech and Hooli", "Acme vs Globex": more customers after
        // the first, each masked like the first, while the message still joins names.
        while !found.isEmpty, found.count < 6, ExtractionPattern.joinsNames.mayMatch(text),
              let next = CustomerSlot(customers.find(in: text, excluding: vocabulary)) {
            for slot in separated(next) {
                found.append(slot)
                mask([slot.match?.matchedText ?? slot.candidates[0].matchedText], as: .customer)
            }
        }
        if let first = found.first { slots.customer = first }
        let named = found.compactMap(\.match)
        if found.count > 1 {
            var unique: [CustomerMatch] = []
            for match in named where !unique.contains(where: { $0.id == match.id }) { unique.append(match) }
            slots.customers = unique
        } else if let only = named.first {
            slots.customers = [only]
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
    /// What joins several customer names in one message.
    static let joinsNames = Trigger(" and ", ",", " vs", " versus ", " or ", " against ", " with ", "&", " to ")
}
