import Foundation
import TicketPulseCore

extension DemoDataGenerator {
    /// The situations of `DemoScenario`, added on top of the customer's ordinary tickets.
    func planted(for customer: Customer, now: Date, rng: inout SeededGenerator, ids: inout ExternalIDs) -> [Ticket] {
        let index = DemoRoster.rows.firstIndex { $0.id == customer.id } ?? 0
        let source = Self.source(forCustomerAt: index)
        func hoursAgo(_ hours: Double) -> Date { now.addingTimeInterval(-hours * 3600) }

        switch customer.id {
        case DemoScenario.spikeCustomerID:
            // About 24 SSO tickets in the last day on a baseline near 4/day: a critical spike.
            return (0..<24).map { n in
                var ticket = self.ticket(for: customer, source: source, created: hoursAgo(Double(n) * 0.95 + 0.2), now: now,
                                         priority: n % 4 == 0 ? .p1 : .p2, category: .technical,
                                         subject: TicketTemplates.spikeSubjects[n % TicketTemplates.spikeSubjects.count], rng: &rng, ids: &ids)
                ticket.status = ticket.firstResponseAt == nil ? .new : .open
                ticket.solvedAt = nil; ticket.closedAt = nil; ticket.csat = nil
                return ticket
            }
        case DemoScenario.escalationsCustomerID:
            return (0..<4).map { n in
                var ticket = self.ticket(for: customer, source: source, created: hoursAgo(Double(20 + n * 40)), now: now,
                                         priority: n == 0 ? .p1 : .p2, rng: &rng, ids: &ids)
                ticket.status = .open
                ticket.solvedAt = nil; ticket.closedAt = nil; ticket.csat = nil
                ticket.escalation = Escalation(reason: TicketTemplates.escalationReasons[n], level: n == 0 ? 2 : 1, escalatedAt: hoursAgo(Double(10 + n * 30)))
                return ticket
            }
        case DemoScenario.slaBreachCustomerID:
            // Five open P1/P2 tickets with no reply past their first-response target, and one at risk.
            let ages: [(Double, Priority)] = [(6, .p1), (30, .p1), (40, .p2), (50, .p2), (60, .p2), (3.3, .p2)]
            return ages.map { age, priority in
                var ticket = self.ticket(for: customer, source: source, created: hoursAgo(age), now: now, priority: priority, category: .technical, rng: &rng, ids: &ids)
                ticket.status = .new
                ticket.firstResponseAt = nil; ticket.solvedAt = nil; ticket.closedAt = nil; ticket.csat = nil; ticket.escalation = nil
                ticket.updatedAt = ticket.createdAt
                return ticket
            }
        default:
            return []
        }
    }
}
