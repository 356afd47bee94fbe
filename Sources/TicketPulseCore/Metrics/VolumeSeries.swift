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

    private static func series(_ dates: [Date], period: Period, component: Calendar.Component) -> [VolumePoint] {
        guard period.duration > 0 else { return [] }
        let unit: Calendar.Component = component == .weekOfYear ? .weekOfYear : .month
        var starts: [Date] = []
        var cursor = calendar.dateInterval(of: unit, for: period.start)!.start
        while cursor < period.end {
            starts.append(cursor)
            cursor = calendar.date(byAdding: unit, value: 1, to: cursor)!
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
