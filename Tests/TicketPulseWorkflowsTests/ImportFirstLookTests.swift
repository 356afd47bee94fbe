import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseWorkflows

/// A new connection importing history for a customer TicketPulse already watches: what
/// held before the import is recorded, not announced; what began in the last hour alerts.
@Suite("A new connection's import for a watched customer is a first look")
struct ImportFirstLookTests {
    static let mike = WorkflowFixture.mike.email

    func freshdesk(_ id: String, ago: TimeInterval, _ fixture: WorkflowFixture) -> Ticket {
        let created = fixture.clock.now.addingTimeInterval(-ago)
        return Ticket(source: .freshdesk, externalID: id, customerID: WorkflowFixture.acme.id, subject: "Checkout fails for all users", status: .open,
                      priority: .p2, createdAt: created, firstResponseAt: created.addingTimeInterval(120))
    }

    @Test("Freshdesk history for Acme, watched through Zendesk: the old tickets go on the board, only the recent one alerts")
    func importForWatchedCustomer() async throws {
        let fixture = try WorkflowFixture(watching: false)
        try fixture.store.markWatched([WorkflowFixture.acme.id, WorkflowFixture.globex.id], sources: [.zendesk], at: WorkflowFixture.now.addingTimeInterval(-30 * 86_400))
        try fixture.ticket(WorkflowFixture.acme, id: "zd-now", ago: 600)
        try await fixture.pipeline().evaluate()
        let incident = try #require(try fixture.pings(Self.mike).first)
        #expect(incident.key.hasPrefix("live:\(Self.mike):cus_acme:"))

        // A day's history arrives from the new connection, and one ticket from ten minutes ago.
        fixture.clock.advance(300)
        let history = (0..<5).map { freshdesk("fd-old-\($0)", ago: Double($0 + 2) * 3600, fixture) }
        try fixture.store.upsert(history + [freshdesk("fd-new", ago: 600, fixture)], at: fixture.clock.now)
        let summary = try await fixture.pipeline().evaluate()
        #expect(summary.recorded >= 5, "the imported history is recorded: \(summary)")

        let rows = try fixture.outbox()
        let thread = rows.filter { $0.parentID == incident.id }.map { AlertGroupingTests.text(of: $0.message) }.joined(separator: "\n")
        #expect(thread.contains("#fd-new"), "what began in the last hour joins the open incident")
        #expect(!thread.contains("#fd-old-"), "nothing from before the import is announced")
        let pings = try fixture.pings(Self.mike)
        let board = try #require(pings.first { $0.key.contains(":*:") }, "the history goes on Mike's board")
        #expect(AlertGroupingTests.text(of: board.message).contains("Acme Corp"))
        #expect(pings.count == 2, "the incident and the board: \(pings.map(\.key))")
        #expect(try fixture.store.watchedSources()[WorkflowFixture.acme.id] == [.zendesk, .freshdesk])

        // The next import page from the same connection is no longer a first look.
        fixture.clock.advance(300)
        try fixture.store.upsert([freshdesk("fd-later", ago: 60, fixture)], at: fixture.clock.now)
        #expect(try await fixture.pipeline().evaluate().recorded == 0)
    }
}
