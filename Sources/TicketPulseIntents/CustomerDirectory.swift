import Foundation
import Synchronization
import TicketPulseCore

/// Resolves what people call a customer ("Acme", "ACME Corp", "acme.io", "Acme's",
/// "Acme Crop") to roster ids.
public struct CustomerDirectory: Sendable {
    struct Entry: Sendable {
        var customer: Customer
        var key: String
        var rule: String
    }

    /// Normalised key (words separated by spaces) → entries.
    private let index: [String: [Entry]]
    private let longestKey: Int
    private let fuzzyKeys: [(key: String, entry: Entry)]
    /// Each fuzzy key's text and character count, apart from its entry: reading the key off
    /// `fuzzyKeys[i]` copied the whole pair (a customer and its strings) at every one of a
    /// question's thousands of comparisons; the count is counted once, not at each.
    private let fuzzyTexts: [String]
    private let fuzzyLengths: [Int]
    /// For each phrase length, the fuzzy keys within two characters of it, in key order:
    /// a phrase is compared with those alone, not with every key of a large roster.
    private let fuzzyKeysByLength: [[Int]]
    /// Each fuzzy key's `LetterMask`, nil when the key is not plain ASCII.
    private let fuzzyMasks: [LetterMask?]
    /// The first words of the index's keys: a phrase that starts with no such word (or,
    /// after empty words, whose first word is none) is in the index neither as it is nor
    /// with its legal suffixes stripped, and is not joined into a string to be looked up.
    private let keyFirstWords: Set<String>
    /// Whether some name has a digit ("Bench Customer 100", "3M"): only then is a customer
    /// looked for before the ticket and period rules read numbers.
    let hasNamesWithDigits: Bool
    /// The phrases that name the roster's tiers (and the built-in ones), longest first.
    let tierPhrases: [(phrase: String, tier: CustomerTier)]
    /// The CSMs' names and emails, for "Sam's accounts".
    let people: PeoplePhrases

    static let legalSuffixes: Set<String> = ["inc", "inc.", "incorporated", "corp", "corp.", "corporation", "co", "co.", "company", "llc", "ltd", "ltd.", "limited", "gmbh", "ag", "plc", "sa", "bv", "group", "holdings"]
    /// Words never taken as a customer on their own, even if a name starts with them.
    static let commonWords: Set<String> = [
        "the", "a", "an", "all", "any", "my", "our", "new", "open", "show", "ticket", "tickets", "support", "customer", "customers", "account", "accounts",
        "massive", "global", "first", "general", "united", "national", "bench", "team", "health", "science", "industries", "systems", "trading", "bank",
        "company", "solutions", "traders", "foods", "enterprises", "logistics", "dynamic", "worldwide", "prestige", "monarch", "umbrella", "aperture",
    ]

    /// The roster this directory was built from, for `restricted(to:)`.
    private let customers: [Customer]
    private let peopleEmails: Set<String>
    private let tiers: Set<CustomerTier>

    /// `people` adds team members the customers' `csmEmail`s do not name (a manager).
    public init(customers: [Customer], people: [CSM] = []) {
        self.init(customers: customers, peopleEmails: Set(customers.compactMap { $0.csmEmail?.lowercased() } + people.map { $0.email.lowercased() }),
                  tiers: Set(customers.map(\.tier)))
    }

    /// The directory of only the customers `ids` names: what an asker's question is read
    /// against, so that a customer outside their scope is looked for exactly as a name the
    /// roster does not have (an unknown name, or no customer at all), and the answer cannot
    /// tell the two apart. The people and the roster's tier names stay: "Sam's accounts"
    /// names a person and "strategic accounts" a tier, not an account.
    public func restricted(to ids: Set<String>) -> CustomerDirectory {
        restrictions.directory(for: ids) {
            CustomerDirectory(customers: customers.filter { ids.contains($0.id) }, peopleEmails: peopleEmails, tiers: tiers)
        }
    }

    /// Directories already restricted, by the ids they keep: an asker's book changes
    /// rarely, and building its index again for every question cost more than reading it.
    /// Shared by the copies of this directory and gone with it (the server builds a new
    /// directory when the roster changes).
    private let restrictions = RestrictionCache()

