import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseWorkflows

@Suite("Backtesting with replay")
struct AlertReplayTests {
    @Test("A past spike is counted once per incident; a higher threshold silences it; nothing is stored")
    func replaySpike() async throws {
        let fixture = try WorkflowFixture()
        try fixture.baseline(WorkflowFixture.acme, perDay: 2)
        try fixture.recent(WorkflowFixture.acme, count: 8, priority: .p3)
        let period = Period(start: WorkflowFixture.now.addingTimeInterval(-6 * 3600), end: WorkflowFixture.now.addingTimeInterval(3600))

        let report = try await AlertReplay(store: fixture.store, router: AlertRouter(rules: fixture.rules, messages: fixture.messages)).run(period, step: 3600)
        #expect(report.steps == 7)
        #expect(report.byRule[.spike]?.alerts == 1)
        #expect(report.byRule[.spike]?.immediate == 1)
        // Each P3 ticket is its own event: routine, so digested, except those held in the spike's thread.
        let newTickets = try #require(report.byRule[.newTicket])
        #expect(newTickets.alerts == 8)
        #expect(newTickets.immediate == 0)
        #expect(newTickets.digestOnly + newTickets.inhibited == 8)
        #expect(report.byCSM["mike.chen@example.com"]?.dms == 1)

        var quieter = fixture.rules
        try quieter.detectors.set("spike.threshold", to: "5")
        let tuned = try await AlertReplay(store: fixture.store, router: AlertRouter(rules: quieter, messages: fixture.messages)).run(period, step: 3600)
        #expect(tuned.byRule[.spike] == nil)
        #expect(tuned.byRule[.burst]?.alerts == 1, "still 3+ in 24 h, now reported as a burst")
        await #expect(try fixture.store.alerts().isEmpty)
        #expect(try fixture.outbox().isEmpty)
    }
}
