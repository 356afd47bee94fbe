import Foundation
import TicketPulseCore

extension IntentParser {
    /// The likeliest in-scope readings of a message, best first, each with the slots that
    /// intent takes, whatever the confidence: what a "Did you mean…?" offers when `parse`
    /// is not sure. `parse` keeps its contract (below `threshold` it answers
    /// `out_of_scope` with no slots); this is the view behind it, for the conversation
    /// layer to decide between answering, asking and refusing.
    ///
    /// The slot finishing mirrors `parse` (channel customer, free text for the write
    /// intents), so that a reading chosen by a click answers exactly as the same intent
    /// parsed with confidence would.
    public func readings(_ message: String, now: Date, limit: Int = 3) -> Readings {
        let normalized = MessageNormalizer.normalize(message)
        let extraction = Self.extract(normalized, now: now, customers: customers, vocabulary: model.vocabulary)
        let ranked = model.classifier.classify(model.speller.correct(extraction.text))
        let inScope = ranked.filter { $0.intent != .outOfScope }
        let readings = inScope.prefix(max(0, limit)).map { reading in
            var slots = extraction.slots
            let allowed = model.slots(of: reading.intent)
            if slots.customer == nil, !allowed.contains(.target) { slots.customer = extraction.channelCustomer }
            if [.addNote, .requestEscalation, .draftOutreach].contains(reading.intent) {
                slots.text = SlotExtractors.freeText(for: reading.intent, original: normalized.original)
            }
            return ParsedMessage(intent: reading.intent, confidence: reading.confidence, slots: slots.restricted(to: allowed), alternatives: [])
        }
        return Readings(inScope: readings, outOfScope: ranked.first { $0.intent == .outOfScope }?.confidence ?? (ranked.isEmpty ? 1 : 0))
    }

    /// The slots each intent of the catalogue takes: a button that names an intent and its
    /// slots directly is held to the same set as a parsed message.
    public func slotNames(of intent: IntentName) -> Set<SlotName> { model.slots(of: intent) }
}

/// What `readings` found: the in-scope readings, best first, and how likely the classifier
/// finds it that the message is about nothing the bot knows (1 when no word was known).
public struct Readings: Sendable, Equatable {
    public var inScope: [ParsedMessage]
    public var outOfScope: Double
}

extension IntentSlots {
    /// Keeps only the slots `allowed` names (a reading carried by a button).
    public func keeping(_ allowed: Set<SlotName>) -> IntentSlots { restricted(to: allowed) }
}