    private init(customers: [Customer], peopleEmails: Set<String>, tiers: Set<CustomerTier>) {
        self.customers = customers
        self.peopleEmails = peopleEmails
        self.tiers = tiers
        var index: [String: [Entry]] = [:]
        func add(_ key: String, _ customer: Customer, _ rule: String) {
            let key = Self.normalize(key)
            guard !key.isEmpty else { return }
            if index[key]?.contains(where: { $0.customer.id == customer.id }) == true { return }
            index[key, default: []].append(Entry(customer: customer, key: key, rule: rule))
        }
        for customer in customers {
            add(customer.name, customer, "name")
            for alias in customer.aliases { add(alias, customer, "alias") }
            for domain in customer.domains {
                add(domain, customer, "domain")
                // "acme.io" is also said "acme io" once punctuation is spaced out.
                add(domain.replacingOccurrences(of: ".", with: " "), customer, "domain")
            }
            let stripped = Self.stripSuffix(Self.normalize(customer.name))
            if stripped != Self.normalize(customer.name) { add(stripped, customer, "suffix") }
            for alias in customer.aliases {
                let strippedAlias = Self.stripSuffix(Self.normalize(alias))
                if strippedAlias != Self.normalize(alias) { add(strippedAlias, customer, "suffix") }
            }
        }
        // First words of multi-word names ("Stark", "Wayne") when not common words; two
        // customers sharing one make it ambiguous, which is what we want. A name that is only
        // the shared word with a legal suffix ("Acme Corp" beside "Acme Parts Supply") is no
        // clearer for "acme" than the other: both become candidates. A name or alias that is
        // exactly the word ("Acme") is, and wins.
        for customer in customers {
            let words = Self.normalize(customer.name).split(separator: " ")
            guard words.count > 1, let first = words.first.map(String.init), first.count >= 4, !Self.commonWords.contains(first) else { continue }
            if index[first]?.contains(where: { !["partial", "shared", "suffix"].contains($0.rule) }) == true { continue }
            if index[first]?.contains(where: { $0.customer.id == customer.id }) == true { continue }
            let sharedWithSuffixName = index[first]?.contains(where: { $0.rule == "suffix" }) == true
            index[first, default: []].append(Entry(customer: customer, key: first, rule: sharedWithSuffixName ? "shared" : "partial"))
        }
        // Word prefixes of names of three words or more ("acme parts" for Acme Parts Supply):
        // people shorten names, and a shortening that covers more of the message than another
        // customer's name is the clearer reading ("the acme parts account" is not Acme Corp).
        for customer in customers {
            let words = Self.stripSuffix(Self.normalize(customer.name)).split(separator: " ").map(String.init)
            guard words.count >= 3 else { continue }
            for length in 2..<words.count {
                let key = words.prefix(length).joined(separator: " ")
                guard !words.prefix(length).allSatisfy({ Self.commonWords.contains($0) }) else { continue }
                if index[key]?.contains(where: { $0.rule != "prefix" || $0.customer.id == customer.id }) == true { continue }
                index[key, default: []].append(Entry(customer: customer, key: key, rule: "prefix"))
            }
        }
        self.index = index
        longestKey = index.keys.map { $0.split(separator: " ").count }.max() ?? 1
        fuzzyKeys = index.flatMap { key, entries in entries.filter { !["partial", "shared", "prefix"].contains($0.rule) && key.count >= 4 }.map { (key, $0) } }.sorted { $0.key < $1.key }
        hasNamesWithDigits = index.keys.contains { $0.contains(where: \.isNumber) }
        tierPhrases = CompoundSlots.tierPhrases(tiers)
        people = PeoplePhrases(CompoundSlots.people(emails: peopleEmails))
        fuzzyTexts = fuzzyKeys.map(\.key)
        let fuzzyLengths = fuzzyTexts.map(\.count)
        self.fuzzyLengths = fuzzyLengths
        fuzzyKeysByLength = (0...(fuzzyLengths.max() ?? 0) + 2).map { length in fuzzyLengths.indices.filter { abs(fuzzyLengths[$0] - length) <= 2 } }
        fuzzyMasks = fuzzyTexts.map(LetterMask.init)
        keyFirstWords = Set(index.keys.map { key in String(key[..<(key.firstIndex(of: " ") ?? key.endIndex)]) })
    }

    static func normalize(_ text: String) -> String {
        MessageNormalizer.normalize(text).text
    }

