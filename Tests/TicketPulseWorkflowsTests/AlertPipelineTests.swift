import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseWorkflows

@Suite("Alert pipeline: detect, de-duplicate, route, store")
struct AlertPipelineTests {
    @Test("A critical spike DMs the CSM and the manager, posts to escalations, and runs PRD-087's workflow")
    func criticalSpike() async throws {
        let fixture = try WorkflowFixture()
        try fixture.baseline(WorkflowFixture.acme, perDay: 2)
        try fixture.recent(WorkflowFixture.acme, count: 15)
        let summary = try await fixture.pipeline().evaluate(customerIDs: ["cus_acme"])
        #expect(summary.opened >= 1)

        let spike = try await #require(try fixture.store.liveAlerts().first { $0.alert.kind == .spike })
        #expect(spike.alert.severity == .critical)
        #expect(spike.alert.explanation.hasPrefix("15 tickets in 24 h, 7.5× the 30-day average of 2.0/day; critical above 5×"))
        let posts = try fixture.store.outbox(alertID: spike.id).filter { $0.kind == .post }.map(\.recipient).sorted()
        #expect(posts == ["channel:C0ESCALATE", "user:ann.lee@example.com", "user:mike.chen@example.com"])
        let message = try #require(try fixture.store.outbox(alertID: spike.id).first?.message)
        // The spike arrived with its fifteen tickets: one grouped message, headed by the spike.
        #expect(message.header == "🔴 Acme Corp: 16 open · 15 new ticket, 1 ticket spike")
        let actions = message.blocks.compactMap { block -> [ReplyAction]? in if case .actions(let actions) = block { actions } else { nil } }.first ?? []
        // PRD-087 §5.1's four buttons; acknowledging and snoozing are in the "…" menu.
        #expect(actions.filter { !$0.inMenu }.map(\.label) == ["View tickets", "Draft response", "Start war room", "View customer"])
        #expect(actions.filter(\.inMenu).map(\.label) == ["Acknowledge", "Snooze 1 h", "Snooze 1 day", "Snooze 1 week"])

        let tasks = try fixture.store.tasks(alertID: spike.id)
        #expect(tasks == [AlertTask(title: "Review ticket spike for Acme Corp", assignee: "mike.chen@example.com", dueAt: WorkflowFixture.now.addingTimeInterval(4 * 3600))])
        #expect(try fixture.store.customer(id: "cus_acme")?.healthScore == 63)
        let draft = try #require(try fixture.store.emailDrafts(alertID: spike.id).first)
        #expect(draft.subject == "We're on the issues your team reported today")
        #expect(draft.body.contains("Hi Dana,"))
        #expect(draft.body.contains("15 support tickets"))
    }

    @Test("New tickets during an open spike go to the spike's thread, not to DMs (inhibition)")
    func inhibition() async throws {
        let fixture = try WorkflowFixture()
        try fixture.baseline(WorkflowFixture.acme, perDay: 2)
        try fixture.recent(WorkflowFixture.acme, count: 15, priority: .p2)
        try await fixture.pipeline().evaluate()
        let newTickets = try await fixture.store.liveAlerts().filter { $0.alert.kind == .newTicket }
        #expect(newTickets.count == 15)
        for alert in newTickets {
            let rows = try fixture.store.outbox(alertID: alert.id)
            #expect(rows.allSatisfy { $0.kind == .thread && $0.parentID != nil })
            #expect(rows.count == 3, "one note under each of the spike's three posts")
        }
        let digested = try fixture.store.pendingDigestItems().values.flatMap { $0.map(\.alert.kind) }
        #expect(!digested.contains(.newTicket), "held-back new tickets are not digested either")
    }

