import Foundation

/// Ticket counts per calendar week (starting Monday, UTC) or month across a period.
public enum VolumeSeries {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    public static func weekly(_ dates: [Date], period: Period) -> [VolumePoint] {
        series(dates, period: period, component: .weekOfYear)
    }

    public static func monthly(_ dates: [Date], period: Period) -> [VolumePoint] {
        series(dates, period: period, component: .month)
    }

    /// The start of `date`'s ISO week in UTC (Monday 00:00), in seconds since 1970, which
    /// began on a Thursday.
    static func weekStart(_ date: Date) -> Double {
        let day = (date.timeIntervalSince1970 / 86_400).rounded(.down)
        let sinceMonday = (day + 3).truncatingRemainder(dividingBy: 7)
        return (day - (sinceMonday < 0 ? sinceMonday + 7 : sinceMonday)) * 86_400
    }

    private static func series(_ dates: [Date], period: Period, component: Calendar.Component) -> [VolumePoint] {
        guard period.duration > 0 else { return [] }
        let unit: Calendar.Component = component == .weekOfYear ? .weekOfYear : .month
        var starts: [Date] = []
        if unit == .weekOfYear {
            // In UTC a week is 604,800 s from a Monday's midnight, as the calendar counts it:
            // by arithmetic, since a portfolio's metrics ask for this fifty times an answer.
            var cursor = weekStart(period.start)
            while cursor < period.end.timeIntervalSince1970 {
                starts.append(Date(timeIntervalSince1970: cursor))
                cursor += 7 * 86_400
            }
        } else {
            var cursor = calendar.dateInterval(of: unit, for: period.start)!.start
            while cursor < period.end {
                starts.append(cursor)
                cursor = calendar.date(byAdding: unit, value: 1, to: cursor)!
            }
        }
        var counts = Array(repeating: 0, count: starts.count)
        for date in dates where period.contains(date) {
            // Buckets are sorted: binary search for the last start ≤ date.
            var low = 0, high = starts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if starts[mid] <= date { low = mid } else { high = mid - 1 }
            }
            counts[low] += 1
        }
        return zip(starts, counts).map { VolumePoint(start: $0, count: $1) }
    }
}
