import Foundation

/// What a set of tickets is about, as short phrases read off their subjects ("SSO login
/// failures", "SAML assertion errors"): a subject (one or two adjacent topic words) with
/// the trouble the subject names, or two topic words when it names none. A single word
/// was no help in an alert ("users", "error"): words that say who or that something is
/// wrong, never what, are never a theme on their own.
public enum SubjectThemes {
    /// Filler: words that join a subject, never its topic.
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "for", "with", "from", "not", "are", "was", "is", "be", "can", "cannot", "can't", "our", "your",
        "you", "this", "that", "when", "after", "before", "into", "onto", "all", "any", "out", "new", "get", "got", "has", "have",
        "how", "why", "what", "its", "it's", "still", "again", "please", "help", "question", "urgent", "fw", "fwd", "re", "some",
        "working", "does", "doesn't", "don't", "unable", "on", "in", "at", "to", "of", "by", "via", "we", "my", "i", "is", "no",
        "need", "about", "request", "since", "today", "now", "won't", "isn't", "it", "me", "us", "them", "their", "change",
        "changes", "changed", "eu", "uk", "apac", "emea", "every", "each", "seems", "keeps", "keep", "shows", "show", "showing",
        "says", "getting", "using", "returns", "returning", "return", "gives", "giving", "throws", "throwing",
    ]

    /// Words that say who is affected or that something is wrong, not what: part of a
    /// phrase at most, never a theme alone.
    public static let genericWords: Set<String> = [
        "users", "user", "customers", "customer", "people", "team", "teams", "everyone", "issue", "issues", "problem", "problems",
        "ticket", "tickets", "error", "errors", "failing", "fails", "failed", "failure", "failures", "broken", "bug", "bugs",
    ]

    /// Words naming the trouble, with the noun a phrase uses for it ("failing" → "failures").
    static let trouble: [String: String] = [
        "error": "errors", "errors": "errors", "erroring": "errors", "invalid": "errors", "wrong": "errors", "incorrect": "errors",
        "rejected": "rejections", "denied": "rejections",
        "fail": "failures", "fails": "failures", "failed": "failures", "failing": "failures", "failure": "failures", "failures": "failures",
        "broken": "failures", "broke": "failures",
        "locked": "lockouts", "lockout": "lockouts", "lockouts": "lockouts",
        "loop": "loops", "loops": "loops",
        "slow": "slowness", "slowness": "slowness", "lag": "slowness", "latency": "slowness",
        "timeout": "timeouts", "timeouts": "timeouts", "timing": "timeouts",
        "crash": "crashes", "crashes": "crashes", "crashing": "crashes", "crashed": "crashes",
        "down": "outages", "outage": "outages", "outages": "outages", "unavailable": "outages",
        "missing": "gaps", "lost": "gaps",
        "duplicate": "duplicates", "duplicated": "duplicates", "duplicates": "duplicates",
    ]

    /// Written in capitals whatever the subject did.
    static let acronyms: Set<String> = [
        "sso", "saml", "api", "2fa", "mfa", "ui", "ip", "csv", "pdf", "vat", "sla", "csat", "url", "dns", "ssl", "tls", "oauth", "scim", "ldap", "sdk", "crm",
    ]

    /// Up to `limit` themes, most subjects first; each in at least two subjects.
    public static func themes(of subjects: [String], limit: Int = 3) -> [String] {
        ranked(subjects, limit: limit).map(\.phrase)
    }

    /// Up to `limit` themes with the number of subjects each came from. Ties go to the
    /// longer phrase, then alphabetically, so the answer does not depend on ticket order. A
    /// phrase that only refines one already chosen ("SAML assertion errors" after "SAML
    /// errors") is skipped: it would say the same thing twice.
    public static func ranked(_ subjects: [String], limit: Int) -> [(phrase: String, count: Int)] {
        // Each distinct subject is read once, counted as often as it occurs: a portfolio's
        // month repeats many subjects ("Cannot export CSV"), and reading one is most of the work.
        var occurrences: [String: Int] = [:]
        for subject in subjects { occurrences[subject, default: 0] += 1 }
        var counts: [String: Int] = [:]
        var topicCounts: [String: (count: Int, trouble: [String: Int])] = [:]
        for (subject, times) in occurrences {
            let found = phrases(in: subject)
            found.phrases.forEach { counts[$0, default: 0] += times }
            var seen = Set<String>()
            for (topic, troubleNoun) in found.topics where seen.insert(topic).inserted {
                topicCounts[topic, default: (0, [:])].count += times
                if let troubleNoun { topicCounts[topic]?.trouble[troubleNoun, default: 0] += times }
            }
        }
        func words(_ phrase: String) -> Set<String> { Set(phrase.lowercased().split(separator: " ").map(String.init)) }
        var chosen: [(phrase: String, count: Int, words: Set<String>)] = []
        // Words already said, by a chosen phrase or by a refinement of one.
        var covered = Set<String>()
        let sorted = counts.filter { $0.value >= 2 }.map { (phrase: $0.key, count: $0.value, words: words($0.key)) }.sorted {
            ($0.count, $0.words.count, $1.phrase) > ($1.count, $1.words.count, $0.phrase)
        }
        for (phrase, count, mine) in sorted where chosen.count < limit {
            if chosen.contains(where: { $0.words.isSubset(of: mine) || mine.isSubset(of: $0.words) }) {
                covered.formUnion(mine)
                continue
            }
            chosen.append((phrase, count, mine))
            covered.formUnion(mine)
        }
        var ranked = chosen.map { (phrase: $0.phrase, count: $0.count) }
        // A topic in several subjects that no phrase covers still names what the tickets
        // are about, with the trouble its subjects name most ("dashboard slowness"), or as
        // "dashboard problems" when they differ.
        let topics = topicCounts.filter { $0.value.count >= 2 }.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
        for (topic, entry) in topics where ranked.count < limit {
            guard !covered.contains(topic) else { continue }
            covered.insert(topic)
            let common = entry.trouble.filter { $0.value >= 2 }.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            ranked.append(("\(display(topic)) \(common ?? "problems")", entry.count))
        }
        return ranked
    }

    /// The phrases one subject offers, each once, and its single topic words (with the
    /// trouble the subject names next to them) for the fallback.
    static func phrases(in subject: String) -> (phrases: Set<String>, topics: [(String, String?)]) {
        // Punctuation ends a phrase: "Cannot log in: SAML error" is no "login SAML".
        let clauses = subject.split { ":;,()[]!?|/".contains($0) }.flatMap { $0.components(separatedBy: " - ") }
        var found = Set<String>()
        var topics: [(String, String?)] = []
        for clause in clauses {
            let part = phrases(inClause: clause)
            found.formUnion(part.phrases)
            topics += part.topics
        }
        return (found, topics)
    }

    static func phrases(inClause clause: String) -> (phrases: Set<String>, topics: [(String, String?)]) {
        let words = tokens(clause)
        enum Role { case filler, generic, trouble(String), topic }
        let roles: [Role] = words.map { word in
            if let noun = trouble[word] { return .trouble(noun) }
            // An HTTP error status ("returns 500", "SAML error 403") names the trouble too.
            if word.count == 3, word.allSatisfy(\.isNumber), word.first == "4" || word.first == "5" { return .trouble("errors") }
            if stopWords.contains(word) || word.allSatisfy(\.isNumber) { return .filler }
            if genericWords.contains(word) { return .generic }
            return isTheme(word) ? .topic : .filler
        }
        func isTopic(_ index: Int) -> Bool { if case .topic = roles[index] { true } else { false } }
        // Runs of adjacent topic words, at most three long: "sso login", "api rate limit".
        var runs: [Range<Int>] = []
        var index = 0
        while index < words.count {
            guard isTopic(index) else { index += 1; continue }
            var end = index + 1
            while end < words.count, end - index < 3, isTopic(end) { end += 1 }
            runs.append(index..<end)
            index = end
        }
        // The trouble word a run owns: the nearest one reachable across filler and generic
        // words only (after the run first), so "SSO login failing with SAML error" pairs
        // login with failing and SAML with error, not across each other.
        func reach(from start: Int, step: Int) -> (index: Int, noun: String)? {
            var i = start
            while i >= 0, i < words.count {
                switch roles[i] {
                case .trouble(let noun): return (i, noun)
                case .topic: return nil
                case .filler, .generic: i += step
                }
            }
            return nil
        }
        var claimed = Set<Int>()
        var owned: [Range<Int>: String] = [:]
        for run in runs {
            if let after = reach(from: run.upperBound, step: 1), !claimed.contains(after.index) {
                claimed.insert(after.index); owned[run] = after.noun
            }
        }
        for run in runs where owned[run] == nil {
            if let before = reach(from: run.lowerBound - 1, step: -1), !claimed.contains(before.index) {
                claimed.insert(before.index); owned[run] = before.noun
            }
        }
        var found = Set<String>()
        var topics: [(String, String?)] = []
        for run in runs {
            let topic = run.map { display(words[$0]) }.joined(separator: " ")
            if let noun = owned[run] {
                found.insert("\(topic) \(noun)")
            } else if run.count >= 2 {
                found.insert(topic)
            }
            for i in run { topics.append((words[i], owned[run])) }
        }
        return (found, topics)
    }

    /// Every word of the subject, lowercased, short ones included; "log in" is "login".
    static func tokens(_ text: String) -> [String] {
        let words = asciiWords(text) ?? text.lowercased()
            .split { !($0.isLetter || $0.isNumber || $0 == "'") }
            .map(String.init)
        var merged: [String] = []
        var index = 0
        while index < words.count {
            if index + 1 < words.count, ["log", "sign"].contains(words[index]), words[index + 1] == "in" {
                merged.append(words[index] == "log" ? "login" : "sign-in")
                index += 2
            } else {
                merged.append(words[index])
                index += 1
            }
        }
        return merged
    }

    /// `tokens`' words of an ASCII text, read off its bytes (nil for any other text): the
    /// same words, without the grapheme breaking and Unicode properties of each Character
    /// that made reading a portfolio's subjects a third of answering "top issues". In
    /// ASCII, the letters and digits are exactly the bytes below, and lowercasing only
    /// maps A–Z.
    static func asciiWords(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            var words: [String] = []
            var word: [UInt8] = []
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "'"): word.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
                case 0x80...: return nil
                default:
                    if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)); word.removeAll(keepingCapacity: true) }
                }
            }
            if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
            return words
        }
    }

    /// Whether a word can be a topic: not filler, and long enough to mean something.
    static func isTheme(_ word: String) -> Bool {
        (word.count >= 3 || word == "2fa" || word == "ui" || word == "ip") && !stopWords.contains(word) && !genericWords.contains(word)
    }

    static func display(_ word: String) -> String {
        acronyms.contains(word) ? word.uppercased() : word
    }
}
