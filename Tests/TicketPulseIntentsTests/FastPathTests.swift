import Foundation
import Testing
@testable import TicketPulseIntents

/// The parser skips a pattern when its trigger words are absent, and decides ASCII texts by
/// hand instead of by pattern. Both must find exactly what the patterns find; these tests
/// hold them to that over the dev set, the catalogue and some awkward texts of our own.
@Suite("Fast paths decide as the patterns do")
struct FastPathTests {
    /// Texts that exercise every triggered pattern and the edges of the hand-written scans.
    static let crafted = [
        "tickets in the last 30 days", "over the past two weeks", "the past week", "past 24h", "last month vs last quarter", "today", "yesterday",
        "since the start of this quarter", "since last week", "q3 2026", "in q1", "since 2026-11-03", "since nov 3rd", "from Sept. 12",
        "from the 3rd of november", "since 11/3", "since last monday", "since march 2026", "in march", "during may", "csat of december 2025",
        "on friday", "last tuesday", "this morning", "see ABC-123-4567 and xy-12-34", "p1 and sev-2 and priority 3s", "sev1 blockers",
        "urgent priority", "high-priority", "high and low tickets", "medium prio", "normal", "low priority", "subscribe #cs-escalations",
        "post to #4521", "below 3.5", "under 80%", "<= 4", "<3", "less than 2", "#4521", "ticket no. 4521", "case #12345", "note to ticket #4521",
        "comment on 4521", "escalate ticket 4521", "escalation for #4521", "about 4521", "4521 status", "#4521 please", "tikcet 4521", "tix #4521",
        "x 4521 y", "in 2026 ticket 4521", "any status", "all statuses", "including closed", "all tickets", "every ticket", "on-hold", "on hold",
        "pending", "waiting on the customer", "awaiting customer", "not closed", "not resolved", "open", "unresolved", "outstanding", "active",
        "opened and unresolved", "solved", "closed", "resolved", "fixed", "done", "new tickets", "new p1", "new ones", "feature requests",
        "enhancement request", "feature idea", "billing", "invoices", "invoicing", "payments", "charges", "refund", "how-to questions", "howto",
        "training", "onboarding questions", "security", "vulnerabilities", "breaches", "phishing", "outages", "downtime", "service down",
        "incidents", "bugs", "bug reports", "technical", "errors", "crashes", "api issues", "defects", "everything", "all the alerts",
        "all of my notifications", "all of them", "escalations", "escalated", "spike", "spiking", "surges", "csat drops", "satisfaction",
        "bad ratings", "rating", "sla breaches", "breaching", "new qqpriority tickets", "new qqpriority or qqpriority tickets", "ticket created",
        "new cases", "<@U0BOT0001> hi", "<@U0BOT0001|pulse> hi", "<#C0123ABC|cs-escalations>", "<#C0999>", "<mailto:a@b.io|a@b.io>",
        "<https://example.com|docs>", "<https://example.com/x>", "show me", "send me my dms", "to my dm please", "my dmsx", "i'm here", "hi there",
        "mine", "time", "me2", "_me_", "remind me.", "I", "A.B. c.d", "x. y", "9:30 am", "a:b", "..", "P1/P2", "acme.io.", "3.5%", "_under_score_",
        "MIXED Case!?", "tab\there\nand\u{0B}vertical\u{0C}feed", "(brackets) [square] {curly} \"quoted\" *bold* ~strike~; semi, comma",
        "[customer](Acme) and [bad", "[x]", "[ab](", "[a_b](v)[c](d)", "[](x)", "[Customer](x)", "[customer](a(b)", "{customer}", "{bad", "{}",
        "{a}{b_c} {D}", "",
    ]

    static let utterances: [String] = {
        let catalogue = try! IntentCatalogue.load(directory: IntentCatalogue.locateDirectory(explicit: nil)!)
        return catalogue.intents.flatMap(\.utterances)
    }()

    /// Raw texts: the dev set, the catalogue as written and with its slots filled, our own.
    static let raw: [String] = {
        let devset = try! DevSetAccuracyTests.examples().map(\.text)
        let filled = utterances.map { $0.replacing(IntentDefinition.markedSlot) { String($0.2) } }
        return devset + utterances + filled + crafted
    }()

