import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseWorkflows

/// "Always ping" is about the account's own CSM: a manager hears of the whole team's
/// overrides, within their own budget, and past it as updates in place.
@Suite("Overrides ping the account's CSM; a manager has them within budget")
struct OverrideOwnerTests {
    static let mike = WorkflowFixture.mike.email
    static let sara = WorkflowFixture.sara.email
    static let ann = WorkflowFixture.ann.email

    @Test("Security tickets always ping their CSM; the manager's ping budget holds, the rest updates her messages in place")
    func managerWithinBudget() async throws {
        var rules = RoutingRules(escalationsChannel: "C0ESCALATE")
        rules.grouping.pingsPerDay = 1
        let fixture = try WorkflowFixture(rules: rules)
        let pipeline = fixture.pipeline()
        // Four security tickets in half an hour, at both of Ann's team's customers.
        for (customer, id) in [(WorkflowFixture.acme, "sec-a1"), (WorkflowFixture.globex, "sec-g1"), (WorkflowFixture.globex, "sec-g2"), (WorkflowFixture.acme, "sec-a2")] {
            try fixture.ticket(customer, id: id, ago: 30, priority: .p3, category: .security, subject: "Suspicious login from unknown IP")
            try await pipeline.evaluate()
            fixture.clock.advance(600)
        }
        #expect(try fixture.pings(Self.mike).count == 2, "each of Acme's security tickets pings Mike")
        #expect(try fixture.pings(Self.sara).count == 2, "each of Globex's pings Sara")
        let ann = try fixture.pings(Self.ann)
        // Her budget's one ping (Acme), and her board, posted once, which takes the rest.
        #expect(ann.count == 2, "\(ann.map(\.key))")
        #expect(ann.contains { $0.key.contains(":*:") })
        // Nothing missed: each of the four is an item of one of her live messages (the Acme
        // message, the board), which were posted or updated in place at once.
        let lines = try await fixture.store.liveMessages().filter { $0.email == Self.ann }
            .flatMap { try StoreJSON.decoder.decode(LiveMessage.self, from: Data($0.stateJSON.utf8)).items.map(\.line) }
        for id in ["sec-a1", "sec-g1", "sec-g2", "sec-a2"] { #expect(lines.contains { $0.contains("#\(id) ") }, "\(id) in Ann's DMs: \(lines)") }
        let updates = try fixture.outbox().filter { row in row.kind == .update && ann.contains { $0.id == row.parentID } }
        #expect(updates.count >= 2, "the board and the Acme message updated in place")
    }
}
