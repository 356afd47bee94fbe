import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Number and date wording shared by all answers.
public enum Format {
    /// Whole percents, but one decimal under 1% so a rare event doesn't read as none ("0.4%", not "0%").
    /// "Acme", "Acme and Globex", "Acme, Globex and Initech".
    static func names(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// "$250k", "$1.5M", "$900".
    static func money(_ value: Double) -> String {
        if value >= 1_000_000 { return "$" + String(format: "%g", (value / 100_000).rounded() / 10) + "M" }
        if value >= 1_000 { return "$" + String(format: "%g", (value / 100).rounded() / 10) + "k" }
        return "$" + String(format: "%g", value)
    }

    public static func percent(_ value: Double) -> String { String(format: value > 0 && value < 1 ? "%.1f%%" : "%.0f%%", value) }

    static func csat(_ csat: CSATStatistic) -> String {
        guard let average = csat.average else { return "no ratings" }
        return String(format: "%.1f/5 %@ (%d ratings)", average, csat.trend.arrow, csat.responses)
    }

    static func periodLabel(_ period: Period) -> String {
        let days = Int((period.duration / 86_400).rounded())
        return "in the last \(days) days"
    }

    public static func age(_ interval: TimeInterval) -> String {
        let hours = interval / 3600
        if hours < 1 { return "\(max(0, Int(interval / 60)))m" }
        if hours < 48 { return "\(Int(hours))h" }
        return "\(Int(hours / 24))d"
    }

    public static func day(_ date: Date) -> String {
        dayFormatter.string(from: date)
    }

    static func month(_ date: Date) -> String {
        monthFormatter.string(from: date)
    }

    private static let dayFormatter = utcFormatter("MMM d")
    private static let monthFormatter = utcFormatter("MMM yyyy")

    private static func utcFormatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    public static func relative(_ date: Date, now: Date) -> String {
        age(now.timeIntervalSince(date)) + " ago"
    }

    /// "Data: Zendesk, Intercom · newest change 4m ago".
    static func freshness(store: any Store, now: Date) async throws -> String {
        let summary = try await store.sourceSummary()
        let systems = summary.newestUpdateBySource.keys.sorted().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: ", ")
        let newest = summary.newestUpdate.map { "newest change " + relative($0, now: now) } ?? "no tickets yet"
        return "Data: \(systems.isEmpty ? "no source synced yet" : systems) · \(newest)"
    }
}