    static func stripSuffix(_ key: String) -> String {
        var words = ASCIIText.words(key).map(String.init)
        while words.count > 1, let last = words.last, legalSuffixes.contains(last) { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// Resolves a phrase that is meant to be a customer.
    public func resolve(_ phrase: String) -> CustomerResolution {
        find(in: Self.normalize(phrase))
    }

    /// Finds the best customer mention anywhere in a normalised message.
    public func find(in normalizedMessage: String, excluding vocabulary: Set<String> = []) -> CustomerResolution {
        // No customers (the catalogue's examples at start-up): no phrase can name one.
        guard !index.isEmpty else { return .none }
        let originals = ASCIIText.words(normalizedMessage).map(String.init)
        let words = originals.map { word -> String in
            var word = word
            // "acme's", "globex'": the possessive names the customer.
            if word.hasSuffix("'s") { word.removeLast(2) } else if word.hasSuffix("'") { word.removeLast() }
            // "jane@acme.io": the email's domain names the customer.
            // (Only a word with an "@" byte can hold the character: most have none, and are not walked.)
            if word.utf8.contains(UInt8(ascii: "@")), let at = word.lastIndex(of: "@"), word.index(after: at) < word.endIndex { word = String(word[word.index(after: at)...]) }
            return word
        }
        var best: [CustomerMatch] = []
        var bestScore = 0.0, bestLength = 0
        // Exact names, aliases, domains and their prefixes (score ≥ 0.9) rank by how much of
        // the message they cover, then by score: "acme parts" (a prefix of Acme Parts Supply)
        // is clearer than "acme" (Acme Corp). Typos rank below all of them, by score.
        func better(_ score: Double, _ length: Int) -> Bool {
            let sure = score >= 0.9, bestSure = bestScore >= 0.9
            if sure != bestSure { return sure }
            if sure, length != bestLength { return length > bestLength }
            return score > bestScore + 0.001 || (abs(score - bestScore) <= 0.001 && length > bestLength)
        }
        func consider(_ entries: [Entry], score: Double, length: Int, text: String, rule: String? = nil) {
            let matches = entries.map { CustomerMatch(id: $0.customer.id, name: $0.customer.name, score: score, rule: rule ?? $0.rule, matchedText: text) }
            if better(score, length) {
                best = matches; bestScore = score; bestLength = length
            } else if abs(score - bestScore) <= 0.001 && length == bestLength {
                for match in matches where !best.contains(where: { $0.id == match.id }) { best.append(match) }
            }
        }
        guard !words.isEmpty else { return .none }
        // Whether the typo rule passes over each word (see below), decided once per word
        // rather than once per phrase it is part of.
        let passedOver = words.map { vocabulary.contains($0) || Self.commonWords.contains($0) || $0.count < 3 }
        let opensKey = words.map(keyFirstWords.contains)
        for length in stride(from: min(longestKey + 1, words.count), through: 1, by: -1) {
            for start in 0...(words.count - length) {
                let slice = words[start..<start + length]
                // Empty words vanish when a legal suffix is stripped, so the stripped phrase
                // starts with the first word that is not empty.
                let mayBeKey = slice.indices.first { !slice[$0].isEmpty }.map { opensKey[$0] } ?? false
                // Typos: only for words the questions themselves don't use.
                let mayBeTypo = length <= 3 && !passedOver[start..<start + length].allSatisfy { $0 }
                guard mayBeKey || mayBeTypo else { continue }
                let phrase = slice.joined(separator: " ")
                // The message's own words, so masking them removes "'s" and "jane@" too.
                var text: String { originals[start..<start + length].joined(separator: " ") }
                if mayBeKey {
                    if let entries = index[phrase] {
                        let partial = entries.allSatisfy { $0.rule == "partial" }
                        let prefix = entries.allSatisfy { $0.rule == "prefix" }
                        consider(entries, score: partial ? 0.9 : prefix ? 0.95 : 1.0, length: length, text: text)
                        continue
                    }
                    // Only a legal suffix at the end (or an empty word, "'s" alone) can change the phrase.
                    let stripped = slice.contains(where: \.isEmpty) || Self.legalSuffixes.contains(slice[start + length - 1]) ? Self.stripSuffix(phrase) : phrase
                    if stripped != phrase, let entries = index[stripped], !entries.allSatisfy({ $0.rule == "partial" || $0.rule == "shared" }) {
                        // A legal suffix is decoration: "Initech LLC" names Initech as surely as
                        // "Initech", and the longer phrase wins so "llc" is not left over.
                        consider(entries.filter { $0.rule != "partial" && $0.rule != "shared" }, score: 1.0, length: length, text: text, rule: "suffix")
                        continue
                    }
                }
                let phraseLength = phrase.count
                guard mayBeTypo, phraseLength >= 4, phraseLength < fuzzyKeysByLength.count else { continue }
                let phraseMask = LetterMask(phrase)
                for keyIndex in fuzzyKeysByLength[phraseLength] {
                    let allowed = fuzzyLengths[keyIndex] >= 8 ? 2 : 1
                    // Neither test can pass a key the distance would take: the distance is
                    // at least the difference in length, and at least half the letters
                    // one of the two has and the other lacks.
                    guard abs(fuzzyLengths[keyIndex] - phraseLength) <= allowed else { continue }
                    if let phraseMask, let keyMask = fuzzyMasks[keyIndex], !keyMask.mayBeWithin(allowed, of: phraseMask) { continue }
                    let distance = Self.editDistance(phrase, fuzzyTexts[keyIndex], limit: 2)
                    guard distance <= allowed else { continue }
                    consider([fuzzyKeys[keyIndex].entry], score: 0.85 - Double(distance) * 0.05, length: length, text: text, rule: "fuzzy")
                }
            }
        }
        // Two names of one customer found twice collapse to one.
        var unique: [CustomerMatch] = []
        for match in best where !unique.contains(where: { $0.id == match.id }) { unique.append(match) }
        switch unique.count {
        case 0: return .none
        case 1: return .match(unique[0])
        default: return .ambiguous(unique.sorted { $0.name < $1.name })
        }
    }

    /// The customer a Slack channel is named after ("acme-support", "cs_globex"): its words,
    /// split at dashes and underscores, searched like a message.
    public func resolve(channelName: String) -> CustomerResolution {
        let words = channelName.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "#")).split { $0 == "-" || $0 == "_" || $0 == " " }
        return find(in: Self.normalize(words.joined(separator: " ")))
    }

