/// Maps a word the catalogue never uses to the catalogue word one typo away ("hlep" →
/// "help", "tickts" → "tickets"), so a misspelt keyword still counts as that keyword.
/// The first letter must agree: people rarely get it wrong, and it keeps "came" from
/// becoming "acme".
struct SpellingCorrector: Sendable {
    private let known: Set<String>
    /// Known words by first letter, most frequent first, so ties go to the common word.
    private let byInitial: [Character: [String]]

    init(words: [String]) {
        var counts: [String: Int] = [:]
        for word in words where !word.hasPrefix("qq") && word.count >= 3 && word.allSatisfy(\.isLetter) { counts[word, default: 0] += 1 }
        known = Set(words)
        byInitial = Dictionary(grouping: counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }) { $0.first! }
    }

    /// Chat shorthand, too short for the edit distance to find safely.
    static let shorthand = ["tix": "tickets", "tkts": "tickets", "pls": "please", "plz": "please", "acct": "account", "accts": "accounts",
                            "r": "are", "u": "you", "ur": "your", "esc": "escalation", "escs": "escalations", "thx": "thanks"]

    func correct(_ text: String) -> String {
        ASCIIText.words(text).map { word -> String in
            let word = String(word)
            // Expanded even when the catalogue has the shorthand too: the full word carries far more examples.
            if let expanded = Self.shorthand[word] { return expanded }
            guard word.count >= 4, !known.contains(word), word.allSatisfy(\.isLetter), let first = word.first else { return word }
            let limit = word.count >= 8 ? 2 : 1
            var best: (word: String, distance: Int)?
            for candidate in byInitial[first] ?? [] where abs(candidate.count - word.count) <= limit {
                let distance = CustomerDirectory.editDistance(word, candidate, limit: limit)
                if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
            }
            return best?.word ?? word
        }.joined(separator: " ")
    }
}
