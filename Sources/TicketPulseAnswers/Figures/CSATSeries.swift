import Foundation
import TicketPulseCore

/// CSAT averaged per week (per month over periods longer than 100 days) by when each
/// rating came: the `csat_trend` answer's chart, and the dashboard's.
public enum CSATSeries {
    public struct Point: Sendable, Equatable {
        public var start: Date
        public var average: Double
        public var ratings: Int
    }

    public static func isMonthly(_ period: Period) -> Bool { period.duration > 100 * 86_400 }

    /// The tickets rated within `period`, with when (an undated rating counts at the solve, else the last change).
    public static func rated(_ tickets: [Ticket], in period: Period) -> [(ticket: Ticket, at: Date)] {
        tickets.compactMap { ticket in
            guard let csat = ticket.csat else { return nil }
            let at = csat.ratedAt ?? ticket.resolvedAt ?? ticket.updatedAt
            return period.contains(at) ? (ticket, at) : nil
        }
    }

    /// Only buckets with at least one rating.
    public static func points(_ tickets: [Ticket], period: Period) -> [Point] {
        let rated = rated(tickets, in: period).compactMap { rated in rated.ticket.csat.map { (score: $0.score, at: rated.at) } }
        let buckets = isMonthly(period) ? VolumeSeries.monthly([], period: period) : VolumeSeries.weekly([], period: period)
        return buckets.enumerated().compactMap { index, bucket -> Point? in
            let end = index + 1 < buckets.count ? buckets[index + 1].start : period.end
            let scores = rated.filter { $0.at >= bucket.start && $0.at < end }.map(\.score)
            guard !scores.isEmpty else { return nil }
            return Point(start: bucket.start, average: Double(scores.reduce(0, +)) / Double(scores.count), ratings: scores.count)
        }
    }
}
