import Foundation

/// The `Date:` header (RFC 5322 §3.3), `Wed, 18 Nov 2026 15:00:00 +0000`.
///
/// Written by hand in UTC rather than through a `DateFormatter`: the format is fixed and
/// English whatever the machine's locale, and a formatter is neither cheap nor `Sendable`.
enum RFC5322Date {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[parts.weekday! - 1]), \(two(parts.day)) \(months[parts.month! - 1]) \(parts.year!) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
