import Foundation
import TicketPulseCore

/// The slots of compound questions (`../shared/INTENTS.md`): filters on customer attributes
/// (tier, ARR, renewal window, health, CSM), and ticket ids inside support-system links.
/// Like the other extractors, each returns the value and the words that said it, so the
/// classifier sees a placeholder (`qqtier`, `qqarr`…) in their place.
enum CompoundSlots {
    /// Every pattern that runs only when its trigger is in the text, with that trigger, for
    /// the trigger tests (through `SlotExtractors.triggeredPatterns`).
    static var triggeredPatterns: [(trigger: Trigger, pattern: Regex<AnyRegexOutput>)] {
        [(ticketLinkTrigger, Regex(ticketLink)), (arrTrigger, Regex(arrPhrase)), (healthTrigger, Regex(healthPhrase)),
         (healthTrigger, Regex(unhealthy)), (renewalTrigger, Regex(renewalPhrase))]
    }

    // MARK: Ticket links

    /// A ticket's id inside a link to it: Zendesk `/agent/tickets/4533`, Freshdesk
    /// `/a/tickets/4533` or `/helpdesk/tickets/4533`, Intercom `/conversations/123` or
    /// `/conversation/123`, Salesforce `/lightning/r/Case/500…/view`. Read from the original
    /// text, where the link is still whole.
    nonisolated(unsafe) private static let ticketLink =
        (#/(?:https?:\/\/)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?\/\S*?(?:tickets|conversations?|Case|case)\/(500[A-Za-z0-9]{12,15}|[0-9]{2,})(?:[\/?#]\S*)?/#).quick
    /// Slack shows links without their scheme once resolved (see `MessageNormalizer`), so the
    /// trigger is the path's slash.
    static let ticketLinkTrigger = Trigger("/")

    static func ticketInLink(original: String) -> SlotExtractors.Found<String>? {
        guard ticketLinkTrigger.mayMatch(original), let match = original.firstMatch(of: ticketLink) else { return nil }
        return SlotExtractors.Found(value: String(match.1), spans: [String(match.0)])
    }

    // MARK: ARR and health

    /// "ARR over $250k", "over $1.5M", "accounts under 50k", "more than 100,000 in ARR".
    /// Money needs a "$", a k/m suffix or the word ARR/revenue nearby, so "CSAT below 3" stays
    /// a CSAT threshold.
    nonisolated(unsafe) private static let arrPhrase =
        (#/(?:\b(?:arr|revenue|contract value)\s+(?:of\s+|is\s+)?)?\b(over|above|more than|greater than|at least|under|below|less than|at most|>=|<=|>|<)\s*(\$)?\s*(\d+(?:[.,]\d+)?)\s*(k|m|mm|million|thousand|bn)?\b(?:\s+(?:in\s+)?(?:arr|revenue))?/#).quick
    static let arrTrigger = Trigger("over", "above", "more than", "greater than", "at least", "under", "below", "less than", "at most", ">", "<")

    static func arr(in text: String) -> SlotExtractors.Found<NumberComparison>? {
        guard arrTrigger.mayMatch(text) else { return nil }
        for match in text.matches(of: arrPhrase) {
            let phrase = match.0
            let moneyWord = phrase.contains("arr") || phrase.contains("revenue") || phrase.contains("contract value")
            guard match.2 != nil || match.4 != nil || moneyWord,
                  var value = Double(match.3.replacingOccurrences(of: ",", with: "")) else { continue }
            // "100,000" is a number with a thousands separator, not 100.0.
            if match.3.contains(","), match.3.split(separator: ",").last?.count == 3 { value = Double(match.3.replacingOccurrences(of: ",", with: "")) ?? value }
            switch match.4 {
            case "k", "thousand": value *= 1_000
            case "m", "mm", "million": value *= 1_000_000
            case "bn": value *= 1_000_000_000
            default: break
            }
            return SlotExtractors.Found(value: NumberComparison(comparisonOperator(match.1), value), spans: [String(phrase)])
        }
        return nil
    }

    /// "health below 70", "health score under 60", "healthy above 80", "unhealthy accounts" (< 60).
    nonisolated(unsafe) private static let healthPhrase =
        (#/\bhealth(?:\s+score)?s?\s+(?:is\s+|of\s+)?(over|above|more than|greater than|at least|under|below|less than|at most|>=|<=|>|<)\s*(\d+(?:\.\d+)?)\b/#).quick
    nonisolated(unsafe) private static let unhealthy = (#/\bunhealthy\b/#).quick
    static let healthTrigger = Trigger("health")

    /// The score under which an account counts as unhealthy (INTENTS.md).
    static let unhealthyBelow = 60.0

    static func health(in text: String) -> SlotExtractors.Found<NumberComparison>? {
        guard healthTrigger.mayMatch(text) else { return nil }
        if let match = text.firstMatch(of: healthPhrase), let value = Double(match.2) {
            return SlotExtractors.Found(value: NumberComparison(comparisonOperator(match.1), value), spans: [String(match.0)])
        }
        if let match = text.firstMatch(of: unhealthy) {
            return SlotExtractors.Found(value: NumberComparison(.less, unhealthyBelow), spans: [String(match.0)])
        }
        return nil
    }

    static func comparisonOperator(_ word: Substring) -> NumberComparison.Operator {
        switch word {
        case "over", "above", "more than", "greater than", ">": .greater
        case "at least", ">=": .greaterOrEqual
        case "at most", "<=": .lessOrEqual
        default: .less
        }
    }

    // MARK: Renewal

    /// "renewing this quarter", "renewals in the next 60 days", "up for renewal next month",
    /// "renew before the end of the year". Runs before the period, so "this quarter" here is
    /// the renewal window and not the period of the question.
    nonisolated(unsafe) private static let renewalPhrase =
        (#/\b(?:renew\w*|up for renewal)\s+(?:date\s+)?(?:is\s+)?(?:(?:in|within|during|over|before|by)\s+)?(?:the\s+)?(?:(this|current|next|coming)\s+(week|month|quarter|year)|(?:next|coming)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few)\s+(days?|weeks?|months?)|end\s+of\s+(?:the\s+)?(month|quarter|year)|(q[1-4]))\b/#).quick
    static let renewalTrigger = Trigger("renew")

    static func renewal(in text: String, now: Date) -> SlotExtractors.Found<PeriodSlot>? {
        guard renewalTrigger.mayMatch(text), let match = text.firstMatch(of: renewalPhrase) else { return nil }
        let calendar = TimeExpressionParser.calendar
        func unit(_ word: Substring) -> Calendar.Component {
            switch word {
            case "week", "weeks": .weekOfYear
            case "month", "months": .month
            case "quarter": .quarter
            case "day", "days": .day
            default: .year
            }
        }
        func start(of component: Calendar.Component, containing date: Date) -> Date {
            if component == .quarter {
                let month = calendar.component(.month, from: date)
                return calendar.date(from: DateComponents(year: calendar.component(.year, from: date), month: (month - 1) / 3 * 3 + 1, day: 1))!
            }
            return calendar.dateInterval(of: component, for: date)!.start
        }
        func adding(_ component: Calendar.Component, _ count: Int, to date: Date) -> Date {
            component == .quarter ? calendar.date(byAdding: .month, value: 3 * count, to: date)! : calendar.date(byAdding: component, value: count, to: date)!
        }
        let period: Period
        if let which = match.1, let word = match.2 {
            let component = unit(word)
            let current = start(of: component, containing: now)
            let first = which == "next" || which == "coming" ? adding(component, 1, to: current) : current
            period = Period(start: first, end: adding(component, 1, to: first))
        } else if let countWord = match.3, let word = match.4 {
            let count = Int(countWord) ?? TimeExpressionParser.numberWords[String(countWord)] ?? 1
            period = Period(start: now, end: adding(unit(word), count, to: now))
        } else if let word = match.5 {
            // "before the end of the quarter": from now to the end of the current unit.
            let component = unit(word)
            period = Period(start: now, end: adding(component, 1, to: start(of: component, containing: now)))
        } else if let quarterWord = match.6, let quarter = Int(quarterWord.dropFirst()) {
            // A renewal quarter is the next one of that number that has not ended.
            var year = calendar.component(.year, from: now)
            var first = calendar.date(from: DateComponents(year: year, month: (quarter - 1) * 3 + 1, day: 1))!
            if adding(.quarter, 1, to: first) <= now { year += 1; first = calendar.date(from: DateComponents(year: year, month: (quarter - 1) * 3 + 1, day: 1))! }
            period = Period(start: first, end: adding(.quarter, 1, to: first))
        } else {
            return nil
        }
        return SlotExtractors.Found(value: PeriodSlot(period: period, text: String(match.0)), spans: [String(match.0)])
    }

    // MARK: Tier

    /// Other ways to say the built-in tiers.
    static let tierSynonyms: [String: CustomerTier] = [
        "mid market": .midMarket, "midmarket": .midMarket, "mid-market": .midMarket, "mid size": .midMarket, "mid-size": .midMarket, "midsize": .midMarket,
        "small business": .smb, "small businesses": .smb, "enterprises": .enterprise,
    ]

    /// The tier a message names, among `tiers` (the roster's and the built-in ones): whole
    /// words, so "tier 1" does not match inside "tier 10". Longest name first.
    static func tier(in text: String, tiers: [(phrase: String, tier: CustomerTier)]) -> SlotExtractors.Found<CustomerTier>? {
        let words = WholeWords(text)
        for (phrase, tier) in tiers {
            guard let range = words.range(of: phrase) else { continue }
            var span = String(text[range])
            // "strategic accounts" is masked whole, so the noun does not read as a customer.
            let rest = text[range.upperBound...] + " "
            for noun in ["customers", "accounts", "clients", "tier", "tier accounts", "tier customers", "ones"] where rest.hasPrefix(" " + noun + " ") {
                span += " " + noun
                break
            }
            return SlotExtractors.Found(value: tier, spans: [span])
        }
        return nil
    }

    /// The phrases that name each tier, longest first: its label ("tier 1", "mid market"),
    /// its raw form, and the synonyms of the built-in tiers.
    static func tierPhrases(_ tiers: Set<CustomerTier>) -> [(phrase: String, tier: CustomerTier)] {
        var phrases: [(String, CustomerTier)] = []
        for tier in tiers.union(CustomerTier.builtIn) {
            phrases.append((tier.label, tier))
            if tier.rawValue != tier.label { phrases.append((tier.rawValue, tier)) }
        }
        for (phrase, tier) in tierSynonyms { phrases.append((phrase, tier)) }
        return phrases.sorted { ($0.0.count, $0.0) > ($1.0.count, $1.0) }
    }

    // MARK: CSM

    /// "Sam's accounts", "Priya's book", "accounts owned by Jordan", "for jordan.blake@example.com":
    /// a CSM's name (first, or first and last, from the roster's CSM emails) or email.
    static func csm(in text: String, people: PeoplePhrases) -> SlotExtractors.Found<String>? {
        guard !people.isEmpty else { return nil }
        let words = ASCIIText.words(text).map(String.init)
        for (index, word) in words.enumerated() {
            // The byte first: `contains` goes through Foundation, and only a word with an "@"
            // byte can hold the character.
            if word.utf8.contains(UInt8(ascii: "@")), word.contains("@"), people.emails.contains(word) {
                return SlotExtractors.Found(value: word, spans: [word])
            }
            let bare = word.hasSuffix("'s") ? String(word.dropLast(2)) : word.hasSuffix("'") ? String(word.dropLast()) : word
            // Only a phrase ending in this word can name someone here.
            guard let endingHere = people.byLastWord[bare] else { continue }
            let next = index + 1 < words.count ? words[index + 1] : ""
            let before = index > 0 ? words[index - 1] : ""
            for person in endingHere {
                if let first = person.firstWord {
                    // The name must be the last words before a possessive or follow "owned by"/"managed by".
                    if index > 0, words[index - 1] == first, word != bare || Self.bookNouns.contains(next) {
                        return SlotExtractors.Found(value: person.email, spans: [words[index - 1] + " " + word])
                    }
                    continue
                }
                let possessive = word != bare && (Self.bookNouns.contains(next) || next.isEmpty || ["accounts", "customers"].contains(words.dropFirst(index + 1).prefix(3).last ?? ""))
                let ownedBy = ["by", "for"].contains(before) && index > 1 && ["owned", "managed", "run", "handled", "accounts", "customers", "book"].contains(words[index - 2])
                if possessive || ownedBy { return SlotExtractors.Found(value: person.email, spans: [word]) }
            }
        }
        return nil
    }

    static let bookNouns: Set<String> = ["accounts", "account", "book", "customers", "portfolio", "clients", "team", "open", "escalations", "tickets"]

    /// Name phrases of the CSMs behind `emails`: "sam" and "sam carter" for
    /// sam.carter@example.com. Emails that do not split into names give only the email.
    static func people(emails: Set<String>) -> [(phrase: String, email: String)] {
        var people: [(String, String)] = []
        var firstNames: [String: Int] = [:]
        for email in emails {
            let local = email.split(separator: "@").first.map(String.init) ?? email
            if let first = local.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" }).first { firstNames[String(first), default: 0] += 1 }
        }
        for email in emails.sorted() {
            people.append((email, email))
            let local = email.split(separator: "@").first.map(String.init) ?? email
            let parts = local.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" }).map(String.init)
            guard parts.count >= 2, parts.allSatisfy({ $0.allSatisfy(\.isLetter) }) else { continue }
            people.append((parts[0] + " " + parts[1], email))
            // A first name two CSMs share names neither.
            if firstNames[parts[0]] == 1 { people.append((parts[0], email)) }
        }
        return people
    }

    // MARK: Openers

    /// Greetings and pleasantries before (or after) the question: "hey team, hope your week
    /// is going well, quick one:", "morning!", "thanks!". They carry no intent, and in a
    /// short question they outweigh the words that do. Removed from the classifier's text
    /// only; a message that is nothing but a greeting keeps it (and reads as `help`).
    nonisolated(unsafe) private static let opener =
        (#/^(?:(?:hi|hey|hello|hiya|heya|howdy|yo|morning|good (?:morning|afternoon|evening)|greetings|ok|okay|so|um|hmm|sorry|thanks|ty)(?: (?:there|team|all|folks|everyone|guys|gang|friend|bot|ticketpulse|hey|again))*\s*|(?:hope (?:you're|you are|your (?:day|week|monday|friday) is|all is|everyone is|things are|you're having a|you are having a) ?(?:well|good|great|going well|doing well|good day|great day|great week)?(?: going well)?\s*)|(?:quick (?:one|question|q|ask|favour|favor)\s*)|(?:(?:sorry to bother(?: you)?|when you (?:get|have) a (?:sec|second|minute|moment|chance)|if you (?:get|have) a (?:sec|second|minute|moment|chance)|random question|question for you|can i ask)\s*)|(?:i (?:was wondering|wanted to ask|need to know|wanted to check)(?: if)?\s*))+/#).quick
    nonisolated(unsafe) private static let closer =
        (#/(?:\s+(?:thanks|thank you|thx|ty|cheers|please|pls|plz|much appreciated|appreciate it|in advance|thanks in advance|asap|when you can|if you can|:\)|!+))+$/#).quick

    /// The words `opener` can begin with and `closer` can end with: most messages have
    /// neither, and checking a word first spares them the regexes, which were a sixth of the
    /// parser's start-up (they run for every training example).
    private static let openerFirstWords: Set<Substring> = [
        "hi", "hey", "hello", "hiya", "heya", "howdy", "yo", "morning", "good", "greetings", "ok", "okay", "so", "um", "hmm",
        "sorry", "thanks", "ty", "hope", "quick", "when", "if", "random", "question", "can", "i",
    ]
    private static let closerLastWords: Set<Substring> = [
        "thanks", "you", "thx", "ty", "cheers", "please", "pls", "plz", "appreciated", "it", "advance", "asap", "can", ":)",
    ]

    static func removingPleasantries(_ text: String) -> String {
        var result = text
        // In ASCII a letter is a byte in A–Z or a–z, and space and tab are all of
        // `CharacterSet.whitespaces` there: the first word, the last word and the trimming
        // are read off the bytes, not by walking characters and through Foundation.
        let ascii = ASCIIText.isASCII(text)
        let firstWord = ascii ? text[..<(text.utf8.firstIndex { !ASCIIText.isLetter($0) } ?? text.endIndex)] : text.prefix { $0.isLetter }
        if openerFirstWords.contains(firstWord),
           let match = result.prefixMatch(of: opener), match.0.count < result.count {
            result = String(result[match.0.endIndex...])
        }
        let last = ascii ? lastWord(ofASCII: result) : result.split(separator: " ").last ?? ""
        if closerLastWords.contains(last) || (!last.isEmpty && last.allSatisfy { $0 == "!" }),
           let match = result.firstMatch(of: closer), match.0.count < result.count {
            result = String(result[..<match.0.startIndex])
        }
        result = ascii ? trimmingSpacesAndTabs(ofASCII: result) : result.trimmingCharacters(in: .whitespaces)
        return result.isEmpty ? text : result
    }

    /// `text.split(separator: " ").last ?? ""` for an ASCII text.
    private static func lastWord(ofASCII text: String) -> Substring {
        let utf8 = text.utf8
        guard let end = utf8.lastIndex(where: { $0 != UInt8(ascii: " ") }) else { return "" }
        let start = utf8[..<end].lastIndex(of: UInt8(ascii: " ")).map { utf8.index(after: $0) } ?? utf8.startIndex
        return text[start...end]
    }

    /// `text.trimmingCharacters(in: .whitespaces)` for an ASCII text.
    private static func trimmingSpacesAndTabs(ofASCII text: String) -> String {
        let utf8 = text.utf8
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.firstIndex(where: { !blank($0) }), let last = utf8.lastIndex(where: { !blank($0) }) else { return "" }
        if first == utf8.startIndex, utf8.index(after: last) == utf8.endIndex { return text }
        return String(text[first...last])
    }

    /// Words that, in a message, turn a request for alerts into a request to stop them
    /// ("I no longer need spike notifications", "kill my CSAT subscription").
    static let negationCues: [String] = ["no longer", "dont", "don't", "do not", "stop", "no more", "not", "never", "anymore", "any more", "kill", "cancel",
                                         "quit", "disable", "turn off", "unsubscribe", "opt out", "opt me out", "remove", "get rid", "drop", "unfollow", "mute"]

    /// Whole words only: "whenever" holds "never" and is no negation.
    static func hasNegation(_ text: String) -> Bool {
        let words = WholeWords(text)
        return negationCueBytes.contains { words.contains($0) }
    }

    private static let negationCueBytes = negationCues.map { Array($0.utf8) }
}

/// A phrase found as whole words (spaces or the text's ends around it), on UTF-8 bytes.
/// Foundation's `contains` / `range(of:)` on `String` goes through NSString; run for every
/// training example, it was the largest part of the parser's start-up.
struct WholeWords {
    let text: String
    private let bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    func range(of phrase: String) -> Range<String.Index>? {
        offset(of: Array(phrase.utf8)).map { start in
            let lower = text.utf8.index(text.utf8.startIndex, offsetBy: start)
            return lower..<text.utf8.index(lower, offsetBy: phrase.utf8.count)
        }
    }

    /// Whether the phrase's bytes are in the text as whole words.
    func contains(_ needle: [UInt8]) -> Bool {
        offset(of: needle) != nil
    }

    /// The byte offset of the first whole-word occurrence of `needle`.
    private func offset(of needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
        let space = UInt8(ascii: " ")
        var start = 0
        while start + needle.count <= bytes.count {
            let end = start + needle.count
            if bytes[start] == needle[0], (start == 0 || bytes[start - 1] == space), (end == bytes.count || bytes[end] == space),
               bytes[start..<end].elementsEqual(needle) {
                return start
            }
            start += 1
        }
        return nil
    }
}

/// The phrases that name the team ("sam", "sam carter", "sam.carter@example.com"), by
/// their last word: a message is looked up word by word instead of every phrase being
/// split and compared at every word (a hundred CSMs made that a tenth of a parse).
struct PeoplePhrases: Sendable {
    struct Person: Sendable {
        /// The first of a two-word phrase; nil for one word.
        var firstWord: String?
        var email: String
    }

    /// In the order `CompoundSlots.people` gives, within each last word.
    let byLastWord: [String: [Person]]
    let emails: Set<String>
    var isEmpty: Bool { byLastWord.isEmpty }

    init(_ people: [(phrase: String, email: String)]) {
        var byLastWord: [String: [Person]] = [:]
        for person in people {
            let words = person.phrase.split(separator: " ").map(String.init)
            guard let last = words.last, words.count <= 2 else { continue }
            byLastWord[last, default: []].append(Person(firstWord: words.count == 2 ? words[0] : nil, email: person.email))
        }
        self.byLastWord = byLastWord
        emails = Set(people.map(\.email))
    }
}
