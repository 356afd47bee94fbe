import Foundation
import TicketPulseCore
import TicketPulseIntents

/// A query parameter the page cannot use: the page says which, and shows nothing filtered by it.
struct InvalidFilter: Error, Sendable {
    var name: String
    var value: String
    var message: String { "Invalid filter \(name): “\(value)” is not one of the choices." }
}

/// The periods the pickers offer, read by the chat's own time parser, so "this month" on a
/// page is the chat's "this month".
enum WebPeriod {
    static let choices = ["last 7 days", "last 30 days", "last 90 days", "this month", "last month", "this quarter"]
    static let defaultChoice = "last 30 days"

    static func resolve(_ text: String?, now: Date, defaultChoice: String = defaultChoice) throws -> (period: Period, choice: String) {
        let choice = text.flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? defaultChoice
        guard choices.contains(choice), let slot = TimeExpressionParser.find(in: choice, now: now) else {
            throw InvalidFilter(name: "period", value: text ?? "")
        }
        return (slot.period, choice)
    }

    static func options(selected: String) -> [[String: Any]] {
        choices.map { ["value": $0, "label": $0.prefix(1).uppercased() + $0.dropFirst(), "selected": $0 == selected] }
    }
}
