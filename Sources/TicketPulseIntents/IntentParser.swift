import Foundation
import TicketPulseCore

/// Understands one message: finds the slots, then classifies what is left with the slots
/// replaced by placeholders, so "show tickets for Acme" and "show tickets for Globex" look
/// the same to the classifier.
///
/// Three outcomes: a confident reading is answered; a plausible one (at least `threshold`)
/// is answered too but marked `needsClarification` below `confidentThreshold`, with the
/// likeliest readings in `readings` for a "did you mean…?"; and `out_of_scope` only when the
/// out-of-scope class wins or nothing in scope reaches `threshold`. A write intent (a note,
/// an escalation request, a subscription change, a setting) is never chosen without the
/// words that ask for it: "close out #4533" or "cancel Initech's subscription" are not
/// notes or unsubscriptions, whatever the classifier's arithmetic says.
public struct IntentParser: Sendable {
    let model: IntentModel
    let customers: CustomerDirectory
    /// Below this no in-scope reading is plausible: `out_of_scope`.
    public var threshold: Double = 0.22
    /// Below this the reading is answered but `needsClarification` is set.
    public var confidentThreshold: Double = 0.5

    public init(catalogue: IntentCatalogue, customers: CustomerDirectory) {
        self.init(model: IntentModel(catalogue: catalogue), customers: customers)
    }

    /// A parser over an already trained model: swapping the customers (a roster import)
    /// costs nothing, training is done once per catalogue.
    public init(model: IntentModel, customers: CustomerDirectory) {
        self.model = model
        self.customers = customers
    }

    /// The same parser over only the customers `ids` names (an asker's scope): see
    /// `CustomerDirectory.restricted(to:)`. The model is shared, nothing is retrained.
    public func restricted(toCustomers ids: Set<String>) -> IntentParser {
        var parser = IntentParser(model: model, customers: customers.restricted(to: ids))
        parser.threshold = threshold
        parser.confidentThreshold = confidentThreshold
        return parser
    }

    public func parse(_ message: String, now: Date) -> ParsedMessage {
        let normalized = MessageNormalizer.normalize(message)
        return parse(normalized, Self.extract(normalized, now: now, customers: customers, vocabulary: model.vocabulary))
    }

    /// `restricted(toCustomers: ids).parse(message, now:)`, and the customers the message
    /// names outside `ids` (matched, offered as a candidate, one of several, or by a
    /// channel). A question that names none outside (nearly every one: people ask about
    /// their own accounts) is read from one extraction over the whole directory: the
    /// restricted directory holds every customer that extraction found, so it would find
    /// the same. Only a question that does name others is extracted again over `ids`,
    /// where those names read as unknown.
    public func parse(_ message: String, now: Date, within ids: Set<String>) -> (parsed: ParsedMessage, namedOutside: Set<String>) {
        let normalized = MessageNormalizer.normalize(message)
        let extraction = Self.extract(normalized, now: now, customers: customers, vocabulary: model.vocabulary)
        let outside = extraction.namedCustomerIDs.subtracting(ids)
        guard outside.isEmpty else { return (restricted(toCustomers: ids).parse(message, now: now), outside) }
        return (parse(normalized, extraction), [])
    }

