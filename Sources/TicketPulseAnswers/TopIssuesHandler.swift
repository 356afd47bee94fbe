import Foundation
import TicketPulseCore
import TicketPulseStore

/// `top_issues`: recurring categories and subject themes, with counts and shares.
struct TopIssuesHandler: IntentHandler {
    func answer(_ context: AnswerContext) throws -> HandlerResult {
        let customers = try context.askedCustomers()
        let period = context.period(defaultDays: 30)
        let tickets = try context.store.ticketsCreated(customerIDs: customers.map(\.id), in: period)
            .filter { period.contains($0.createdAt) && $0.status != .deleted }
        let subject = customers.count == 1 ? customers[0].name : "your accounts"
        guard !tickets.isEmpty else {
            let text = "No tickets for \(subject) (\(context.periodText(defaultDays: 30)))."
            return try context.nothingFound(header: "Top issues: \(subject)", text, shown: customers.map(\.id))
        }
        let byCategory = Dictionary(grouping: tickets, by: \.category).mapValues(\.count).sorted { $0.value > $1.value }
        let themes = Themes.recurring(in: tickets.map(\.subject), limit: 6)
        var blocks: [ReplyBlock] = [
            .section("*\(tickets.count) tickets* for \(subject), \(context.periodText(defaultDays: 30))."),
            .barChart(BarChart(title: "By category", bars: byCategory.map {
                BarChart.Bar(label: $0.key.label, value: Double($0.value), display: "\($0.value) (\(Format.percent(Double($0.value) / Double(tickets.count) * 100)))")
            })),
        ]
        if !themes.isEmpty {
            blocks.append(.table(ReplyTable(columns: ["Recurring theme", "Tickets"], rows: themes.map { [$0.phrase, "\($0.count)"] })))
        }
        blocks.append(.context(try Format.freshness(store: context.store, now: context.now)))
        let top = byCategory.first.map { "\($0.key.label) (\($0.value))" } ?? "none"
        return HandlerResult(Reply(header: "Top issues: \(subject)", blocks: blocks, fallbackText: "Top issue for \(subject): \(top)."), shown: customers.map(\.id))
    }
}

/// Recurring words and two-word phrases in ticket subjects.
enum Themes {
    static let stopwords: Set<String> = ["the", "a", "an", "to", "for", "on", "in", "of", "and", "or", "with", "after", "not", "is", "are", "how", "do", "i", "we", "my", "our", "request", "all", "this", "from", "at", "by", "when", "new", "can", "cannot", "returns", "question", "about", "need"]

    static func recurring(in subjects: [String], limit: Int) -> [(phrase: String, count: Int)] {
        var counts: [String: Int] = [:]
        for subject in subjects {
            let words = subject.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
            var seen = Set<String>()
            for (index, word) in words.enumerated() where !stopwords.contains(word) && word.count > 2 {
                seen.insert(word)
                if index + 1 < words.count, !stopwords.contains(words[index + 1]), words[index + 1].count > 2 {
                    seen.insert(word + " " + words[index + 1])
                }
            }
            for phrase in seen { counts[phrase, default: 0] += 1 }
        }
        // A phrase beats its words when it is nearly as frequent.
        let sorted = counts.filter { $0.value >= 2 }.sorted { $0.value != $1.value ? $0.value > $1.value : ($0.key.contains(" ") ? 0 : 1, $0.key) < ($1.key.contains(" ") ? 0 : 1, $1.key) }
        var chosen: [(String, Int)] = []
        for (phrase, count) in sorted where chosen.count < limit {
            if chosen.contains(where: { $0.0.contains(phrase) || phrase.contains($0.0) }) { continue }
            chosen.append((phrase, count))
        }
        return chosen
    }
}