    /// What the patterns run over: raw text, normalised text, the catalogue's templates and
    /// the text the extraction leaves, placeholders and all.
    static let texts: [String] = {
        let parser = SharedModel.demoParser()
        let now = SharedModel.reference
        var texts = raw
        for text in raw {
            let normalized = MessageNormalizer.normalize(text)
            texts += [normalized.original, normalized.text, text.uppercased(),
                      IntentParser.extract(normalized, now: now, customers: parser.customers, vocabulary: parser.model.vocabulary).text]
        }
        texts += utterances.map { MessageNormalizer.normalize(IntentModel.maskingPlaceholders(IntentDefinition.template($0))).text }
        return texts
    }()

    @Test("Every trigger holds a word that each match of its pattern has")
    func triggersAreNecessary() {
        let pairs = SlotExtractors.triggeredPatterns + TimeExpressionParser.triggeredPatterns + MessageNormalizer.triggeredPatterns
        var matched = Array(repeating: 0, count: pairs.count)
        for text in Self.texts {
            for (index, pair) in pairs.enumerated() where text.firstMatch(of: pair.pattern) != nil {
                matched[index] += 1
                #expect(pair.trigger.mayMatch(text), "pattern \(index) matches \"\(text)\" but its trigger is not there")
            }
        }
        // Each pattern is exercised, or the check above proves nothing about it.
        for (index, count) in matched.enumerated() { #expect(count > 0, "pattern \(index) matched no sample") }
    }

    @Test("A word a month may start with triggers the month patterns")
    func monthStarts() {
        for month in TimeExpressionParser.months {
            for length in 3...month.count { #expect(TimeExpressionParser.monthStart.mayMatch("since " + month.prefix(length))) }
        }
        #expect(!TimeExpressionParser.monthStart.mayMatch("tickets for acme in the last week"))
    }

    @Test("A digit trigger gives way to non-ASCII digits")
    func digitTrigger() {
        let trigger = Trigger(digits: 3)
        #expect(trigger.mayMatch("ticket 4521"))
        #expect(!trigger.mayMatch("ticket 45 21"))
        #expect(trigger.mayMatch("ticket ٤٥٢١"))
    }

    @Test("ASCII normalisation equals the folding path")
    func asciiNormalization() {
        for text in Self.raw + Self.raw.map({ $0.uppercased() }) {
            let original = MessageNormalizer.normalize(text).original
            for candidate in [original, text] {
                guard let fast = MessageNormalizer.asciiText(candidate) else { continue }
                #expect(fast == MessageNormalizer.foldedText(candidate), "\"\(candidate)\"")
            }
        }
        #expect(MessageNormalizer.asciiText("café") == nil)
        #expect(MessageNormalizer.asciiText("a\r\nb") == nil)
    }

    @Test("Slot marks and placeholders are scanned as the patterns find them")
    func marks() {
        for text in Self.utterances + Self.crafted + Self.utterances.map(IntentDefinition.template) {
            // Nil for a text that is not ASCII: the pattern does the work.
            if let marked = ASCIIText.replacingMarks(in: text, open: UInt8(ascii: "["), { "<\($0)=\($1)>" }) {
                #expect(marked == text.replacing(IntentDefinition.markedSlot) { "<\($0.1)=\($0.2)>" }, "\"\(text)\"")
            }
            if let placeheld = ASCIIText.replacingMarks(in: text, open: UInt8(ascii: "{"), { name, _ in " qq\(name) " }) {
                #expect(placeheld == text.replacing(IntentModel.placeholder) { " qq\($0.1) " }, "\"\(text)\"")
            }
        }
        #expect(ASCIIText.replacingMarks(in: "[customer](Zoë)", open: UInt8(ascii: "[")) { $1 } == nil)
    }

    @Test("Edit distance over ASCII bytes equals edit distance over characters")
    func editDistance() {
        let words = ["acme", "acme corp", "acme crop", "globex", "globxe", "initech", "intiech", "tickets", "tickts", "escalations", "escalatoins",
                     "a", "", "ab", "ba", "abc", "cab", "umbrella corporation", "umbrela corp", "hooli", "holi", "soylent", "solyent green"]
        for a in words {
            for b in words {
                for limit in 0...3 { #expect(CustomerDirectory.editDistance(a, b, limit: limit) == Self.characterEditDistance(a, b, limit: limit), "\(a) / \(b) / \(limit)") }
            }
        }
    }

    /// The edit distance over characters as the directory computed it before its ASCII path.
    static func characterEditDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var beforePrevious = Array(repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], beforePrevious[j - 2] + 1) }
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    @Test("The \"me\" word scan finds what the pattern finds")
    func meTarget() {
        for text in Self.texts {
            guard let fast = ASCIIText.firstWord(in: text, among: SlotExtractors.meWords) else { continue }
            let pattern = SlotExtractors.meByPattern(in: text)
            #expect(fast.map(String.init) == pattern.map(String.init) && fast?.startIndex == pattern?.startIndex, "\"\(text)\"")
        }
    }

    /// Texts where a byte and a character part ways: combining marks after a space or a
    /// letter, "\r\n" (one character of two bytes), other scripts.
    static let awkward = ["", " ", "  a  b  ", "e\u{301} x", " \u{301}x y", "a \u{301}b", "x\r\ny", "a\r\n b", "日本 語", "ﬁle ok", "@\u{301}x a@b"]

    @Test("Words split off the bytes are the words split off the characters")
    func words() {
        for text in Self.texts + Self.awkward {
            #expect(ASCIIText.words(text) == text.split(separator: " "), "\"\(text)\"")
        }
    }

    @Test("Whitespace collapsed off the bytes of ASCII text is collapsed as the characters are")
    func collapsingWhitespace() {
        for text in Self.texts + Self.awkward + ["\ttab\r\nand\u{0B}more\u{0C} "] where text.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(ASCIIText.collapsingWhitespace(text) == text.split(whereSeparator: \.isWhitespace).joined(separator: " "), "\"\(text)\"")
        }
    }