    private func parse(_ normalized: NormalizedMessage, _ extraction: Extraction) -> ParsedMessage {
        var slots = extraction.slots
        let text = IntentModel.classifierText(model.speller.correct(extraction.text))
        var ranked = model.classifier.classify(text)
        // Write intents without their cue words drop out of the running (their probability
        // goes to out_of_scope, the reading that says what the bot can do instead).
        var dropped = 0.0
        ranked = ranked.filter { scored in
            guard WriteIntentCues.isWrite(scored.intent), !WriteIntentCues.asks(for: scored.intent, text: text, slots: slots) else { return true }
            dropped += scored.confidence
            return false
        }
        if dropped > 0, let index = ranked.firstIndex(where: { $0.intent == .outOfScope }) {
            ranked[index].confidence += dropped
            ranked.sort { $0.confidence > $1.confidence }
        }
        // "solve ticket 6610", "merge 4533 into 4534": an action on a ticket the bot does not
        // take is no question about the ticket. Said so (out_of_scope) rather than showing it.
        // The uncorrected words count too: the spelling corrector reads "solve" as "solved".
        if let first = ranked.first, first.intent == .ticketDetail,
           WriteIntentCues.asksForTicketAction(text) || WriteIntentCues.asksForTicketAction(extraction.text),
           let index = ranked.firstIndex(where: { $0.intent == .outOfScope }) {
            ranked[index].confidence = max(ranked[index].confidence, first.confidence + 0.01)
            ranked.sort { $0.confidence > $1.confidence }
        }
        // "I no longer need spike notifications": the classifier's words say "alerts", the
        // negation says stop. Swapped only between the two, when the stop reading is second.
        if let first = ranked.first, first.intent == .subscribe, CompoundSlots.hasNegation(text),
           let index = ranked.firstIndex(where: { $0.intent == .unsubscribe }) {
            ranked[index].confidence = max(ranked[index].confidence, first.confidence + 0.01)
            ranked.sort { $0.confidence > $1.confidence }
        }
        if slots.customer == nil, slots.ticket == nil, let name = Self.unknownCustomerName(text: extraction.text, original: normalized.original, vocabulary: model.vocabulary) {
            slots.customer = CustomerSlot(match: nil, unknown: name)
        }
        let inScope = ranked.filter { $0.intent != .outOfScope }
        let readings = inScope.prefix(3).filter { $0.confidence >= 0.05 || $0.intent == inScope.first?.intent }.map { scored in
            Reading(intent: scored.intent, confidence: scored.confidence, slots: finish(slots, for: scored.intent, extraction: extraction, normalized: normalized))
        }
        guard let best = ranked.first, best.confidence >= threshold, best.intent != .outOfScope else {
            let refusal = ranked.first.map { $0.intent == .outOfScope ? $0.confidence : 1 - $0.confidence } ?? 1
            return ParsedMessage(intent: .outOfScope, confidence: refusal, slots: IntentSlots(), alternatives: Array(inScope.prefix(2)),
                                 readings: readings, needsClarification: readings.first.map { $0.confidence >= 0.1 } ?? false)
        }
        return ParsedMessage(intent: best.intent, confidence: best.confidence, slots: finish(slots, for: best.intent, extraction: extraction, normalized: normalized),
                             alternatives: Array(ranked.dropFirst().filter { $0.confidence >= 0.05 }.prefix(2)),
                             readings: readings, needsClarification: best.confidence < confidentThreshold)
    }

    /// The slots as `intent` takes them.
    private func finish(_ extracted: IntentSlots, for intent: IntentName, extraction: Extraction, normalized: NormalizedMessage) -> IntentSlots {
        var slots = extracted
        let allowed = model.slots(of: intent)
        if slots.customer == nil, !allowed.contains(.target) { slots.customer = extraction.channelCustomer }
        if [.addNote, .requestEscalation, .draftOutreach].contains(intent) {
            slots.text = SlotExtractors.freeText(for: intent, original: normalized.original)
        }
        // An intent about one customer reads several as the first; one about several
        // (compare, or a list) keeps them all.
        if !allowed.contains(.customers) || (slots.customers?.count ?? 0) < 2 && intent != .compareCustomers { slots.customers = nil }
        return slots.restricted(to: allowed)
    }

    /// Words that say a name the roster does not have: after "for", "at", "from", "with",
    /// "about", "of" or "on", one to three words the catalogue never uses, capitalised as a
    /// name is, or ending in a legal suffix ("Zyxwv Holdings"). Nil when nothing looks like one.
    static func unknownCustomerName(text: String, original: String, vocabulary: Set<String>) -> String? {
        let words = ASCIIText.words(text).map(String.init)
        let originals = original.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "?" || $0 == "!" || $0 == "." }).map(String.init)
        for (index, word) in words.enumerated() where unknownNamePrepositions.contains(word) && index + 1 < words.count {
            var name: [String] = []
            for candidate in words[(index + 1)...].prefix(3) {
                let bare = candidate.hasSuffix("'s") ? String(candidate.dropLast(2)) : candidate
                let isSuffix = CustomerDirectory.legalSuffixes.contains(bare)
                // After the first word, the nouns companies end with ("Industries", "Labs") belong to the name.
                let continues = !name.isEmpty && (isSuffix || Self.companyNouns.contains(bare))
                guard !bare.hasPrefix("qq"), bare.count >= 2, !vocabulary.contains(bare) || continues,
                      !CustomerDirectory.commonWords.contains(bare) || continues, !notNames.contains(bare),
                      bare.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "&" }) else { break }
                name.append(bare)
            }
            guard !name.isEmpty else { continue }
            // The words as the asker wrote them, to quote back.
            let written = name.map { word in originals.first { $0.lowercased().hasPrefix(word) && $0.count <= word.count + 2 }.map { $0.hasSuffix("'s") ? String($0.dropLast(2)) : $0 } ?? word }
            let capitalised = written.allSatisfy { $0.first?.isUppercase == true || $0.first?.isNumber == true }
            let suffixed = name.count > 1 && CustomerDirectory.legalSuffixes.contains(name.last!)
            if capitalised || suffixed { return written.joined(separator: " ") }
        }
        return nil
    }

    static let companyNouns: Set<String> = ["industries", "systems", "solutions", "trading", "traders", "logistics", "foods", "enterprises", "labs", "bank",
                                            "health", "science", "dynamics", "technologies", "partners", "worldwide", "global", "international", "software", "media"]
    static let unknownNamePrepositions: Set<String> = ["for", "at", "from", "with", "about", "of", "on", "to", "against", "vs", "and"]
    /// Words that are no name even when capitalised at the start of a clause.
    static let notNames: Set<String> = [
        "me", "us", "you", "them", "him", "her", "it", "this", "that", "these", "those", "everyone", "everybody", "anyone", "someone", "nobody", "all", "each",
        "my", "our", "your", "their", "the", "a", "an", "any", "some", "every", "which", "what", "who", "how", "when", "where", "why", "i", "we", "they",
        "slack", "zendesk", "freshdesk", "salesforce", "intercom", "jira", "engineering", "support", "sales", "finance", "legal", "product", "eng",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow", "yesterday", "now", "later", "please", "pls",
    ]
}

