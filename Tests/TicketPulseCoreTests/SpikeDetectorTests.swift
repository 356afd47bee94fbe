import Foundation
import Testing
import TicketPulseCore

/// PRD-087 §7.1 (spikes against the 30-day baseline), PRD-156 TC-156.3 and PRD-184 FR-6.
@Suite("Spike and burst detectors")
struct SpikeDetectorTests {
    typealias F = DetectorFixture
    static let windowStart = F.now.addingTimeInterval(-F.day)
    /// 2 tickets a day over the 30 days before the 24-hour window.
    static let baselineOfTwo = F.history(perDay: 2, before: windowStart)

    @Test("§7.1: 2/day at a baseline of 2/day is nothing")
    func normalVolumeIsNothing() {
        let alerts = F.alerts(Self.baselineOfTwo + F.recent(2))
        #expect(alerts.of(.spike).isEmpty)
        #expect(alerts.of(.burst).isEmpty)
        // The two tickets of the day are news, and nothing else fires.
        #expect(alerts.map(\.kind) == [.newTicket, .newTicket])
    }

    @Test("§7.1: 8/day at a baseline of 2/day is a high spike at 4×")
    func eightADayIsHigh() throws {
        let alerts = F.alerts(Self.baselineOfTwo + F.recent(8))
        let spike = try #require(alerts.of(.spike).first)
        #expect(alerts.of(.spike).count == 1)
        #expect(alerts.of(.burst).isEmpty)
        #expect(spike.severity == .high)
        #expect(spike.numbers["count"] == 8)
        #expect(spike.numbers["baseline_per_day"] == 2)
        #expect(spike.numbers["multiple"] == 4)
        #expect(spike.explanation == "8 tickets in 24 h, 4× the 30-day average of 2.0/day; a spike above 3×, critical above 5×")
        #expect(spike.dedupKey == "spike:cus_acme")
        #expect(spike.title == "Ticket spike: Acme Corp")
        #expect(spike.ticketIDs == (0..<8).map { "r\($0)" })
        #expect(alerts.fact("Multiple", of: .spike) == "4× (+300%)")
    }

    @Test("§7.1: 15/day at a baseline of 2/day is critical at 7.5×, and says why")
    func fifteenADayIsCritical() throws {
        let spike = try #require(F.alerts(Self.baselineOfTwo + F.recent(15)).of(.spike).first)
        #expect(spike.severity == .critical)
        #expect(spike.numbers["multiple"] == 7.5)
        #expect(spike.explanation == "15 tickets in 24 h, 7.5× the 30-day average of 2.0/day; critical above 5×")
        #expect(spike.facts.contains(AlertFact("Tickets", "15 in 24 h")))
        #expect(spike.facts.contains(AlertFact("Baseline", "2.0/day")))
    }

    @Test("Exactly 3× is no spike but a burst; exactly 5× is high, not critical",
          arguments: [(6, AlertKind.burst, AlertSeverity.low), (7, .spike, .high), (10, .spike, .high), (11, .spike, .critical)])
    func thresholdsAreStrict(count: Int, kind: AlertKind, severity: AlertSeverity) {
        let volume = F.alerts(Self.baselineOfTwo + F.recent(count)).filter { $0.kind == .spike || $0.kind == .burst }
        #expect(volume.map(\.kind) == [kind])
        #expect(volume.map(\.severity) == [severity])
    }

    @Test("§7.1: a customer onboarded this week uses its tier's baseline and says so")
    func newCustomerUsesTierBaseline() throws {
        let customer = F.customer(tier: .enterprise, onboardedAt: F.now.addingTimeInterval(-5 * F.day))
        // Some history of its own in its first days does not make a 30-day baseline.
        let firstDays = (0..<4).map { F.closed("early\($0)", created: Self.windowStart.addingTimeInterval(-Double($0 + 1) * F.day)) }
        let alerts = F.alerts(firstDays + F.recent(5), customer: customer)
        let spike = try #require(alerts.of(.spike).first)
        #expect(spike.numbers["baseline_per_day"] == 1.5)
        #expect(abs(spike.numbers["multiple"]! - 5 / 1.5) < 1e-9)
        #expect(spike.severity == .high)
        #expect(spike.explanation == "5 tickets in 24 h, 3.3× the enterprise baseline of 1.5/day (no 30-day history yet); a spike above 3×, critical above 5×")
        #expect(spike.facts.contains(AlertFact("Baseline", "1.5/day (enterprise tier)")))
    }

