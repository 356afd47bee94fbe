import Foundation
import TicketPulseCore

/// Time expressions relative to a reference time, all in UTC, as closed-open periods.
///
/// - Calendar words ("this month", "last week") mean whole calendar units (weeks start on
///   Monday), so "this month" runs to the end of the month; "since last month" runs from
///   the start of last month to now.
/// - "last/past N hours|days|weeks|months" (and "past week", "last few days" = 3) are
///   rolling windows ending now.
/// - A named month or quarter without a year is the most recent one that has begun: in
///   November, "in March" is this March, "in December" last December, "in November" this
///   month. The period is the whole month or quarter.
/// - "since <weekday>" and a bare weekday mean the most recent such day before today, so
///   on a Monday "since Monday" starts a week ago; "since <date|month>" starts on the most
///   recent such date that is not in the future; both run to now.
public enum TimeExpressionParser {
    /// The calendar of every period: ISO weeks (Monday first), UTC.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
    static let monthAbbreviations = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    public static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    static let numberWords = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1, "few": 3]

    /// The start of the next day named `weekday` ("mute until Monday"): a week ahead when
    /// today is that day, as a bare weekday in a question is a week back. Nil for no weekday.
    public static func startOfNext(weekday name: String, after now: Date) -> Date? {
        guard let index = weekdays.firstIndex(of: name.lowercased()) else { return nil }
        let ahead = (index - (calendar.component(.weekday, from: now) - 1) + 7) % 7
        return calendar.date(byAdding: .day, value: ahead == 0 ? 7 : ahead, to: calendar.startOfDay(for: now))
    }

    public static func find(in text: String, now: Date) -> PeriodSlot? {
        // Most texts name no time: the calendar is not asked for today's start until one does.
        lazy var startOfToday = calendar.startOfDay(for: now)
        func day(_ offset: Int) -> Date { calendar.date(byAdding: .day, value: offset, to: startOfToday)! }
        func slot(_ start: Date, _ end: Date, _ match: Substring) -> PeriodSlot {
            PeriodSlot(period: Period(start: start, end: end), text: String(match))
        }
        func unitStart(_ unit: Calendar.Component, _ date: Date) -> Date { calendar.dateInterval(of: unit, for: date)!.start }
        func add(_ unit: Calendar.Component, _ value: Int, _ date: Date) -> Date { calendar.date(byAdding: unit, value: value, to: date)! }
        func quarterStart(_ date: Date) -> Date {
            let month = calendar.component(.month, from: date)
            let year = calendar.component(.year, from: date)
            return calendar.date(from: DateComponents(year: year, month: (month - 1) / 3 * 3 + 1, day: 1))!
        }
        func monthIndex(_ word: Substring) -> Int? {
            let word = word.lowercased()
            // A month is its name or a prefix of it of three letters or more ("sep", "sept"),
            // never a word that merely starts like one ("jane", "junk", "marketing").
            return months.firstIndex(of: word) ?? monthAbbreviations.firstIndex(of: String(word.prefix(3))).flatMap { months[$0].hasPrefix(word) ? $0 : nil }
        }
        func number(_ word: Substring) -> Int? { Int(word) ?? numberWords[String(word)] }
        /// The most recent `weekday` strictly before today.
        func pastWeekday(_ index: Int) -> Date {
            let back = (calendar.component(.weekday, from: now) - 1 - index + 7) % 7
            return day(-(back == 0 ? 7 : back))
        }
        /// Year of a month/day mentioned without one: this year unless that is still ahead.
        func pastDate(month: Int, day dayOfMonth: Int, year: Int?) -> Date? {
            let currentYear = calendar.component(.year, from: now)
            guard let date = calendar.date(from: DateComponents(year: year ?? currentYear, month: month, day: dayOfMonth)) else { return nil }
            if year == nil, date > now { return calendar.date(from: DateComponents(year: currentYear - 1, month: month, day: dayOfMonth)) }
            return date
        }

        // Rolling windows: "last 30 days", "past 2 weeks", "last 24 hours", "past 3 months".
        if TimePattern.lastOrPast.mayMatch(text), let match = text.firstMatch(of: TimePattern.rollingWindow), let count = number(match.1) {
            let unit = match.2
            if unit.hasPrefix("hour") { return slot(now.addingTimeInterval(-Double(count) * 3600), now, match.0) }
            if unit.hasPrefix("day") { return slot(now.addingTimeInterval(-Double(count) * 86_400), now, match.0) }
            if unit.hasPrefix("week") { return slot(now.addingTimeInterval(-Double(count) * 7 * 86_400), now, match.0) }
            if unit.hasPrefix("month") { return slot(add(.month, -count, now), now, match.0) }
            if unit.hasPrefix("quarter") { return slot(add(.month, -3 * count, now), now, match.0) }
            return slot(add(.year, -count, now), now, match.0)
        }
        if TimePattern.lastOrPast.mayMatch(text), let match = text.firstMatch(of: TimePattern.pastUnit),
           !TimePattern.last.mayMatch(text) || text.firstMatch(of: TimePattern.lastUnit) == nil || match.0.hasPrefix("past") {
            switch match.1 {
            case "24h", "day": return slot(now.addingTimeInterval(-86_400), now, match.0)
            case "week": return slot(now.addingTimeInterval(-7 * 86_400), now, match.0)
            case "fortnight": return slot(now.addingTimeInterval(-14 * 86_400), now, match.0)
            case "month": return slot(add(.month, -1, now), now, match.0)
            case "quarter": return slot(add(.month, -3, now), now, match.0)
            default: return slot(add(.year, -1, now), now, match.0)
            }
        }
        if TimePattern.todayWord.mayMatch(text), let match = text.firstMatch(of: TimePattern.today) { return slot(day(0), day(1), match.0) }
        if TimePattern.yesterdayWord.mayMatch(text), let match = text.firstMatch(of: TimePattern.yesterday) { return slot(day(-1), day(0), match.0) }
        if TimePattern.calendarWord.mayMatch(text), let match = text.firstMatch(of: TimePattern.calendarUnit) {
            let isLast = match.2 == "last" || match.2 == "previous"
            let start: Date
            let unit: Calendar.Component
            switch match.3 {
            case "week": unit = .weekOfYear; start = unitStart(.weekOfYear, now)
            case "month": unit = .month; start = unitStart(.month, now)
            case "quarter": unit = .quarter; start = quarterStart(now)
            default: unit = .year; start = unitStart(.year, now)
            }
            let step = unit == .quarter ? 3 : 1
            let stepUnit: Calendar.Component = unit == .quarter ? .month : unit
            let unitStart = isLast ? add(stepUnit, -step, start) : start
            // "since last month" runs from the start of last month up to now.
            if match.1 != nil { return slot(unitStart, now, match.0) }
            return slot(unitStart, add(stepUnit, step, unitStart), match.0)
        }
        if TimePattern.quarterCode.mayMatch(text), let match = text.firstMatch(of: TimePattern.quarter), let quarter = Int(match.2) {
            let currentYear = calendar.component(.year, from: now)
            var year = match.3.flatMap { Int($0) } ?? currentYear
            var start = calendar.date(from: DateComponents(year: year, month: (quarter - 1) * 3 + 1, day: 1))!
            if match.3 == nil, start > now { year -= 1; start = calendar.date(from: DateComponents(year: year, month: (quarter - 1) * 3 + 1, day: 1))! }
            // "since Q2" runs from the start of Q2 until now, not over Q2 alone.
            if match.1 != nil { return slot(start, max(now, start), match.0) }
            return slot(start, add(.month, 3, start), match.0)
        }
        // "since Nov 3", "since November 3rd", "since 3 November", "since 2026-11-03", "since 11/3".
        if TimePattern.since.mayMatch(text), let match = text.firstMatch(of: TimePattern.sinceISODate), let year = Int(match.1), let month = Int(match.2), let dayOfMonth = Int(match.3),
           let start = pastDate(month: month, day: dayOfMonth, year: year) {
            return slot(start, now, match.0)
        }
        if TimePattern.sinceOrFrom.mayMatch(text), let match = text.firstMatch(of: TimePattern.sinceMonthDay), let month = monthIndex(match.1), let dayOfMonth = Int(match.2),
           let start = pastDate(month: month + 1, day: dayOfMonth, year: nil) {
            return slot(start, now, match.0)
        }
        if TimePattern.sinceOrFrom.mayMatch(text), let match = text.firstMatch(of: TimePattern.sinceDayMonth), let month = monthIndex(match.2), let dayOfMonth = Int(match.1),
           let start = pastDate(month: month + 1, day: dayOfMonth, year: nil) {
            return slot(start, now, match.0)
        }
        if TimePattern.since.mayMatch(text), let match = text.firstMatch(of: TimePattern.sinceSlashDate), let month = Int(match.1), let dayOfMonth = Int(match.2),
           let start = pastDate(month: month, day: dayOfMonth, year: nil) {
            return slot(start, now, match.0)
        }
        if TimePattern.since.mayMatch(text), let match = text.firstMatch(of: TimePattern.sinceWeekday), let index = weekdays.firstIndex(of: String(match.1)) {
            return slot(pastWeekday(index), now, match.0)
        }
        // Every candidate is tried: in "csat for acme in march" the first "for …" is no month.
        // Both loops only return for a word that `monthIndex` reads as a month.
        let mayNameMonth = TimePattern.monthStart.mayMatch(text)
        for match in mayNameMonth && TimePattern.since.mayMatch(text) ? text.matches(of: TimePattern.sinceMonth) : [] {
            if let month = monthIndex(match.1), let start = pastDate(month: month + 1, day: 1, year: match.2.flatMap { Int($0) }) { return slot(start, now, match.0) }
        }
        for match in mayNameMonth ? text.matches(of: TimePattern.inMonth) : [] {
            guard let month = monthIndex(match.1), match.1 != "may" || match.0.hasPrefix("in") || match.0.hasPrefix("during") else { continue }
            if let start = pastDate(month: month + 1, day: 1, year: match.2.flatMap { Int($0) }) { return slot(start, add(.month, 1, start), match.0) }
        }
        if TimePattern.weekdayName.mayMatch(text), let match = text.firstMatch(of: TimePattern.weekday), let index = weekdays.firstIndex(of: String(match.1)) {
            let start = pastWeekday(index)
            return slot(start, add(.day, 1, start), match.0)
        }
        if TimePattern.morning.mayMatch(text), let match = text.firstMatch(of: TimePattern.thisMorning) { return slot(day(0), now, match.0) }
        return nil
    }
}

