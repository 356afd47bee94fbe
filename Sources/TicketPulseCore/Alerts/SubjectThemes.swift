import Foundation

/// Recurring words and phrases of ticket subjects ("login error", "sso"): what a spike is about.
public enum SubjectThemes {
    static let stopWords: Set<String> = [
        "the", "and", "for", "with", "from", "not", "are", "was", "can", "cannot", "can't", "our", "your", "you", "this",
        "that", "when", "after", "into", "onto", "all", "any", "out", "new", "get", "got", "has", "have", "how", "why",
        "what", "its", "it's", "still", "again", "please", "help", "issue", "issues", "problem", "question", "ticket",
        "urgent", "fw", "fwd", "re", "some", "users", "user", "working", "does", "doesn't", "don't", "unable",
    ]

    /// Up to `limit` themes, phrases before words, each in at least two subjects.
    public static func themes(of subjects: [String], limit: Int = 3) -> [String] {
        var phraseCounts: [String: Int] = [:]
        var wordCounts: [String: Int] = [:]
        for subject in subjects {
            // Phrases pair neighbours in the subject itself: dropping short words first would
            // make "error on dashboard" the phrase "error dashboard", which nobody wrote.
            let words = tokens(subject)
            let meaningful = words.map { isTheme($0) }
            Set(words.indices.filter { meaningful[$0] }.map { words[$0] }).forEach { wordCounts[$0, default: 0] += 1 }
            var phrases = Set<String>()
            for index in words.indices.dropLast() where meaningful[index] && meaningful[index + 1] {
                phrases.insert("\(words[index]) \(words[index + 1])")
            }
            phrases.forEach { phraseCounts[$0, default: 0] += 1 }
        }
        func ranked(_ counts: [String: Int]) -> [String] {
            counts.filter { $0.value >= 2 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        }
        var chosen: [String] = []
        for phrase in ranked(phraseCounts) where chosen.count < limit { chosen.append(phrase) }
        for word in ranked(wordCounts) where chosen.count < limit && !chosen.contains(where: { $0.split(separator: " ").contains(Substring(word)) }) {
            chosen.append(word)
        }
        return chosen
    }

    /// Every word of the subject, lowercased, short ones included.
    static func tokens(_ text: String) -> [String] {
        text.lowercased()
            .split { !($0.isLetter || $0.isNumber || $0 == "'") }
            .map(String.init)
    }

    /// Whether a word can be a theme: not filler, and long enough to mean something.
    static func isTheme(_ word: String) -> Bool {
        (word.count >= 3 || word == "2fa" || word == "ui" || word == "ip") && !stopWords.contains(word)
    }
}
