import Foundation

/// What training on the catalogue produces: the classifier, the catalogue's vocabulary and
/// the spelling corrector. It depends on the catalogue alone, not on the customers, so one
/// model serves every roster and is trained once per process and catalogue.
public struct IntentModel: Sendable {
    /// "{customer}" in a template; built once, not once per utterance.
    nonisolated(unsafe) static let placeholder = (#/\{([a-z_]+)\}/#).quick

    let catalogue: IntentCatalogue
    let classifier: TextClassifier
    /// Words the catalogue's questions use: never read as a misspelt customer name.
    let vocabulary: Set<String>
    let speller: SpellingCorrector
    /// The slots of each intent, as `catalogue.slots(of:)` gives them: looked up for every
    /// reading of every message, where the catalogue searches its intents and builds a set.
    private let slotsByIntent: [IntentName: Set<SlotName>]

    public init(catalogue: IntentCatalogue) {
        self.catalogue = catalogue
        let templates = catalogue.intents.flatMap { intent in
            intent.utterances.map { utterance in
                (MessageNormalizer.normalize(Self.maskingPlaceholders(IntentDefinition.template(utterance))), intent.name)
            }
        }
        var vocabulary = Set<String>()
        for (normalized, _) in templates { vocabulary.formUnion(normalized.text.split(separator: " ").map(String.init)) }
        // The examples go through the same extraction as a message, so that a time, status
        // or priority word the catalogue left unmarked looks to the classifier as it will at
        // run time. Customers are marked in the catalogue, so none are needed here.
        let reference = Date(timeIntervalSince1970: 1_800_000_000)
        let noCustomers = CustomerDirectory(customers: [])
        let examples = templates.map { normalized, name in
            (Self.classifierText(IntentParser.extract(normalized, now: reference, customers: noCustomers, vocabulary: vocabulary, textOnly: true).text), name)
        }
        classifier = TextClassifier(examples: examples)
        self.vocabulary = vocabulary
        speller = SpellingCorrector(words: examples.flatMap { $0.0.split(separator: " ").map(String.init) })
        // The first definition of a name wins, as `slots(of:)` finds it.
        slotsByIntent = Dictionary(catalogue.intents.map { ($0.name, catalogue.slots(of: $0.name)) }, uniquingKeysWith: { first, _ in first })
    }

    /// `catalogue.slots(of: intent)`.
    func slots(of intent: IntentName) -> Set<SlotName> {
        slotsByIntent[intent] ?? []
    }

    /// What the classifier reads of an extracted text: without greetings and pleasantries
    /// (see `CompoundSlots.removingPleasantries`), the same in training and at run time.
    static func classifierText(_ text: String) -> String {
        CompoundSlots.removingPleasantries(text)
    }

    /// "{customer}" → " qqcustomer ", as the extraction masks a slot in a message.
    static func maskingPlaceholders(_ template: String) -> String {
        ASCIIText.replacingMarks(in: template, open: UInt8(ascii: "{")) { name, _ in " qq\(name) " }
            ?? template.replacing(placeholder) { " qq\($0.1) " }
    }
}
