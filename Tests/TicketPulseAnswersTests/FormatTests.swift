import Foundation
import Testing
@testable import TicketPulseCore
@testable import TicketPulseAnswers

@Suite("Number and date wording")
struct FormatTests {
    @Test("A day label reads as DateFormatter's \"MMM d\" in UTC would, across leap years, centuries and both sides of midnight")
    func dayLabelsMatchDateFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM d"
        var mismatches: [String] = []
        // Every 7 hours from 1969 to 2101: each day of the year is met in many years.
        var date = Date(timeIntervalSince1970: -400 * 86_400)
        while date.timeIntervalSince1970 < 4_134_000_000 {
            if Format.day(date) != formatter.string(from: date) { mismatches.append("\(date)") }
            date.addTimeInterval(7 * 3_600 + 1)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(Format.day(Date(timeIntervalSince1970: 951_782_400)) == "Feb 29")  // 2000-02-29
    }

    @Test("Percents and CSAT read as the C library's printf would write them")
    func numbersMatchPrintf() {
        for value in [0, 0.04, 0.05, 0.449, 0.95, 0.999, 1, 1.5, 2.5, 12.5, 99.5, 100, 250.49] {
            #expect(Format.percent(value) == String(format: value > 0 && value < 1 ? "%.1f%%" : "%.0f%%", value))
        }
        let csat = CSATStatistic(average: 4.25, responses: 12, responseRate: nil, previousAverage: nil, trend: .declining, poor: 0, distribution: [:])
        #expect(Format.csat(csat) == String(format: "%.1f/5 %@ (%d ratings)", 4.25, csat.trend.arrow, 12))
    }
}
