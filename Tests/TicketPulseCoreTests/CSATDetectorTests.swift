import Foundation
import Testing
import TicketPulseCore

/// PRD-102: poor ratings alert at once with their context; a falling average alerts weekly.
@Suite("CSAT detectors")
struct CSATDetectorTests {
    typealias F = DetectorFixture

    /// A P2 ticket created 30 h ago, solved 10 h ago (20 h against its 24 h target), rated
    /// two hours ago.
    static func ratedTicket(_ score: Int, id: String = "4521", comment: String? = "Took far too long to fix our SSO",
                            ratedAt: Date = F.now.addingTimeInterval(-2 * F.hour), resolvedAfter: TimeInterval = 20 * F.hour) -> Ticket {
        let created = ratedAt.addingTimeInterval(-8 * F.hour - resolvedAfter)
        var ticket = F.closed(id, created: created, priority: .p2, category: .technical, subject: "SSO login fails for all users",
                              csat: CSATRating(score: score, rawValue: score <= 2 ? "bad" : "good", comment: comment, ratedAt: ratedAt))
        ticket.solvedAt = created.addingTimeInterval(resolvedAfter)
        ticket.closedAt = ticket.solvedAt
        ticket.updatedAt = ratedAt
        return ticket
    }

    /// Earlier rated tickets, `daysBefore` days before the poor rating, created in October.
    static func earlier(_ scores: [Int], daysBefore: Double = 10) -> [Ticket] {
        scores.enumerated().map { index, score in
            ratedTicket(score, id: "e\(index)", comment: nil, ratedAt: F.now.addingTimeInterval(-2 * F.hour - (daysBefore + Double(index)) * F.day))
        }
    }

