import Foundation
import Testing
@testable import TicketPulseCore

@Suite("SLA policy (PRD-156 Appendix A)")
struct SLAPolicyTests {
    let policy = SLAPolicy.standard
    let created = TicketFactory.daysAgo(10)

    static let targets: [(Priority, Double, Double)] = [(.p1, 1, 4), (.p2, 4, 24), (.p3, 8, 48), (.p4, 24, 72)]

    @Test("Responding exactly at the target is met; one second later is breached", arguments: targets)
    func firstResponseBoundary(priority: Priority, responseHours: Double, resolutionHours: Double) {
        let onTime = TicketFactory.ticket(priority: priority, created: created, firstResponse: created.addingTimeInterval(responseHours * 3600))
        let late = TicketFactory.ticket(priority: priority, created: created, firstResponse: created.addingTimeInterval(responseHours * 3600 + 1))
        #expect(policy.evaluate(onTime, tier: nil, now: TicketFactory.now).firstResponse.state == .met)
        #expect(policy.evaluate(late, tier: nil, now: TicketFactory.now).firstResponse.state == .breached)
    }

    @Test("Resolving exactly at the target is met; one second later is breached", arguments: targets)
    func resolutionBoundary(priority: Priority, responseHours: Double, resolutionHours: Double) {
        let target = created.addingTimeInterval(resolutionHours * 3600)
        let onTime = TicketFactory.ticket(status: .solved, priority: priority, created: created, firstResponse: created, solved: target)
        let late = TicketFactory.ticket(status: .solved, priority: priority, created: created, firstResponse: created, solved: target.addingTimeInterval(1))
        #expect(policy.evaluate(onTime, tier: nil, now: TicketFactory.now).resolution.state == .met)
        #expect(policy.evaluate(late, tier: nil, now: TicketFactory.now).resolution.state == .breached)
        #expect(policy.evaluate(onTime, tier: nil, now: TicketFactory.now).resolution.dueAt == target)
    }

    @Test("A running clock is on track, then at risk at 75%, then breached past due", arguments: targets)
    func runningClock(priority: Priority, responseHours: Double, resolutionHours: Double) {
        let open = TicketFactory.ticket(priority: priority, created: created)
        func state(afterHours hours: Double) -> SLAState {
            policy.evaluate(open, tier: nil, now: created.addingTimeInterval(hours * 3600)).firstResponse.state
        }
        #expect(state(afterHours: responseHours * 0.5) == .onTrack)
        #expect(state(afterHours: responseHours * 0.75) == .atRisk)
        #expect(state(afterHours: responseHours) == .atRisk)
        #expect(state(afterHours: responseHours + 1 / 3600) == .breached)
    }

    @Test("A ticket solved with no first response was answered by the solve")
    func solvedWithoutResponse() {
        let quick = TicketFactory.ticket(status: .solved, priority: .p2, created: created, solved: created.addingTimeInterval(3 * 3600))
        let slow = TicketFactory.ticket(status: .solved, priority: .p2, created: created, solved: created.addingTimeInterval(5 * 3600))
        #expect(policy.evaluate(quick, tier: nil, now: TicketFactory.now).firstResponse.state == .met)
        #expect(policy.evaluate(slow, tier: nil, now: TicketFactory.now).firstResponse.state == .breached)
        #expect(policy.evaluate(slow, tier: nil, now: TicketFactory.now).resolution.state == .met)
    }

    @Test("A reopened ticket's resolution clock runs again from creation")
    func reopened() {
        var ticket = TicketFactory.ticket(status: .open, priority: .p1, created: TicketFactory.hoursAgo(6), firstResponse: TicketFactory.hoursAgo(5.5))
        ticket.reopenCount = 1
        #expect(policy.evaluate(ticket, tier: nil, now: TicketFactory.now).resolution.state == .breached)
        #expect(policy.evaluate(ticket, tier: nil, now: TicketFactory.now).firstResponse.state == .met)
    }

    @Test("Tier overrides replace the default targets")
    func tierOverride() {
        var custom = policy
        custom.tierOverrides[.enterprise] = [.p1: SLATargets(firstResponseHours: 0.5, resolutionHours: 2)]
        let ticket = TicketFactory.ticket(priority: .p1, created: created, firstResponse: created.addingTimeInterval(45 * 60))
        #expect(custom.evaluate(ticket, tier: .enterprise, now: TicketFactory.now).firstResponse.state == .breached)
        #expect(custom.evaluate(ticket, tier: .smb, now: TicketFactory.now).firstResponse.state == .met)
    }

    @Test("Priority words of the support systems map to P1–P4")
    func priorityWords() {
        #expect(Priority(sourceWord: "urgent") == .p1)
        #expect(Priority(sourceWord: "High") == .p2)
        #expect(Priority(sourceWord: "normal") == .p3)
        #expect(Priority(sourceWord: "medium") == .p3)
        #expect(Priority(sourceWord: "low") == .p4)
        #expect(Priority(sourceWord: "whenever") == nil)
    }
}
