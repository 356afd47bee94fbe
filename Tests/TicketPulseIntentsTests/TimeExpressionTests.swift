import Foundation
import Testing
import TicketPulseCore
import TicketPulseIntents

/// Each time expression of the catalogue against fixed reference times. Periods are
/// closed-open UTC `[start, end)`.
@Suite("Time expressions")
struct TimeExpressionTests {
    /// A Wednesday afternoon.
    static let wednesday = "2026-11-18T15:00:00Z"

    static func date(_ iso: String) -> Date {
        ISO8601DateFormatter().date(from: iso.count == 10 ? iso + "T00:00:00Z" : iso)!
    }

    /// The period `text` means at `now`, as "start/end" in ISO-8601, or nil when it means none.
    static func period(_ text: String, now: String = wednesday) -> String? {
        let normalized = MessageNormalizer.normalize(text).text
        guard let slot = TimeExpressionParser.find(in: normalized, now: date(now)) else { return nil }
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: slot.period.start) + "/" + formatter.string(from: slot.period.end)
    }

    static func expected(_ start: String, _ end: String) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date(start)) + "/" + formatter.string(from: date(end))
    }

    @Test("Calendar units: today, yesterday, this/last week, month, quarter, year", arguments: [
        ("tickets today", "2026-11-18", "2026-11-19"),
        ("tickets yesterday", "2026-11-17", "2026-11-18"),
        ("this week", "2026-11-16", "2026-11-23"),
        ("last week", "2026-11-09", "2026-11-16"),
        ("this month", "2026-11-01", "2026-12-01"),
        ("last month", "2026-10-01", "2026-11-01"),
        ("previous month", "2026-10-01", "2026-11-01"),
        ("this quarter", "2026-10-01", "2027-01-01"),
        ("last quarter", "2026-07-01", "2026-10-01"),
        ("this year", "2026-01-01", "2027-01-01"),
        ("last year", "2025-01-01", "2026-01-01"),
    ])
    func calendarUnits(text: String, start: String, end: String) {
        #expect(Self.period(text) == Self.expected(start, end))
    }

    @Test("In <month>: the most recent month that has begun, the whole month", arguments: [
        ("csat for acme in march", "2026-03-01", "2026-04-01"),
        ("tickets in november", "2026-11-01", "2026-12-01"),
        // December has not begun in November 2026: last December.
        ("tickets in december", "2025-12-01", "2026-01-01"),
        ("escalations during sept", "2026-09-01", "2026-10-01"),
        ("tickets in may", "2026-05-01", "2026-06-01"),
        ("volume in march 2025", "2025-03-01", "2025-04-01"),
    ])
    func namedMonth(text: String, start: String, end: String) {
        #expect(Self.period(text) == Self.expected(start, end))
    }

    @Test("Words that only start like a month are not months", arguments: [
        "tickets for jane", "anything in junk mail", "questions about marketing", "tickets for acme", "what may break",
    ])
    func notAMonth(text: String) {
        #expect(Self.period(text) == nil)
    }

    @Test("In Q1–Q4: the most recent such quarter that has begun", arguments: [
        ("metrics in q1", "2026-01-01", "2026-04-01"),
        ("metrics in Q2", "2026-04-01", "2026-07-01"),
        ("metrics in q3", "2026-07-01", "2026-10-01"),
        ("metrics for q4", "2026-10-01", "2027-01-01"),
        ("metrics in q4 2025", "2025-10-01", "2026-01-01"),
    ])
    func quarters(text: String, start: String, end: String) {
        #expect(Self.period(text) == Self.expected(start, end))
    }

    @Test("Last/past N days, weeks, months: rolling windows ending now", arguments: [
        ("last 7 days", "2026-11-11T15:00:00Z"),
        ("past 30 days", "2026-10-19T15:00:00Z"),
        ("in the last 2 weeks", "2026-11-04T15:00:00Z"),
        ("over the past three months", "2026-08-18T15:00:00Z"),
        ("last 24 hours", "2026-11-17T15:00:00Z"),
        ("past week", "2026-11-11T15:00:00Z"),
        ("the last few days", "2026-11-15T15:00:00Z"),
    ])
    func rollingWindows(text: String, start: String) {
        #expect(Self.period(text) == Self.expected(start, Self.wednesday))
    }

    @Test("Since <weekday|date|month>: from that day's start until now", arguments: [
        ("since monday", "2026-11-16"),
        ("since last friday", "2026-11-13"),
        ("since Nov 3", "2026-11-03"),
        ("since November 3rd", "2026-11-03"),
        ("since the 3rd of november", "2026-11-03"),
        ("since 2026-11-03", "2026-11-03"),
        ("since 11/3", "2026-11-03"),
        // A date still ahead this year is last year's.
        ("since December 5", "2025-12-05"),
        ("since october", "2026-10-01"),
        ("since december", "2025-12-01"),
        ("since last month", "2026-10-01"),
        ("since the start of this quarter", "2026-10-01"),
    ])
    func since(text: String, start: String) {
        #expect(Self.period(text) == Self.expected(start, Self.wednesday))
    }

    @Test("A bare weekday is the most recent one before today, one whole day", arguments: [
        ("tickets on friday", "2026-11-13"),
        ("what happened monday", "2026-11-16"),
        ("tuesday", "2026-11-17"),
        // Today is Wednesday: "Wednesday" alone is last week's.
        ("wednesday", "2026-11-11"),
        ("last thursday", "2026-11-12"),
    ])
    func bareWeekday(text: String, day: String) {
        let start = Self.date(day)
        #expect(Self.period(text) == Self.expected(day, ISO8601DateFormatter().string(from: start.addingTimeInterval(86_400))))
    }

    @Test("Boundaries: month and year rollover, weeks across New Year, and the day itself")
    func boundaries() {
        let newYearsDay = "2026-01-01T09:30:00Z"
        #expect(Self.period("yesterday", now: newYearsDay) == Self.expected("2025-12-31", "2026-01-01"))
        #expect(Self.period("last month", now: newYearsDay) == Self.expected("2025-12-01", "2026-01-01"))
        #expect(Self.period("last quarter", now: newYearsDay) == Self.expected("2025-10-01", "2026-01-01"))
        #expect(Self.period("this quarter", now: newYearsDay) == Self.expected("2026-01-01", "2026-04-01"))
        #expect(Self.period("in q2", now: newYearsDay) == Self.expected("2025-04-01", "2025-07-01"))
        #expect(Self.period("in january", now: newYearsDay) == Self.expected("2026-01-01", "2026-02-01"))
        #expect(Self.period("this month", now: "2026-12-31T23:59:59Z") == Self.expected("2026-12-01", "2027-01-01"))
        // Thursday 31 Dec 2026: the week began on Monday 28 Dec and ends in January.
        #expect(Self.period("this week", now: "2026-12-31T12:00:00Z") == Self.expected("2026-12-28", "2027-01-04"))
        #expect(Self.period("last week", now: "2027-01-01T12:00:00Z") == Self.expected("2026-12-21", "2026-12-28"))
        // Calendar months, not 30-day steps: from 31 March, last month is all of February.
        #expect(Self.period("last month", now: "2026-03-31T12:00:00Z") == Self.expected("2026-02-01", "2026-03-01"))
        // On a Monday, "since Monday" is the previous Monday (a bare weekday is never today).
        let monday = "2026-11-16T10:00:00Z"
        #expect(Self.period("since monday", now: monday) == Self.expected("2026-11-09", monday))
        #expect(Self.period("monday", now: monday) == Self.expected("2026-11-09", "2026-11-10"))
        #expect(Self.period("today", now: monday) == Self.expected("2026-11-16", "2026-11-17"))
        // Midnight exactly: today has begun, yesterday is whole.
        let midnight = "2026-11-18T00:00:00Z"
        #expect(Self.period("today", now: midnight) == Self.expected("2026-11-18", "2026-11-19"))
        #expect(Self.period("since nov 18", now: midnight) == Self.expected("2026-11-18", midnight))
    }

    @Test("A year after a quarter or month belongs to the period, not to a ticket number", arguments: [
        ("how many P1s did Initech open in Q3 2025?", "2025-07-01", "2025-10-01"), ("support metrics for Acme in March 2025", "2025-03-01", "2025-04-01"),
    ])
    func yearIsNoTicket(message: String, start: String, end: String) {
        let parsed = SharedModel.demoParser().parse(message, now: Self.date(Self.wednesday))
        #expect(parsed.slots.period.map { ISO8601DateFormatter().string(from: $0.period.start) + "/" + ISO8601DateFormatter().string(from: $0.period.end) } == Self.expected(start, end))
        #expect(parsed.slots.ticket == nil)
    }

    @Test("The next weekday, for snoozes: strictly after today", arguments: [("friday", "2026-11-20"), ("monday", "2026-11-23"), ("wednesday", "2026-11-25"), ("Tuesday", "2026-11-24")])
    func nextWeekday(name: String, day: String) {
        #expect(TimeExpressionParser.startOfNext(weekday: name, after: Self.date(Self.wednesday)) == Self.date(day))
    }

    @Test("The words that said the period are kept as its text")
    func periodText() throws {
        let slot = try #require(TimeExpressionParser.find(in: "support stats for acme this quarter", now: Self.date(Self.wednesday)))
        #expect(slot.text == "this quarter")
        #expect(slot.period.start < slot.period.end)
    }
}