extension TimeExpressionParser {
    /// Every pattern that runs only when its trigger is in the text, with that trigger: the
    /// tests check that each trigger holds a word every match has. (`sinceMonth` and
    /// `inMonth` are also skipped without the start of a month's name; see `monthStart`.)
    static var triggeredPatterns: [(trigger: Trigger, pattern: Regex<AnyRegexOutput>)] {
        [
            (TimePattern.lastOrPast, Regex(TimePattern.rollingWindow)), (TimePattern.lastOrPast, Regex(TimePattern.pastUnit)),
            (TimePattern.last, Regex(TimePattern.lastUnit)), (TimePattern.todayWord, Regex(TimePattern.today)),
            (TimePattern.yesterdayWord, Regex(TimePattern.yesterday)), (TimePattern.calendarWord, Regex(TimePattern.calendarUnit)),
            (TimePattern.quarterCode, Regex(TimePattern.quarter)), (TimePattern.since, Regex(TimePattern.sinceISODate)),
            (TimePattern.sinceOrFrom, Regex(TimePattern.sinceMonthDay)), (TimePattern.sinceOrFrom, Regex(TimePattern.sinceDayMonth)),
            (TimePattern.since, Regex(TimePattern.sinceSlashDate)), (TimePattern.since, Regex(TimePattern.sinceWeekday)),
            (TimePattern.since, Regex(TimePattern.sinceMonth)), (TimePattern.weekdayName, Regex(TimePattern.weekday)),
            (TimePattern.morning, Regex(TimePattern.thisMorning)),
        ]
    }