    @Test("A pass opening more alerts than one transaction takes stores every one, each with its messages")
    func largePassIsStoredInFull() async throws {
        let fixture = try WorkflowFixture()
        try fixture.baseline(WorkflowFixture.acme, perDay: 2)
        let count = AlertPipeline.plansPerTransaction * 2 + 10
        try fixture.recent(WorkflowFixture.acme, count: count, priority: .p2)
        let summary = try await fixture.pipeline().evaluate()
        #expect(summary.opened > AlertPipeline.plansPerTransaction * 2)
        await #expect(try fixture.store.alerts().count == summary.opened)
        #expect(try fixture.outbox().count == summary.messages)
    }

    @Test("The same condition twice alerts once; a grown incident is noted in its thread and its header updated")
    func deduplicationAndUpdates() async throws {
        let fixture = try WorkflowFixture()
        try fixture.baseline(WorkflowFixture.acme, perDay: 2)
        try fixture.recent(WorkflowFixture.acme, count: 8)
        let pipeline = fixture.pipeline()
        try await pipeline.evaluate()
        let first = try await fixture.store.alerts().count
        let rowsBefore = try fixture.outbox().count
        let again = try await pipeline.evaluate()
        #expect(again.opened == 0 && again.updated == 0)
        await #expect(try fixture.store.alerts().count == first)
        #expect(try fixture.outbox().count == rowsBefore)

        let spike = try await #require(try fixture.store.liveAlerts().first { $0.alert.kind == .spike })
        #expect(spike.alert.severity == .high)
        try fixture.recent(WorkflowFixture.acme, count: 6, prefix: "more")
        let grown = try await pipeline.evaluate()
        #expect(grown.updated == 1)
        let updated = try #require(try fixture.store.alert(id: spike.id))
        #expect(updated.alert.numbers["count"] == 14)
        #expect(updated.alert.severity == .critical)
        let rows = try fixture.store.outbox(alertID: spike.id)
        #expect(rows.filter { $0.kind == .thread }.count == 1)
        #expect(rows.filter { $0.kind == .update }.count == 1)
        #expect(rows.first { $0.kind == .thread }?.message.fallbackText.contains("severity high → *critical*") == true)
    }

    @Test("A condition that no longer holds is resolved and its message updated")
    func resolution() async throws {
        let fixture = try WorkflowFixture()
        try fixture.baseline(WorkflowFixture.acme, perDay: 2)
        try fixture.recent(WorkflowFixture.acme, count: 8)
        let pipeline = fixture.pipeline()
        try await pipeline.evaluate()
        fixture.clock.advance(3 * 86_400)
        let later = try await pipeline.evaluate()
        #expect(later.resolved >= 1)
        await #expect(try fixture.store.liveAlerts().contains { $0.alert.kind == .spike } == false)
        let spike = try await #require(try fixture.store.alerts().first { $0.alert.kind == .spike })
        #expect(spike.status == .resolved)
        // Grouped DMs: the resolution shows in the live message the spike opened (✅), in place.
        let live = try #require(try fixture.store.livePostKeys(alertID: spike.id).first)
        let updates = try fixture.outbox().filter { $0.kind == .update && $0.key.hasPrefix(live + "/update/") }
        #expect(updates.last.map { AlertGroupingTests.text(of: $0.message).contains("✅ Ticket spike") } == true)
    }

