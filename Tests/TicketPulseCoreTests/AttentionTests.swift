import Foundation
import Testing
import TicketPulseCore

@Suite("Attention rules")
struct AttentionTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func reasons(lastDay: Int, baseline: Double?) -> [String] {
        let metrics = MetricsCalculator().metrics(tickets: [], period: .trailing(days: 30, endingAt: now), now: now)
        let health = SupportHealthScorer().score(metrics, baseHealth: 80)
        return AttentionReasons.evaluate(metrics: metrics, health: health, lastDayCount: lastDay, dailyBaseline: baseline, openBreaches: 0).reasons
    }

    @Test("On a quiet account one or two tickets are no spike, however large the multiple", arguments: [1, 2])
    func fewTicketsAreNoSpike(count: Int) {
        #expect(Self.reasons(lastDay: count, baseline: 0.03).isEmpty)
    }

    @Test("Three tickets above 3× the baseline are a spike, with count and multiple")
    func threeTicketsAboveThreeTimesAreASpike() {
        #expect(Self.reasons(lastDay: 3, baseline: 0.5) == ["spike: 3 tickets in 24 h, 6.0× baseline"])
        #expect(Self.reasons(lastDay: 6, baseline: 2).isEmpty)
        #expect(Self.reasons(lastDay: 7, baseline: 2) == ["spike: 7 tickets in 24 h, 3.5× baseline"])
    }

    @Test("Without a baseline, three tickets in 24 h are worth a look; two are not")
    func noBaseline() {
        #expect(Self.reasons(lastDay: 2, baseline: nil).isEmpty)
        #expect(Self.reasons(lastDay: 3, baseline: nil) == ["3 tickets in 24 h (no baseline yet)"])
    }
}
