import Foundation
import TicketPulseCore

/// Understands one message: finds the slots, then classifies what is left with the slots
/// replaced by placeholders, so "show tickets for Acme" and "show tickets for Globex" look
/// the same to the classifier. Below `threshold` the answer is `out_of_scope`, never a guess.
public struct IntentParser: Sendable {
    let catalogue: IntentCatalogue
    let customers: CustomerDirectory
    let classifier: TextClassifier
    /// Words the catalogue's questions use: never read as a misspelt customer name.
    let vocabulary: Set<String>
    let speller: SpellingCorrector
    public var threshold: Double = 0.30

    public init(catalogue: IntentCatalogue, customers: CustomerDirectory) {
        self.catalogue = catalogue
        self.customers = customers
        let templates = catalogue.intents.flatMap { intent in
            intent.utterances.map { utterance in
                (MessageNormalizer.normalize(IntentDefinition.template(utterance).replacing(#/\{([a-z_]+)\}/#) { " qq\($0.1) " }), intent.name)
            }
        }
        var vocabulary = Set<String>()
        for (normalized, _) in templates { vocabulary.formUnion(normalized.text.split(separator: " ").map(String.init)) }
        // The examples go through the same extraction as a message, so that a customer or a
        // status word the catalogue left unmarked looks to the classifier as it will at run time.
        let reference = Date(timeIntervalSince1970: 1_800_000_000)
        let examples = templates.map { normalized, name in
            (Self.extract(normalized, now: reference, customers: customers, vocabulary: vocabulary).text, name)
        }
        classifier = TextClassifier(examples: examples)
        self.vocabulary = vocabulary
        speller = SpellingCorrector(words: examples.flatMap { $0.0.split(separator: " ").map(String.init) })
    }

    public func parse(_ message: String, now: Date) -> ParsedMessage {
        let normalized = MessageNormalizer.normalize(message)
        let extraction = Self.extract(normalized, now: now, customers: customers, vocabulary: vocabulary)
        var slots = extraction.slots
        let text = speller.correct(extraction.text)
        let ranked = classifier.classify(text)
        guard let best = ranked.first, best.confidence >= threshold, best.intent != .outOfScope else {
            return ParsedMessage(intent: .outOfScope, confidence: ranked.first.map { $0.intent == .outOfScope ? $0.confidence : 1 - $0.confidence } ?? 1,
                                 slots: IntentSlots(), alternatives: Array(ranked.filter { $0.intent != .outOfScope }.prefix(2)))
        }
        let allowed = catalogue.slots(of: best.intent)
        if [.addNote, .requestEscalation, .draftOutreach].contains(best.intent) {
            slots.text = SlotExtractors.freeText(for: best.intent, original: normalized.original)
        }
        return ParsedMessage(intent: best.intent, confidence: best.confidence, slots: slots.restricted(to: allowed),
                             alternatives: Array(ranked.dropFirst().filter { $0.confidence >= 0.05 }.prefix(2)))
    }
}