/// The words each write intent needs before the parser chooses it.
enum WriteIntentCues {
    static func isWrite(_ intent: IntentName) -> Bool {
        [.addNote, .requestEscalation, .subscribe, .unsubscribe, .notificationSettings].contains(intent)
    }

    /// Verbs of ticket changes the bot does not make (it notes and asks for escalations only).
    static let ticketActions = ["solve ", "close ", "close out", "delete ", "merge ", "combine ", "reopen ", "re-open", "assign ", "reassign ", "get rid of",
                                "mark qqticket", "set the priority", "change the priority", "cancel qqticket", "remove qqticket", "move qqticket", "transfer "]
    /// Each action after a space: in " " + text + " " that is the action at the start of
    /// the text (`hasPrefix`) or after a space.
    private static let ticketActionsAfterSpace = CueWords(ticketActions.map { " " + $0 })

    static func asksForTicketAction(_ text: String) -> Bool {
        let padded = text + " "
        guard ASCIIText.isASCII(padded) else { return ticketActions.contains { padded.hasPrefix($0) || padded.contains(" " + $0) } }
        return ticketActionsAfterSpace.found(in: " " + padded, ascii: true)
    }

    private static let noteCues = CueWords(["note", "comment", "log ", "jot", "record", "write down", "add to", "annotate", "put on", "mention on"])
    private static let escalationCues = CueWords(["escalat", "bump", "tier 2", "tier two", "raise", "kick", "push", "prioriti", "expedite", "urgent", "qqpriority"])
    private static let alertCues = CueWords(["alert", "notif", "notify", "ping", "subscri", "dm", "follow", "feed", "heads up", "in the loop", "posted",
                                             "let qqtarget know", "let me know", "tell me", "tell qqtarget"])
    private static let subscriptionWord = CueWords(["subscription"])
    private static let alertWords = CueWords(["alert", "notif", "ping", "feed"])
    private static let settingsCues = CueWords(["dm", "digest", "quiet", "mute", "snooze", "pause", "notif", "ping", "alert", "bother", "disturb", "only",
                                                "silence", "weekend", "hours", "pm", "am", "until", "between", "after", "before"])

    static func asks(for intent: IntentName, text: String, slots: IntentSlots) -> Bool {
        let ascii = ASCIIText.isASCII(text)
        func any(_ cues: CueWords) -> Bool { cues.found(in: text, ascii: ascii) }
        switch intent {
        case .addNote:
            return slots.ticket != nil && any(noteCues)
        case .requestEscalation:
            return slots.ticket != nil && any(escalationCues)
        case .subscribe, .unsubscribe:
            // A feed ("CSAT", "escalations") or the words of alerts. "Subscription" alone is
            // the customer's contract ("cancel Initech's subscription"), not an alert.
            return slots.feed != nil || any(alertCues) && !(any(subscriptionWord) && !any(alertWords) && slots.feed == nil)
        case .notificationSettings:
            return any(settingsCues)
        default:
            return true
        }
    }
}

/// Words one of which a text must contain. In ASCII text (nearly every message) a byte is a
/// character, so a byte search (`Trigger`) finds exactly what `contains` finds; `contains`
/// itself, through Foundation, cost a few hundred nanoseconds a word, and the cues of the
/// write intents are some sixty words read for every message. Other text keeps `contains`.
/// (No cue holds a carriage return or line feed, the two bytes of ASCII's one character
/// of two, so a byte match never splits a character.)
struct CueWords: Sendable {
    let words: [String]
    private let bytes: Trigger

    init(_ words: [String]) {
        self.words = words
        bytes = Trigger(words: words)
    }

    /// `words.contains { text.contains($0) }`; `ascii` says whether `text` is ASCII.
    func found(in text: String, ascii: Bool) -> Bool {
        (ascii ? bytes.found(in: text) : nil) ?? words.contains { text.contains($0) }
    }
}