    @Test("A phrase is found in ASCII text where Foundation finds it, and other text is left to Foundation")
    func phraseRange() {
        for text in Self.texts.prefix(400) + Self.awkward {
            for phrase in Set(text.split(separator: " ").map(String.init) + ["qq", "zzz", "ts f", " "]) {
                if let fast = ASCIIText.range(of: phrase, in: text) { #expect(fast == text.range(of: phrase), "\"\(phrase)\" in \"\(text)\"") } else {
                    // Left to Foundation: not ASCII, or a carriage return (half of "\r\n"), or nothing to find.
                    func plain(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D } }
                    #expect(!plain(text) || !plain(phrase) || phrase.isEmpty, "\"\(phrase)\" in \"\(text)\"")
                }
            }
        }
    }

    @Test("Cue words are found as contains finds them")
    func cueWords() {
        let lists = [["note", "log ", "write down"], ["dm", "pm", "am", "alert"], [" solve ", " close out"], ["subscription"]]
        for text in Self.texts + Self.awkward {
            for words in lists {
                #expect(CueWords(words).found(in: text, ascii: ASCIIText.isASCII(text)) == words.contains { text.contains($0) }, "\(words) in \"\(text)\"")
            }
        }
    }

    @Test("The letter-set test never rules out a key within the distance")
    func letterMask() {
        let words = ["acme", "acme corp", "acme crop", "globex", "globxe", "initech", "intiech", "abc", "cab", "umbrella corporation", "umbrela corp",
                     "hooli", "holi", "soylent", "solyent green", "bench customer 100", "bench customr 100", "customer100.example", "qqcustomer"]
        var ruledOut = 0
        for a in words {
            for b in words {
                for limit in 1...2 where !LetterMask(a)!.mayBeWithin(limit, of: LetterMask(b)!) {
                    ruledOut += 1
                    #expect(CustomerDirectory.editDistance(a, b, limit: limit) > limit, "\(a) / \(b) / \(limit)")
                }
            }
        }
        #expect(ruledOut > 100)
        #expect(LetterMask("caf\u{E9}") == nil && LetterMask("a\r\nb") == nil)
    }

    @Test("The status word scans find what their patterns find")
    func statusWords() {
        var matched = 0
        for (words, pattern) in SlotExtractors.statusWordScans {
            for text in Self.texts + Self.awkward + ["opened and unresolved", "reopen", "open_", "open2", "not closedx", "on-hold", "onhold"] {
                let regex = text.firstMatch(of: pattern).map(\.0)
                if regex != nil { matched += 1 }
                // Nil: not ASCII, and the pattern decides.
                guard let scan = ASCIIText.firstWord(in: text, among: words) else { continue }
                #expect(scan.map(String.init) == regex.map(String.init) && scan?.startIndex == regex?.startIndex, "\"\(text)\"")
            }
        }
        #expect(matched > 50)
    }
}