    static var monthStart: Trigger { TimePattern.monthStart }
}

/// The time patterns, built once: a regex literal is parsed again each time it is evaluated.
private enum TimePattern {
    nonisolated(unsafe) static let rollingWindow = (#/\b(?:last|past|previous|the last|the past|in the last|in the past|over the last|over the past)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few)\s+(hours?|days?|weeks?|months?|quarters?|years?)\b/#).quick
    nonisolated(unsafe) static let pastUnit = (#/\b(?:past|last)\s+(24h|day|week|fortnight|month|quarter|year)\b/#).quick
    nonisolated(unsafe) static let lastUnit = (#/\blast\s+(week|month|quarter|year)\b/#).quick
    nonisolated(unsafe) static let today = (#/\btoday\b/#).quick
    nonisolated(unsafe) static let yesterday = (#/\byesterday\b/#).quick
    nonisolated(unsafe) static let calendarUnit = (#/\b(?:(since)\s+)?(?:the\s+)?(?:(?:start|beginning)\s+of\s+)?(this|current|last|previous)\s+(week|month|quarter|year)\b/#).quick
    nonisolated(unsafe) static let quarter = (#/\b(?:(since|from)\s+(?:the\s+start\s+of\s+)?|in\s+|during\s+|for\s+)?q([1-4])(?:\s+(20\d\d))?\b/#).quick
    nonisolated(unsafe) static let sinceISODate = (#/\bsince\s+(20\d\d)-(\d\d)-(\d\d)\b/#).quick
    nonisolated(unsafe) static let sinceMonthDay = (#/\b(?:since|from)\s+([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b/#).quick
    nonisolated(unsafe) static let sinceDayMonth = (#/\b(?:since|from)\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\b/#).quick
    nonisolated(unsafe) static let sinceSlashDate = (#/\bsince\s+(\d{1,2})\/(\d{1,2})\b/#).quick
    nonisolated(unsafe) static let sinceWeekday = (#/\bsince\s+(?:last\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/#).quick
    nonisolated(unsafe) static let sinceMonth = (#/\bsince\s+([a-z]{3,9})(?:\s+(20\d\d))?\b/#).quick
    nonisolated(unsafe) static let inMonth = (#/\b(?:in|during|for|of)\s+([a-z]{3,9})(?:\s+(20\d\d))?\b/#).quick
    nonisolated(unsafe) static let weekday = (#/\b(?:on\s+|from\s+|last\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/#).quick
    nonisolated(unsafe) static let thisMorning = (#/\bthis\s+morning\b/#).quick

    // Words every match of a pattern above contains: a pattern runs only when its trigger
    // is in the text (see `Trigger`).
    static let lastOrPast = Trigger("last", "past", "previous")
    static let last = Trigger("last")
    static let todayWord = Trigger("today")
    static let yesterdayWord = Trigger("yesterday")
    static let calendarWord = Trigger("week", "month", "quarter", "year")
    static let quarterCode = Trigger("q1", "q2", "q3", "q4")
    static let since = Trigger("since")
    static let sinceOrFrom = Trigger("since", "from")
    /// The three letters a month's name or abbreviation starts with (see `monthIndex`).
    static let monthStart = Trigger("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    static let weekdayName = Trigger("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
    static let morning = Trigger("morning")
}