    @Test("The same 5 tickets on an established account with its own quiet history use that history")
    func establishedCustomerUsesOwnBaseline() throws {
        let firstDays = (0..<4).map { F.closed("early\($0)", created: Self.windowStart.addingTimeInterval(-Double($0 + 1) * F.day)) }
        let spike = try #require(F.alerts(firstDays + F.recent(5), customer: F.customer(tier: .enterprise)).of(.spike).first)
        #expect(abs(spike.numbers["baseline_per_day"]! - 4.0 / 30) < 1e-9)
        #expect(spike.explanation.contains("the 30-day average of 0.13/day"))
        #expect(spike.severity == .critical)
    }

    @Test("A customer with no history at all falls back to its tier's baseline", arguments: [
        (CustomerTier.enterprise, 1.5), (.midMarket, 1.0), (.smb, 0.5),
    ])
    func noHistoryUsesTierBaseline(tier: CustomerTier, perDay: Double) {
        let alerts = F.alerts(F.recent(5), customer: F.customer(tier: tier, onboardedAt: nil))
        let volume = alerts.filter { $0.kind == .spike || $0.kind == .burst }
        #expect(volume.count == 1)
        #expect(volume.first?.numbers["baseline_per_day"] == perDay)
    }

    @Test("§7.1: a Saturday spike alerts like any other day (no weekend suppression)")
    func saturdaySpikeAlerts() throws {
        let saturday = F.date("2026-11-21T15:00:00Z")
        let tickets = F.history(perDay: 2, before: saturday.addingTimeInterval(-F.day)) + F.recent(8, before: saturday)
        let spike = try #require(F.alerts(tickets, now: saturday).of(.spike).first)
        #expect(spike.severity == .high)
        #expect(spike.detectedAt == saturday)
    }

    @Test("The spike carries its breakdown by category and priority, and the subjects' themes")
    func breakdownAndThemes() throws {
        let categories: [TicketCategory] = [.technical, .technical, .technical, .technical, .technical, .billing, .billing, .security]
        let priorities: [Priority] = [.p1, .p2, .p2, .p3, .p3, .p3, .p4, .p1]
        let subjects = ["SSO login error on dashboard", "Login error after SSO change", "Login error again", "Dashboard slow to load",
                        "Dashboard export fails", "Invoice shows wrong amount", "Invoice VAT missing", "Suspicious login attempts"]
        let tickets = Self.baselineOfTwo + F.recent(8, category: { categories[$0] }, priority: { priorities[$0] }, subject: { subjects[$0] })
        let alerts = F.alerts(tickets)
        let spike = try #require(alerts.of(.spike).first)
        #expect(alerts.fact("By category", of: .spike) == "technical 5, billing 2, security 1")
        #expect(alerts.fact("By priority", of: .spike) == "P3 3, P1 2, P2 2, P4 1")
        #expect(spike.themes == ["login errors", "dashboard problems", "invoice problems"])
        #expect(alerts.fact("Themes", of: .spike) == "login errors, dashboard problems, invoice problems")
        // The alert's ticket is the newest of the most common category: what a note attaches to.
        #expect(spike.ticket?.externalID == "r0")
        #expect(spike.ticket?.category == .technical)
    }

    @Test("TC-156.3: 3 tickets a week going to 12 a week is a 300% increase, flagged as a spike")
    func weeklyIncreaseIsASpike() throws {
        var settings = DetectorSettings()
        settings.spikeLookback = 7 * F.day
        // Four whole weeks of baseline, so 3 a week is exactly 3 a week.
        settings.baselineDays = 28
        let weekStart = F.now.addingTimeInterval(-7 * F.day)
        let baseline = (0..<12).map { F.closed("h\($0)", created: weekStart.addingTimeInterval(-(Double($0) + 0.5) * 28 * F.day / 12)) }
        let alerts = F.alerts(baseline + F.recent(12, window: 7 * F.day), settings: settings)
        let spike = try #require(alerts.of(.spike).first)
        #expect(abs(spike.numbers["multiple"]! - 4) < 1e-9)
        #expect(alerts.fact("Multiple", of: .spike) == "4× (+300%)")
        #expect(alerts.fact("Tickets", of: .spike) == "12 in 7 days")
        #expect(spike.severity == .high)
        #expect(spike.explanation.hasPrefix("12 tickets in 7 days, 4× the 28-day average of 0.43/day"))
    }