    /// Edit distance with adjacent transpositions ("Acme Crop" for "Acme Corp"), giving up
    /// early past `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        // Most names and words are ASCII, where a byte is a character: compare bytes without
        // building arrays of characters ("\r\n" is one character of two bytes, so carriage
        // returns take the character path too).
        var a = a, b = b
        let ascii = a.withUTF8 { a in
            b.withUTF8 { b -> Int? in
                func plain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D } }
                return plain(a) && plain(b) ? damerauDistance(a, b, limit: limit) : nil
            }
        }
        return ascii ?? damerauDistance(Array(a), Array(b), limit: limit)
    }

    /// The distance over any two sequences of comparable elements: bytes or characters.
    private static func damerauDistance<C: RandomAccessCollection>(_ a: C, _ b: C, limit: Int) -> Int where C.Element: Equatable, C.Index == Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let (a0, b0) = (a.startIndex, b.startIndex)
        let width = b.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows -> Int in
            var beforePrevious = rows.baseAddress!, previous = beforePrevious + width, current = previous + width
            for j in 0..<width { beforePrevious[j] = 0; previous[j] = j; current[j] = 0 }
            for i in 1...a.count {
                current[0] = i
                var rowMinimum = i
                for j in 1...b.count {
                    let cost = a[a0 + i - 1] == b[b0 + j - 1] ? 0 : 1
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    if i > 1, j > 1, a[a0 + i - 1] == b[b0 + j - 2], a[a0 + i - 2] == b[b0 + j - 1] {
                        current[j] = min(current[j], beforePrevious[j - 2] + 1)
                    }
                    rowMinimum = min(rowMinimum, current[j])
                }
                if rowMinimum > limit { return limit + 1 }
                (beforePrevious, previous, current) = (previous, current, beforePrevious)
            }
            return previous[b.count]
        }
    }
}

/// Which bytes a plain-ASCII text holds, one bit for each (folded onto 64 bits). An edit
/// changes the set by at most two bits (a substitution takes one away and adds one, an
/// insertion or deletion one, a transposition none), so two texts whose sets differ in
/// more than `2 × limit` bits are further apart than `limit`: a test of a few instructions
/// that spares most keys the edit distance. Only for ASCII, where a byte is a character.
struct LetterMask: Sendable {
    let bits: UInt64

    /// Nil unless every byte is ASCII and none a carriage return (as `editDistance` decides).
    init?(_ text: String) {
        var bits: UInt64 = 0
        for byte in text.utf8 {
            guard byte < 0x80, byte != 0x0D else { return nil }
            // Lower-case letters on bits 0–25 of their own (the keys are lower case).
            bits |= 1 << UInt64(byte >= 0x61 ? byte - 0x61 : byte & 63)
        }
        self.bits = bits
    }

    func mayBeWithin(_ limit: Int, of other: LetterMask) -> Bool {
        (bits ^ other.bits).nonzeroBitCount <= 2 * limit
    }
}

/// The restricted directories of one `CustomerDirectory`; emptied when full, which a server
/// with more distinct books than `capacity` pays for with an index build now and then.
final class RestrictionCache: Sendable {
    static let capacity = 256
    private let entries = Mutex<[Set<String>: CustomerDirectory]>([:])

    func directory(for ids: Set<String>, build: () -> CustomerDirectory) -> CustomerDirectory {
        if let known = entries.withLock({ $0[ids] }) { return known }
        let built = build()
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[ids] = built
        }
        return built
    }
}
