import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseWorkflows

/// The first-start board, "where your accounts stand", stays true: it is updated in place
/// as customers stop needing attention.
@Suite("The board is kept true")
struct BoardKeptTrueTests {
    static let mike = WorkflowFixture.mike.email

    @Test("A customer leaves the board, in place, once what needed attention is solved; nothing is posted anew")
    func solvedLeavesTheBoard() async throws {
        let fixture = try WorkflowFixture(watching: false)
        let acme = try fixture.ticket(WorkflowFixture.acme, id: "old-acme", ago: 3 * 3600)
        try fixture.ticket(WorkflowFixture.globex, id: "old-globex", ago: 3 * 3600, priority: .p2)
        try await fixture.pipeline().evaluate()
        let board = try #require(try fixture.pings(Self.mike).first { $0.key.contains(":*:") })
        #expect(board.message.header == "Where your accounts stand: 1 customer needs attention")

        fixture.clock.advance(600)
        var solved = acme
        solved.status = .solved
        solved.solvedAt = fixture.clock.now
        solved.updatedAt = fixture.clock.now
        try fixture.store.upsert([solved], at: fixture.clock.now)
        let postsBefore = try fixture.outbox().filter { $0.kind == .post }.count
        try await fixture.pipeline().evaluate()

        let update = try #require(try fixture.outbox().last { $0.parentID == board.id && $0.kind == .update })
        #expect(update.message.header == "Where your accounts stand: 0 customers need attention")
        #expect(AlertGroupingTests.text(of: update.message).contains("Nothing needs your attention right now."))
        #expect(try fixture.outbox().filter { $0.kind == .post }.count == postsBefore, "an update, not a new message")

        // Sara's board, about Globex, still open, is left alone; and a pass with nothing new changes nothing.
        let sara = try #require(try fixture.pings(WorkflowFixture.sara.email).first { $0.key.contains(":*:") })
        #expect(try fixture.outbox().filter { $0.parentID == sara.id && $0.kind == .update }.isEmpty)
        let rows = try fixture.outbox().count
        fixture.clock.advance(60)
        try await fixture.pipeline().evaluate()
        #expect(try fixture.outbox().count == rows)
    }
}
