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

    public static func percent(_ value: Double) -> String { FixedPoint.string(value, decimals: value > 0 && value < 1 ? 1 : 0) + "%" }

    static func csat(_ csat: CSATStatistic) -> String {
        guard let average = csat.average else { return "no ratings" }
        return FixedPoint.string(average, decimals: 1) + "/5 \(csat.trend.arrow) (\(csat.responses) ratings)"
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

    /// "Mar 5", in UTC. By arithmetic (days since 1970 to the Gregorian date): every week
    /// label of a trend is one, and `DateFormatter` cost more than the rest of the block.
    public static func day(_ date: Date) -> String {
        let (_, month, day) = civilDate(daysSince1970: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
        return monthAbbreviations[month - 1] + " \(day)"
    }

    private static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The proleptic Gregorian year, month (1–12) and day (1–31) of a day counted from
    /// 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func month(_ date: Date) -> String {
        monthFormatter.string(from: date)
    }

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
