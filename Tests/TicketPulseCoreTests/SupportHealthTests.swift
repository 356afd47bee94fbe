import Foundation
import Testing
@testable import TicketPulseCore

@Suite("Support health (PRD-184 FR-5)")
struct SupportHealthTests {
    let now = TicketFactory.now

    func metrics(_ tickets: [Ticket]) -> SupportMetrics {
        MetricsCalculator().metrics(tickets: tickets, period: .trailing(days: 30, endingAt: now), now: now)
    }

    @Test("A calm customer scores high; every signal is explained")
    func healthyCustomer() {
        let tickets = (0..<10).map { index in
            TicketFactory.ticket(id: "\(index)", status: .solved, priority: .p3, created: TicketFactory.daysAgo(Double(index) + 2),
                                 firstResponse: TicketFactory.daysAgo(Double(index) + 2).addingTimeInterval(3600),
                                 solved: TicketFactory.daysAgo(Double(index) + 1.5), csat: 5)
        }
        let health = SupportHealthScorer().score(metrics(tickets), baseHealth: 80)
        #expect(health.score == 100)
        #expect(health.band == .healthy)
        #expect(health.signals.map(\.kind) == HealthSignal.Kind.allCases)
        #expect(health.signals.allSatisfy { !$0.explanation.isEmpty })
        #expect(health.overall == 80 * 0.7 + 100 * 0.3)
    }

    @Test("Poor CSAT, breaches, escalations and an aged backlog pull the score down")
    func troubledCustomer() {
        var tickets = (0..<6).map { index in
            TicketFactory.ticket(id: "s\(index)", status: .solved, priority: .p1, created: TicketFactory.daysAgo(Double(index) + 3),
                                 firstResponse: TicketFactory.daysAgo(Double(index) + 2), solved: TicketFactory.daysAgo(Double(index) + 1), csat: 2)
        }
        tickets += (0..<4).map { TicketFactory.ticket(id: "o\($0)", status: .open, priority: .p2, created: TicketFactory.daysAgo(10), escalated: true) }
        let health = SupportHealthScorer().score(metrics(tickets), baseHealth: nil)
        #expect(health.score < 20)
        #expect(health.band == .atRisk)
        #expect(health.overall == nil)
        #expect(health.signals.first { $0.kind == .escalations }?.explanation.contains("4 escalations open") == true)
    }

    @Test("Weights are configurable and a signal without data gives its weight away")
    func weights() {
        let tickets = [TicketFactory.ticket(status: .open, created: TicketFactory.hoursAgo(1))]
        let onlyBacklog = SupportHealthScorer(weights: HealthWeights(csat: 0, sla: 0, escalations: 0, backlog: 1))
        #expect(onlyBacklog.score(metrics(tickets), baseHealth: nil).score == 100)
        let health = SupportHealthScorer().score(metrics(tickets), baseHealth: nil)
        #expect(health.signals.first { $0.kind == .csat }?.score == nil)
        #expect(health.score == 100)
    }
}