    @Test("TC-156.3: the same 3 a week staying at 3 a week is nothing")
    func steadyWeeklyVolumeIsNothing() {
        var settings = DetectorSettings()
        settings.spikeLookback = 7 * F.day
        settings.baselineDays = 28
        let weekStart = F.now.addingTimeInterval(-7 * F.day)
        let baseline = (0..<12).map { F.closed("h\($0)", created: weekStart.addingTimeInterval(-(Double($0) + 0.5) * 28 * F.day / 12)) }
        let alerts = F.alerts(baseline + F.recent(3, window: 7 * F.day), settings: settings)
        #expect(alerts.of(.spike).isEmpty)
        #expect(alerts.of(.burst).isEmpty)
    }

    @Test("FR-6: 3 tickets in 24 h that are no spike are a low-severity burst")
    func threeInADayIsABurst() throws {
        let alerts = F.alerts(Self.baselineOfTwo + F.recent(3))
        let burst = try #require(alerts.of(.burst).first)
        #expect(alerts.of(.spike).isEmpty)
        #expect(burst.severity == .low)
        #expect(burst.dedupKey == "burst:cus_acme")
        #expect(burst.numbers["count"] == 3)
        #expect(burst.explanation == "3 tickets in 24 h (3 or more alert, PRD-184); 1.5× the 30-day average of 2.0/day, under the 3× spike threshold")
    }

    @Test("A burst is counted in the last 24 h even when the spike window is a week")
    func burstUsesTheLastDay() throws {
        var settings = DetectorSettings()
        settings.spikeLookback = 7 * F.day
        // Busy enough over four weeks that 5 in a week is no spike.
        settings.baselineDays = 28
        let weekStart = F.now.addingTimeInterval(-7 * F.day)
        let baseline = (0..<28).map { F.closed("h\($0)", created: weekStart.addingTimeInterval(-(Double($0) + 0.5) * F.day)) }
        // Five tickets spread over the week: never 3 in one day.
        let spread = F.alerts(baseline + F.recent(5, window: 7 * F.day), settings: settings)
        #expect(spread.of(.burst).isEmpty)
        #expect(spread.of(.spike).isEmpty)
        // Three of them today.
        let today = F.recent(3, window: 12 * F.hour, prefix: "t") + F.recent(2, window: 2 * F.day, before: F.now.addingTimeInterval(-3 * F.day))
        let bunched = F.alerts(baseline + today, settings: settings)
        #expect(bunched.of(.spike).isEmpty)
        let burst = try #require(bunched.of(.burst).first)
        #expect(bunched.of(.burst).count == 1)
        // It names the rule that fired (the day's 3), then how the week compares.
        #expect(burst.title == "3 tickets in 24 h: Acme Corp")
        #expect(burst.explanation == "3 tickets in 24 h (3 or more alert, PRD-184); 5 in 7 days, 0.7× the 28-day average of 1.0/day, under the 3× spike threshold")
        #expect(burst.ticketIDs == ["t0", "t1", "t2"])
        #expect(burst.numbers["burst_count"] == 3)
        #expect(burst.numbers["count"] == 5)
    }

    @Test("A burst is counted in the last 24 h even when the spike window is shorter")
    func burstWithAShortWindow() throws {
        var settings = DetectorSettings()
        settings.spikeLookback = 12 * F.hour
        let tickets = Self.baselineOfTwo + F.recent(2, window: 12 * F.hour) + [F.open("x", created: F.now.addingTimeInterval(-18 * F.hour))]
        let alerts = F.alerts(tickets, settings: settings)
        #expect(alerts.of(.spike).isEmpty)
        let burst = try #require(alerts.of(.burst).first)
        #expect(burst.facts.first == AlertFact("Tickets", "3 in 24 h"))
    }

    @Test("A burst on a busy account is under its baseline, and the multiple says minus")
    func burstUnderTheBaseline() {
        let alerts = F.alerts(F.history(perDay: 5, before: Self.windowStart) + F.recent(3))
        #expect(alerts.fact("Multiple", of: .burst) == "0.6× (-40%)")
    }

    @Test("Deleted tickets and tickets after `now` count for nothing")
    func deletedAndFutureTicketsAreIgnored() {
        let deleted = F.recent(15).map { ticket -> Ticket in
            var ticket = ticket
            ticket.status = .deleted
            return ticket
        }
        let future = F.recent(15, before: F.now.addingTimeInterval(2 * F.day), prefix: "f")
        #expect(F.alerts(Self.baselineOfTwo + deleted + future).isEmpty)
    }
}
