import Foundation
import Testing
@testable import TicketPulseCore

@Suite("Support metrics (PRD-156)")
struct SupportMetricsTests {
    let now = TicketFactory.now
    let calculator = MetricsCalculator()

    @Test("TC-156.1: 12 open tickets are counted open, aged and bucketed")
    func twelveOpenTickets() {
        let priorities: [Priority] = [.p1, .p2, .p2, .p3, .p3, .p3, .p3, .p4, .p4, .p3, .p2, .p1]
        let tickets = priorities.enumerated().map { index, priority in
            TicketFactory.ticket(id: "\(index)", status: index % 3 == 0 ? .pending : .open, priority: priority, created: TicketFactory.hoursAgo(Double(index) * 20 + 1))
        }
        let metrics = calculator.metrics(tickets: tickets, period: .trailing(days: 30, endingAt: now), now: now)
        #expect(metrics.open == 12)
        #expect(metrics.total == 12)
        #expect(metrics.byPriority == [.p1: 2, .p2: 3, .p3: 5, .p4: 2])
        #expect(metrics.aging.reduce(0) { $0 + $1.count } == 12)
        #expect(metrics.aging.first { $0.label == "< 1 day" }?.count == 2) // 1 h and 21 h old
        #expect(tickets[11].age(at: now) == 221 * 3600)
    }

    @Test("TC-156.2: CSAT [5,4,4,3,5,4,3,2,4,5] averages 3.9, with the trend against the previous period")
    func csatAverageAndTrend() {
        let scores = [5, 4, 4, 3, 5, 4, 3, 2, 4, 5]
        let current = scores.enumerated().map { index, score in
            TicketFactory.ticket(id: "c\(index)", status: .solved, created: TicketFactory.daysAgo(Double(index) + 2), solved: TicketFactory.daysAgo(Double(index) + 1), csat: score)
        }
        let previous = [5, 5, 5, 4, 5].enumerated().map { index, score in
            TicketFactory.ticket(id: "p\(index)", status: .closed, created: TicketFactory.daysAgo(Double(index) + 40), solved: TicketFactory.daysAgo(Double(index) + 35), csat: score)
        }
        let metrics = calculator.metrics(tickets: current + previous, period: .trailing(days: 30, endingAt: now), now: now)
        #expect(metrics.csat.average == 3.9)
        #expect(metrics.csat.responses == 10)
        #expect(metrics.csat.previousAverage == 4.8)
        #expect(metrics.csat.trend == .declining) // 3.9 vs 4.8 is −18.75%
        #expect(metrics.csat.poor == 1)
        #expect(metrics.csat.responseRate == 1)
    }

    @Test("CSAT trend rule: ±10% moves the word, fewer than 3 ratings says so")
    func trendRule() {
        let rule = CSATTrendRule()
        #expect(rule.trend(current: [4, 4, 4], previous: [4, 4, 4]) == .stable)
        #expect(rule.trend(current: [5, 5, 4], previous: [4, 4, 4]) == .improving)   // +16.7%
        #expect(rule.trend(current: [4, 4, 4], previous: [4, 4, 5]) == .stable)      // −7.7%
        #expect(rule.trend(current: [3, 4, 3], previous: [4, 4, 4]) == .declining)   // −16.7%
        #expect(rule.trend(current: [1, 1], previous: [5, 5, 5]) == .insufficientData)
    }

    @Test("Escalations, resolution counts, categories and weekly series")
    func escalationsAndSeries() {
        let tickets = [
            TicketFactory.ticket(id: "a", status: .open, priority: .p1, category: .outage, created: TicketFactory.daysAgo(2), escalated: true),
            TicketFactory.ticket(id: "b", status: .solved, category: .billing, created: TicketFactory.daysAgo(9), solved: TicketFactory.daysAgo(8), escalated: true),
            TicketFactory.ticket(id: "c", status: .closed, category: .billing, created: TicketFactory.daysAgo(16), solved: TicketFactory.daysAgo(15)),
            TicketFactory.ticket(id: "d", status: .deleted, created: TicketFactory.daysAgo(3)),
        ]
        let period = Period(start: TicketFactory.daysAgo(21), end: now)
        let metrics = calculator.metrics(tickets: tickets, period: period, now: now)
        #expect(metrics.total == 3)
        #expect(metrics.resolved == 2)
        #expect(metrics.escalations.total == 2)
        #expect(metrics.escalations.open == 1)
        #expect(metrics.escalations.rate == 2.0 / 3.0)
        #expect(metrics.topCategories.first?.category == .billing)
        #expect(metrics.weeklyVolume.reduce(0) { $0 + $1.count } == 3)
        #expect(metrics.weeklyVolume.allSatisfy { VolumeSeries.calendar.component(.weekday, from: $0.start) == 2 }) // Mondays
        #expect(metrics.monthlyVolume.map(\.count).reduce(0, +) == 3)
    }

    @Test("A week's start by arithmetic is the calendar's Monday midnight in UTC, before and after 1970")
    func weekStartIsTheCalendars() {
        let base = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!
        let dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: -4 * 86_400 - 0.5),
                     ISO8601DateFormatter().date(from: "2026-11-16T00:00:00Z")!, ISO8601DateFormatter().date(from: "2026-11-15T23:59:59Z")!]
            + (0..<400).map { base.addingTimeInterval(Double($0) * -31_337.25) }
        for date in dates {
            #expect(VolumeSeries.weekStart(date) == VolumeSeries.calendar.dateInterval(of: .weekOfYear, for: date)!.start.timeIntervalSince1970, "\(date)")
        }
    }
}
