import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `top_issues`: recurring categories and subject themes, with counts and shares.
struct TopIssuesHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customers = try await context.askedCustomers()
        let period = context.period(defaultDays: 30)
        let tickets = try await context.store.ticketsCreated(customerIDs: customers.map(\.id), in: period)
            .filter { period.contains($0.createdAt) && $0.status != .deleted }
        let subject = customers.count == 1 ? customers[0].name : "your accounts"
        guard !tickets.isEmpty else {
            let text = "No tickets for \(subject) (\(context.periodText(defaultDays: 30)))."
            return try await context.nothingFound(header: "Top issues: \(subject)", text, shown: customers.map(\.id))
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
        await blocks.append(.context(try Format.freshness(store: context.store, now: context.now)))
        let top = byCategory.first.map { "\($0.key.label) (\($0.value))" } ?? "none"
        return HandlerResult(Reply(header: "Top issues: \(subject)", blocks: blocks, fallbackText: "Top issue for \(subject): \(top)."), shown: customers.map(\.id))
    }
}

/// Recurring themes of ticket subjects, as phrases with their counts: the same reading as
/// the alerts' (`SubjectThemes`), so an answer and an alert about the same tickets agree.
enum Themes {
    static func recurring(in subjects: [String], limit: Int) -> [(phrase: String, count: Int)] {
        SubjectThemes.ranked(subjects, limit: limit)
    }
}