    @Test("A rating of 1 alerts at once with the ticket, its resolution against SLA, the comment, ARR, tickets this month and the previous average")
    func ratingOfOneAlertsWithContext() throws {
        let customer = F.customer(arr: 50_000)
        // Two tickets created this month (November) besides the rated one, one in October.
        let others = [F.closed("n1", created: F.date("2026-11-02T10:00:00Z")), F.closed("n2", created: F.date("2026-11-10T10:00:00Z")),
                      F.closed("o1", created: F.date("2026-10-30T10:00:00Z"))]
        let alerts = F.alerts([Self.ratedTicket(1)] + Self.earlier([4, 5], daysBefore: 20) + others, customer: customer)
        let low = try #require(alerts.of(.csatLow).first)
        #expect(alerts.of(.csatLow).count == 1)
        #expect(low.severity == .high)
        #expect(low.dedupKey == "csat_low:zendesk:4521")
        #expect(low.title == "Low CSAT: Acme Corp rated 1/5")
        #expect(low.ticket?.externalID == "4521")
        #expect(low.ticket?.category == .technical)
        #expect(low.facts == [
            AlertFact("Rating", "1/5 (bad)"),
            AlertFact("Ticket", "#4521 SSO login fails for all users"),
            AlertFact("Comment", "“Took far too long to fix our SSO”"),
            AlertFact("Category", "technical"),
            AlertFact("Resolution", "20 h against a 24 h target (met)"),
            AlertFact("ARR", "$50,000"),
            // The rated ticket (created 18 Nov) and n1, n2; e0 and e1 were created in October.
            AlertFact("Tickets this month", "3"),
            AlertFact("Previous average", "4.5"),
        ])
        #expect(low.numbers["previous_average"] == 4.5)
        #expect(low.numbers["tickets_this_month"] == 3)
        #expect(low.numbers["arr"] == 50_000)
        #expect(!low.explanation.contains("second low rating"))
        #expect(low.explanation == "rated 1/5 on #4521; 2 or less alerts at once (PRD-102)")
    }

    @Test("A resolution over its target says breached")
    func breachedResolution() {
        let alerts = F.alerts([Self.ratedTicket(2, resolvedAfter: 30 * F.hour)])
        #expect(alerts.fact("Resolution", of: .csatLow) == "30 h against a 24 h target (breached)")
        #expect(alerts.fact("Previous average", of: .csatLow) == "no other ratings in 30 days")
        #expect(alerts.of(.csatLow).first?.numbers["previous_average"] == nil)
    }

    @Test("A second low rating within 30 days is noted, and raises a 2 to high")
    func secondLowRating() throws {
        let alerts = F.alerts([Self.ratedTicket(2)] + Self.earlier([1], daysBefore: 29))
        let low = try #require(alerts.of(.csatLow).first)
        #expect(low.explanation.hasSuffix("; second low rating in 30 days"))
        #expect(low.facts.last == AlertFact("Pattern", "second low rating in 30 days"))
        #expect(low.severity == .high)
        // The earlier low rating is history (rated 29 days ago): it does not alert again.
        #expect(alerts.of(.csatLow).map(\.dedupKey) == ["csat_low:zendesk:4521"])
    }

    @Test("A low rating more than 30 days before is no pattern")
    func earlierLowRatingOutsideTheMonth() throws {
        let low = try #require(F.alerts([Self.ratedTicket(2)] + Self.earlier([1], daysBefore: 31)).of(.csatLow).first)
        #expect(!low.explanation.contains("second low rating"))
        #expect(!low.facts.contains { $0.label == "Pattern" })
        #expect(low.severity == .medium)
    }

    @Test("Severity follows the rating and the account's ARR", arguments: [
        (1, 50_000.0, AlertSeverity.high), (2, 50_000, .medium), (1, 250_000, .critical), (2, 250_000, .high),
    ])
    func severityFromRatingAndARR(score: Int, arr: Double, severity: AlertSeverity) {
        let alerts = F.alerts([Self.ratedTicket(score)], customer: F.customer(arr: arr))
        #expect(alerts.of(.csatLow).map(\.severity) == [severity])
    }

    @Test("ARR reads in whole dollars, grouped by thousands", arguments: [
        (0.0, "$0"), (999, "$999"), (1_000, "$1,000"), (20_000.4, "$20,000"), (1_234_567.6, "$1,234,568"), (400_000_000, "$400,000,000"),
    ])
    func arrFormat(arr: Double, text: String) {
        #expect(F.alerts([Self.ratedTicket(1)], customer: F.customer(arr: arr)).fact("ARR", of: .csatLow) == text)
    }

    @Test("Ratings of 3 and up, and low ratings older than a day, do not alert")
    func onlyFreshPoorRatingsAlert() {
        #expect(F.alerts([Self.ratedTicket(3)]).of(.csatLow).isEmpty)
        #expect(F.alerts([Self.ratedTicket(1, ratedAt: F.now.addingTimeInterval(-25 * F.hour))]).of(.csatLow).isEmpty)
        #expect(F.alerts([Self.ratedTicket(1, ratedAt: F.now.addingTimeInterval(F.hour))]).of(.csatLow).isEmpty)
    }

    // MARK: - Decline

    /// Ratings of `before` in the 30 days before the last 30, and of `recent` in the last 30
    /// (none in the last day, so no rating alerts on its own).
    static func ratings(before: [Int], recent: [Int], now: Date = F.now) -> [Ticket] {
        func rated(_ score: Int, _ id: String, daysAgo: Double) -> Ticket {
            let ratedAt = now.addingTimeInterval(-daysAgo * F.day)
            var ticket = F.closed(id, created: ratedAt.addingTimeInterval(-2 * F.hour), csat: CSATRating(score: score, ratedAt: ratedAt))
            ticket.updatedAt = ratedAt
            return ticket
        }
        return before.enumerated().map { rated($1, "b\($0)", daysAgo: 35 + Double($0) * 3) }
            + recent.enumerated().map { rated($1, "c\($0)", daysAgo: 3 + Double($0) * 3) }
    }

    @Test("A fall of the 30-day average by more than 20% alerts once, keyed by ISO week")
    func declineAlerts() throws {
        let alerts = F.alerts(Self.ratings(before: [4, 5], recent: [2, 3]))
        let decline = try #require(alerts.of(.csatDecline).first)
        #expect(alerts.of(.csatDecline).count == 1)
        #expect(alerts.of(.csatLow).isEmpty)
        #expect(decline.dedupKey == "csat_decline:cus_acme:2026-W47")
        #expect(decline.severity == .high)
        #expect(decline.explanation == "30-day CSAT 2.5, down 44% from 4.5; a fall of more than 20% alerts weekly (PRD-102)")
        #expect(decline.facts.first == AlertFact("Last 30 days", "2.5 (2 ratings)"))
        #expect(decline.facts.contains(AlertFact("30 days before", "4.5 (2 ratings)")))
        #expect(abs(decline.numbers["decline"]! - 2.0 / 4.5) < 1e-9)
    }

    @Test("A fall of exactly 20% is no decline; 30% is a medium one",
          arguments: [([5, 5], [4, 4], nil), ([5, 5], [4, 3], .medium)] as [([Int], [Int], AlertSeverity?)])
    func declineThreshold(before: [Int], recent: [Int], severity: AlertSeverity?) {
        #expect(F.alerts(Self.ratings(before: before, recent: recent)).of(.csatDecline).first?.severity == severity)
    }

    @Test("Too few ratings in either period mean nothing")
    func declineNeedsRatings() {
        #expect(F.alerts(Self.ratings(before: [5], recent: [1, 1])).of(.csatDecline).isEmpty)
        #expect(F.alerts(Self.ratings(before: [5, 5], recent: [1])).of(.csatDecline).isEmpty)
    }

    @Test("The decline key is the ISO week: Monday to Sunday, across the year's end", arguments: [
        ("2026-11-16T00:00:00Z", "2026-W47"), ("2026-11-22T23:59:59Z", "2026-W47"), ("2026-11-23T00:00:00Z", "2026-W48"),
        ("2027-01-01T12:00:00Z", "2026-W53"), ("2027-01-04T09:00:00Z", "2027-W01"),
    ])
    func declineWeekKey(now: String, week: String) {
        let time = F.date(now)
        let alerts = F.alerts(Self.ratings(before: [4, 5], recent: [2, 3], now: time), now: time)
        #expect(alerts.of(.csatDecline).map(\.dedupKey) == ["csat_decline:cus_acme:\(week)"])
    }
}