    @Test("P3/P4 tickets wait for the daily digest, queued once at the person's time")
    func digestBatching() async throws {
        let fixture = try WorkflowFixture()
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p3)
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p4, prefix: "low")
        try await fixture.pipeline().evaluate()
        let pending = try fixture.store.pendingDigestItems()
        #expect(pending["mike.chen@example.com"]?.count == 2)
        #expect(try fixture.outbox().isEmpty)

        let digests = DigestScheduler(store: fixture.store, messages: fixture.messages)
        // 10:00 is past the default 09:00: due now; a second call the same day queues nothing.
        await #expect(try digests.queueDue(at: fixture.clock.now) == ["mike.chen@example.com"])
        await #expect(try digests.queueDue(at: fixture.clock.now.addingTimeInterval(600)).isEmpty)
        let rows = try fixture.outbox()
        #expect(rows.count == 1)
        #expect(rows[0].recipient == "user:mike.chen@example.com")
        #expect(rows[0].message.header == "Your TicketPulse digest: 2 items")
        #expect(try fixture.store.pendingDigestItems().isEmpty)
    }

    @Test("A digest waits for the time the person chose")
    func digestTime() async throws {
        let fixture = try WorkflowFixture()
        try fixture.store.savePreferences(NotificationPreferences(digestHour: 17, digestMinute: 30), email: WorkflowFixture.mike.email, at: WorkflowFixture.now)
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p3)
        try await fixture.pipeline().evaluate()
        let digests = DigestScheduler(store: fixture.store, messages: fixture.messages)
        await #expect(try digests.queueDue(at: fixture.clock.now).isEmpty)
        await #expect(try digests.queueDue(at: fixture.clock.now.addingTimeInterval(7.5 * 3600)) == ["mike.chen@example.com"])
    }

    @Test("Preferences: P3 DMs when chosen; quiet hours and snoozes send to the digest instead")
    func preferences() async throws {
        let fixture = try WorkflowFixture()
        try fixture.store.savePreferences(NotificationPreferences(dmPriorities: [.p1, .p2, .p3]), email: WorkflowFixture.mike.email, at: WorkflowFixture.now)
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p3)
        try await fixture.pipeline().evaluate()
        #expect(try fixture.outbox().map(\.recipient) == ["user:mike.chen@example.com"])

        let quiet = try WorkflowFixture()
        try quiet.store.savePreferences(NotificationPreferences(quietStartHour: 8, quietEndHour: 12), email: WorkflowFixture.mike.email, at: WorkflowFixture.now)
        try quiet.recent(WorkflowFixture.acme, count: 1, priority: .p2)
        try await quiet.pipeline().evaluate()
        #expect(try quiet.outbox().isEmpty)
        #expect(try quiet.store.pendingDigestItems()["mike.chen@example.com"]?.count == 1)

        let snoozed = try WorkflowFixture()
        try snoozed.store.savePreferences(NotificationPreferences(snoozes: ["cus_acme": WorkflowFixture.now.addingTimeInterval(3600)]), email: WorkflowFixture.mike.email, at: WorkflowFixture.now)
        try snoozed.recent(WorkflowFixture.acme, count: 1, priority: .p1)
        try await snoozed.pipeline().evaluate()
        #expect(try snoozed.outbox().contains { $0.recipient == "user:mike.chen@example.com" } == false)
    }

    @Test("Security tickets always escalate: the CSM, the manager and the escalations channel")
    func securityEscalates() async throws {
        let fixture = try WorkflowFixture()
        try fixture.recent(WorkflowFixture.globex, count: 1, priority: .p4, category: .security, subject: "Suspicious login from unknown IP")
        try await fixture.pipeline().evaluate()
        let recipients = Set(try fixture.outbox().map(\.recipient))
        #expect(recipients == ["user:sara.diaz@example.com", "user:ann.lee@example.com", "channel:C0ESCALATE"])
    }

    @Test("A channel subscribed to a feed gets its alerts; its customer and priority filters hold")
    func subscriptions() async throws {
        let fixture = try WorkflowFixture()
        try fixture.store.subscribe(Subscription(target: .channel(id: "C0NEWP1"), feed: .newTickets, priorities: [.p1], createdBy: "ann.lee@example.com", createdAt: WorkflowFixture.now))
        try fixture.store.subscribe(Subscription(target: .channel(id: "C0GLOBEX"), feed: .all, customerID: "cus_globex", createdBy: "ann.lee@example.com", createdAt: WorkflowFixture.now))
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p1)
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p2, prefix: "p2")
        try await fixture.pipeline().evaluate()
        let channelPosts = try fixture.outbox().filter { $0.recipient.hasPrefix("channel:") }
        #expect(channelPosts.map(\.recipient) == ["channel:C0NEWP1"])
        #expect(channelPosts.first?.message.header?.contains("#r-cus_acme-0") == true)
    }
}
