import Foundation
import TicketPulseCore

/// Understands one message: finds the slots, then classifies what is left with the slots
/// replaced by placeholders, so "show tickets for Acme" and "show tickets for Globex" look
/// the same to the classifier. Below `threshold` the answer is `out_of_scope`, never a guess.
public struct IntentParser: Sendable {
    let model: IntentModel
    let customers: CustomerDirectory
    public var threshold: Double = 0.30

    var catalogue: IntentCatalogue { model.catalogue }

    public init(catalogue: IntentCatalogue, customers: CustomerDirectory) {
        self.init(model: IntentModel(catalogue: catalogue), customers: customers)
    }

    /// A parser over an already trained model: swapping the customers (a roster import)
    /// costs nothing, training is done once per catalogue.
    public init(model: IntentModel, customers: CustomerDirectory) {
        self.model = model
        self.customers = customers
    }

    public func parse(_ message: String, now: Date) -> ParsedMessage {
        let normalized = MessageNormalizer.normalize(message)
        let extraction = Self.extract(normalized, now: now, customers: customers, vocabulary: model.vocabulary)
        var slots = extraction.slots
        let text = model.speller.correct(extraction.text)
        let ranked = model.classifier.classify(text)
        guard let best = ranked.first, best.confidence >= threshold, best.intent != .outOfScope else {
            return ParsedMessage(intent: .outOfScope, confidence: ranked.first.map { $0.intent == .outOfScope ? $0.confidence : 1 - $0.confidence } ?? 1,
                                 slots: IntentSlots(), alternatives: Array(ranked.filter { $0.intent != .outOfScope }.prefix(2)))
        }
        let allowed = catalogue.slots(of: best.intent)
        if slots.customer == nil, !allowed.contains(.target) { slots.customer = extraction.channelCustomer }
        if [.addNote, .requestEscalation, .draftOutreach].contains(best.intent) {
            slots.text = SlotExtractors.freeText(for: best.intent, original: normalized.original)
        }
        return ParsedMessage(intent: best.intent, confidence: best.confidence, slots: slots.restricted(to: allowed),
                             alternatives: Array(ranked.dropFirst().filter { $0.confidence >= 0.05 }.prefix(2)))
    }
}
