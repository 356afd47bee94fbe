import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseWorkflows

/// Channels (a manager's escalation feed, the escalations channel) get one live message per
/// customer incident, as DMs do: updated in place, the detail in its thread.
@Suite("Channels are grouped by customer")
struct ChannelGroupingTests {
    static let feed = "channel:C0ACMEFEED"

    @Test("A burst of P1s at one customer is one post in a subscribed channel, updated in place, each P1 in its thread; no budget is spent")
    func burstIsOnePost() async throws {
        let fixture = try WorkflowFixture()
        try fixture.store.subscribe(Subscription(target: .channel(id: "C0ACMEFEED"), feed: .all, customerID: "cus_acme", createdBy: WorkflowFixture.ann.email,
                                                 createdAt: WorkflowFixture.now))
        let pipeline = fixture.pipeline()
        try fixture.ticket(WorkflowFixture.acme, id: "p1-a", ago: 60)
        try await pipeline.evaluate()
        for (index, id) in ["p1-b", "p1-c", "p1-d"].enumerated() {
            fixture.clock.advance(120)
            try fixture.ticket(WorkflowFixture.acme, id: id, ago: Double(index))
            try await pipeline.evaluate()
        }
        let posts = try fixture.outbox().filter { $0.kind == .post && $0.recipient == Self.feed }
        #expect(posts.count == 1, "one message in the channel: \(posts.map(\.key))")
        let post = try #require(posts.first)
        #expect(AlertGroupingTests.text(of: post.message).contains("#p1-a"))
        let children = try fixture.outbox().filter { $0.parentID == post.id }
        let thread = children.filter { $0.kind == .thread }.map { AlertGroupingTests.text(of: $0.message) }.joined(separator: "\n")
        for id in ["p1-b", "p1-c", "p1-d"] { #expect(thread.contains("#\(id)"), "\(id) in the thread") }
        let latest = try #require(children.last { $0.kind == .update }?.message)
        #expect(latest.header?.contains("Acme Corp: ") == true && latest.header?.contains("4 new ticket") == true, "\(latest.header ?? "")")
        #expect(latest.fallbackText.contains("p1-d"))
        #expect(try fixture.store.pings(since: .distantPast)[Self.feed] == nil, "a channel has no budget")
        #expect(try fixture.store.liveMessages(customerIDs: ["*"]).allSatisfy { !$0.email.hasPrefix("channel:") }, "nor a board")
    }

    @Test("Security tickets at one customer: one post in the escalations channel, the second in its thread")
    func escalationsChannel() async throws {
        let fixture = try WorkflowFixture()
        let pipeline = fixture.pipeline()
        for id in ["sec-1", "sec-2"] {
            try fixture.ticket(WorkflowFixture.globex, id: id, ago: 30, priority: .p3, category: .security, subject: "Suspicious login from unknown IP")
            try await pipeline.evaluate()
            fixture.clock.advance(900)
        }
        let posts = try fixture.outbox().filter { $0.kind == .post && $0.recipient == "channel:C0ESCALATE" }
        #expect(posts.count == 1)
        let post = try #require(posts.first)
        #expect(try fixture.outbox().contains { $0.parentID == post.id && $0.kind == .thread && AlertGroupingTests.text(of: $0.message).contains("#sec-2") })
    }
}
