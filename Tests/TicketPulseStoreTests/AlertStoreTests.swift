import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseSQLite
import TicketPulseStorage

/// The store's side of the alert loop: what detectors read (`activity`), how a pass's
/// decisions land (`apply`), and the outbox the delivery worker drains.
@Suite("Alert store")
struct AlertStoreTests {
    let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!
    let day: TimeInterval = 86_400
    var horizon: Date { now.addingTimeInterval(-60 * day) }

    func ago(_ days: Double) -> Date { now.addingTimeInterval(-days * day) }

    func ticket(_ id: String, customer: String? = "cus_a", created: Date, status: TicketStatus, csatAt: Date? = nil,
                description: String = "Reported through the portal.") -> Ticket {
        var ticket = Ticket(source: .zendesk, externalID: id, customerID: customer, subject: "Subject \(id)", description: description,
                            status: status, priority: .p3, category: .billing, createdAt: created, updatedAt: created.addingTimeInterval(3600))
        if status.isResolved {
            ticket.solvedAt = created.addingTimeInterval(1800)
            ticket.closedAt = status == .closed ? created.addingTimeInterval(3600) : nil
        }
        if let csatAt { ticket.csat = CSATRating(score: 2, rawValue: "bad", comment: "slow", ratedAt: csatAt) }
        return ticket
    }

    /// Two customers with tickets of every kind the query must include or leave out, and a
    /// third with none.
    func seed(_ store: any Store) async throws {
        try await store.upsertCustomers([
            Customer(id: "cus_a", name: "Acme", tier: .enterprise, arr: 400_000, healthScore: 70),
            Customer(id: "cus_b", name: "Globex", tier: .smb, arr: 20_000),
            Customer(id: "cus_c", name: "Initech", tier: .midMarket, arr: 90_000),
        ])
        // Every field set, so the fast reader is compared with the store's own on all of them.
        var rich = ticket("a-recent", created: ago(2), status: .open, description: "A long description the detectors never read.")
        rich.matchRule = "organization"
        rich.priority = .p1
        rich.category = .featureRequest
        rich.tags = ["sso", "enterprise", "vip"]
        rich.requesterEmail = "ann@acme.example"
        rich.assignee = "Sam Agent"
        rich.firstResponseAt = ago(1.9)
        rich.escalation = Escalation(reason: "Exec sponsor asked", level: 2, escalatedAt: ago(1.5))
        rich.firstResponseDueAt = ago(1.8)
        rich.resolutionDueAt = ago(-1)
        rich.subject = "Réunion: SSO ⚠️ broken"
        try await store.upsert([
            rich,
            ticket("a-old-open", created: ago(100), status: .open),
            ticket("a-old-pending", created: ago(120), status: .pending),
            ticket("a-old-closed", created: ago(100), status: .closed),
            ticket("a-old-rated-lately", created: ago(100), status: .closed, csatAt: ago(1)),
            ticket("a-old-rated-long-ago", created: ago(100), status: .closed, csatAt: ago(90)),
            ticket("a-deleted", created: ago(1), status: .deleted),
            ticket("a-old-deleted-open", created: ago(100), status: .deleted),
            ticket("b-recent-closed", customer: "cus_b", created: ago(3), status: .closed),
            ticket("b-at-horizon", customer: "cus_b", created: horizon, status: .solved),
            ticket("b-before-horizon", customer: "cus_b", created: horizon.addingTimeInterval(-1), status: .solved),
            ticket("unmatched", customer: nil, created: ago(1), status: .open),
            ticket("unknown-customer", customer: "cus_gone", created: ago(1), status: .open),
        ], at: now)
    }

    @Test("A full pass reads recent, unresolved and lately rated tickets of every customer, without deleted ones or descriptions", arguments: StoreBackend.available)
    func activityForEveryone(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let activities = try await store.activity(customerIDs: nil, since: horizon)
            #expect(activities.map(\.customer.id) == ["cus_a", "cus_b", "cus_c"])
            let ids = activities.map { Set($0.tickets.map(\.externalID)) }
            #expect(ids[0] == ["a-recent", "a-old-open", "a-old-pending", "a-old-rated-lately"])
            #expect(ids[1] == ["b-recent-closed", "b-at-horizon"])
            #expect(ids[2].isEmpty)
            #expect(activities[0].customer == (try await store.customer(id: "cus_a")))
            // Field for field what the store's own reader returns, but for the description.
            for activity in activities {
                for ticket in activity.tickets {
                    var stored = try #require(try await store.ticket(source: ticket.source, externalID: ticket.externalID)).ticket
                    #expect(!stored.description.isEmpty)
                    stored.description = ""
                    #expect(ticket == stored)
                }
            }
            let rich = try #require(activities[0].tickets.first { $0.externalID == "a-recent" })
            #expect(rich.tags == ["sso", "enterprise", "vip"])
            #expect(rich.subject == "Réunion: SSO ⚠️ broken")
            #expect(rich.escalation == Escalation(reason: "Exec sponsor asked", level: 2, escalatedAt: ago(1.5)))
        }
    }

    @Test("A pass over some customers reads only theirs, in the roster's order", arguments: StoreBackend.available)
    func activityForSomeCustomers(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let some = try await store.activity(customerIDs: ["cus_c", "cus_b"], since: horizon)
            #expect(some.map(\.customer.id) == ["cus_b", "cus_c"])
            #expect(Set(some[0].tickets.map(\.externalID)) == ["b-recent-closed", "b-at-horizon"])
            #expect(some[0].tickets.allSatisfy { $0.description.isEmpty && $0.customerID == "cus_b" })
            #expect(try await store.activity(customerIDs: [], since: horizon).isEmpty)
            #expect(try await store.activity(customerIDs: ["cus_gone"], since: horizon).isEmpty)
            // Both queries agree on the customers they share.
            let all = try await store.activity(customerIDs: nil, since: horizon)
            let scoped = try await store.activity(customerIDs: ["cus_a"], since: horizon)
            #expect(Set(scoped[0].tickets.map(\.externalID)) == Set(all[0].tickets.map(\.externalID)))
        }
    }

    @Test("The detectors run on what the store reads: the lately rated old ticket alerts, the long-ago one does not", arguments: StoreBackend.available)
    func activityFeedsTheDetectors(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let activity = try #require(try await store.activity(customerIDs: ["cus_a"], since: horizon).first)
            let alerts = AlertDetectors().detect(activity, now: now)
            #expect(alerts.filter { $0.kind == .csatLow }.map(\.dedupKey) == ["csat_low:zendesk:a-old-rated-lately"])
            #expect(alerts.contains { $0.kind == .escalation && $0.dedupKey == "escalation:zendesk:a-recent:2" })
            #expect(!alerts.contains { $0.ticketIDs.contains("a-deleted") })
        }
    }

    // MARK: - Alerts

    func alert(_ key: String = "spike:cus_a", customer: Customer = Customer(id: "cus_a", name: "Acme", tier: .enterprise, arr: 400_000)) -> Alert {
        Alert(kind: .spike, severity: .high, customer: customer, dedupKey: key, title: "Ticket spike: Acme",
              explanation: "8 tickets in 24 h, 4× the 30-day average of 2.0/day", numbers: ["count": 8], ticketIDs: ["1", "2"], detectedAt: now)
    }

    func messages(_ text: String = "spike") -> [OutboxMessage] {
        [
            OutboxMessage(key: "post/user:csm@acme.example", kind: .post, recipient: "user:csm@acme.example", message: Reply(header: text, fallbackText: text)),
            OutboxMessage(key: "post/channel:C1", kind: .post, recipient: "channel:C1", message: Reply(fallbackText: text)),
            OutboxMessage(key: "thread/channel:C1", kind: .thread, recipient: "channel:C1", parentKey: "post/channel:C1", message: Reply(fallbackText: "more")),
        ]
    }

    @Test("An alert lands with its messages, digest items, task and health adjustment", arguments: StoreBackend.available)
    func applyOpensAnAlertWithEverything(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let task = AlertTask(title: "Review ticket spike for Acme", assignee: "csm@acme.example", dueAt: now.addingTimeInterval(4 * 3600))
            let opened = try await store.apply([AlertPlan(change: .open(alert()), messages: messages(), digestFor: ["Manager@Acme.example"],
                                                    tasks: [task], healthDelta: -15)], at: now)
            let id = try #require(opened.first)
            let stored = try #require(try await store.alert(id: id))
            #expect(stored.alert == alert())
            #expect(stored.status == .open)
            #expect(try await store.liveAlerts(customerIDs: ["cus_a"]).map(\.id) == [id])
            #expect(try await store.liveAlerts(customerIDs: ["cus_b"]).isEmpty)
            let outbox = try await store.outbox(alertID: id)
            #expect(outbox.map(\.key) == ["alert:\(id)/post/user:csm@acme.example", "alert:\(id)/post/channel:C1", "alert:\(id)/thread/channel:C1"])
            #expect(outbox.allSatisfy { $0.state == .pending && $0.attempts == 0 })
            #expect(outbox[2].parentID == outbox[1].id)
            #expect(outbox[0].message == Reply(header: "spike", fallbackText: "spike"))
            #expect(try await store.tasks(alertID: id) == [task])
            #expect(try await store.healthAdjustment(customerID: "cus_a") == -15)
            #expect(try await store.customer(id: "cus_a")?.healthScore == 55)
            #expect(try await store.pendingDigestItems()["manager@acme.example"]?.map(\.id) == [id])
            #expect(try await store.alertKeysSeen(["spike:cus_a", "spike:cus_b"]) == ["spike:cus_a"])
        }
    }

    @Test("A second live alert with the same key is refused, and the whole pass with it", arguments: StoreBackend.available)
    func sameKeyTwiceIsRefusedAtomically(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            // Two plans for the same incident in one pass: the second breaks the unique index,
            // so neither the first alert nor any message lands.
            await #expect(throws: (any Error).self) {
                try await store.apply([AlertPlan(change: .open(alert()), messages: messages()),
                                 AlertPlan(change: .open(alert()), messages: messages("again"))], at: now)
            }
            #expect(try await store.liveAlerts().isEmpty)
            #expect(try await store.outboxCounts().isEmpty)
            #expect(try await store.alertKeysSeen(["spike:cus_a"]).isEmpty)

            let id = try #require(try await store.apply([AlertPlan(change: .open(alert()), messages: messages())], at: now).first)
            await #expect(throws: (any Error).self) {
                try await store.apply([AlertPlan(change: .open(alert()), messages: messages("again"))], at: now.addingTimeInterval(60))
            }
            #expect(try await store.liveAlerts().map(\.id) == [id])
            #expect(try await store.outboxCounts() == [.pending: 3])
            // An acknowledged alert is still live: the same key is still refused.
            try await store.recordAlertAction(alertID: id, actor: "U1", action: "acknowledge", status: .acknowledged, at: now)
            await #expect(throws: (any Error).self) { try await store.apply([AlertPlan(change: .open(alert()))], at: now.addingTimeInterval(120)) }
            #expect(try await store.alert(id: id)?.acknowledgedBy == "U1")
        }
    }

    @Test("Updating changes the alert in place and threads a note; resolving frees the key for the next incident", arguments: StoreBackend.available)
    func updateResolveAndReopen(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let first = try #require(try await store.apply([AlertPlan(change: .open(alert()), messages: messages())], at: now).first)
            var worse = alert()
            worse.severity = .critical
            let later = now.addingTimeInterval(600)
            let opened = try await store.apply([AlertPlan(change: .update(id: first, worse), messages: [
                OutboxMessage(key: "thread-2/channel:C1", kind: .thread, recipient: "channel:C1", parentKey: "post/channel:C1", message: Reply(fallbackText: "now critical")),
                // Threads under a post that was never made: skipped, not orphaned.
                OutboxMessage(key: "thread/channel:C9", kind: .thread, recipient: "channel:C9", parentKey: "post/channel:C9", message: Reply(fallbackText: "lost")),
            ])], at: later)
            #expect(opened.isEmpty)
            #expect(try await store.alert(id: first)?.alert.severity == .critical)
            #expect(try await store.alert(id: first)?.updatedAt == later)
            #expect(try await store.outbox(alertID: first).map(\.key).last == "alert:\(first)/thread-2/channel:C1")
            #expect(try await store.outbox(alertID: first).count == 4)

            try await store.apply([AlertPlan(change: .resolve(id: first))], at: later.addingTimeInterval(600))
            #expect(try await store.alert(id: first)?.status == .resolved)
            #expect(try await store.liveAlerts().isEmpty)
            // The same condition again later is a new incident with a new id.
            let second = try #require(try await store.apply([AlertPlan(change: .open(alert()), messages: messages())], at: later.addingTimeInterval(1200)).first)
            #expect(second != first)
            #expect(try await store.liveAlerts().map(\.id) == [second])
            #expect(try await store.outbox(alertID: second).map(\.key).first == "alert:\(second)/post/user:csm@acme.example")
            // The resolved one cannot come back to life while the new one is live.
            await #expect(throws: (any Error).self) {
                try await store.recordAlertAction(alertID: first, actor: "U1", action: "reopen", status: .open, at: later.addingTimeInterval(1300))
            }
            try await store.apply([AlertPlan(change: .resolve(id: second))], at: later.addingTimeInterval(1400))
            try await store.recordAlertAction(alertID: first, actor: "U1", action: "reopen", status: .open, at: later.addingTimeInterval(1500))
            #expect(try await store.liveAlerts().map(\.id) == [first])
            #expect(try await store.alertActions(alertID: first).map(\.action) == ["reopen"])
        }
    }

    // MARK: - Outbox

    @Test("dueOutbox picks pending rows whose time has come and in-flight rows left stale by a crash", arguments: StoreBackend.available)
    func dueOutbox(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let id = try #require(try await store.apply([AlertPlan(change: .open(alert()), messages: messages())], at: now).first)
            let rows = try await store.outbox(alertID: id)
            #expect(try await store.dueOutbox(at: now).map(\.id) == rows.map(\.id))
            #expect(try await store.dueOutbox(at: now, staleAfter: 30, limit: 2).map(\.id) == Array(rows.prefix(2)).map(\.id))

            // One being sent right now, one sent, one failed for good.
            #expect(try await store.claimForDelivery(rows[0], at: now))
            #expect(try await store.claimForDelivery(rows[1], at: now))
            try await store.markSent(rows[1].id, channel: "D1", ts: "1700000000.000100", at: now)
            #expect(try await store.claimForDelivery(rows[2], at: now))
            try await store.markAttemptFailed(rows[2].id, error: "channel_not_found", retryAt: nil)
            #expect(try await store.dueOutbox(at: now.addingTimeInterval(29)).isEmpty)
            // After 30 s the in-flight row is a crashed worker's: due again.
            let stale = try await store.dueOutbox(at: now.addingTimeInterval(30))
            #expect(stale.map(\.id) == [rows[0].id])
            #expect(stale.first?.state == .inFlight)
            #expect(stale.first?.attempts == 1)
            #expect(stale.first?.inFlightSince == now)

            let sent = try #require(try await store.outboxRow(id: rows[1].id))
            #expect(sent.state == .sent)
            #expect(sent.channel == "D1")
            #expect(sent.ts == "1700000000.000100")
            #expect(try await store.outboxRow(id: rows[2].id)?.state == .failed)
            #expect(try await store.outboxCounts() == [.inFlight: 1, .sent: 1, .failed: 1])
        }
    }

    @Test("A failed attempt with a retry time waits for it, then is pending again", arguments: StoreBackend.available)
    func retryLater(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let id = try #require(try await store.apply([AlertPlan(change: .open(alert()), messages: Array(messages().prefix(1)))], at: now).first)
            let row = try #require(try await store.outbox(alertID: id).first)
            #expect(try await store.claimForDelivery(row, at: now))
            try await store.markAttemptFailed(row.id, error: "ratelimited", retryAt: now.addingTimeInterval(30))
            #expect(try await store.dueOutbox(at: now.addingTimeInterval(29)).isEmpty)
            let due = try #require(try await store.dueOutbox(at: now.addingTimeInterval(30)).first)
            #expect(due.id == row.id)
            #expect(due.state == .pending)
            #expect(due.inFlightSince == nil)
            #expect(due.attempts == 1)
        }
    }

    @Test("Of two deliverers that read the same row, one claims it; a row left stale is claimed again from a fresh read", arguments: StoreBackend.available)
    func claimForDelivery(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let id = try #require(try await store.apply([AlertPlan(change: .open(alert()), messages: Array(messages().prefix(1)))], at: now).first)
            let read = try #require(try await store.outbox(alertID: id).first)
            #expect(try await store.claimForDelivery(read, at: now))
            // The other replica's copy of the same read is out of date now.
            #expect(try await store.claimForDelivery(read, at: now) == false)
            #expect(try await store.outboxRow(id: read.id)?.attempts == 1)

            // The first died mid-send: the row is due again once stale, and a fresh read claims it.
            let stale = try #require(try await store.dueOutbox(at: now.addingTimeInterval(30)).first)
            #expect(stale.state == .inFlight)
            #expect(try await store.claimForDelivery(stale, at: now.addingTimeInterval(30)))
            #expect(try await store.claimForDelivery(stale, at: now.addingTimeInterval(30)) == false)

            // A sent row is nobody's to claim.
            let fresh = try #require(try await store.outboxRow(id: read.id))
            try await store.markSent(read.id, channel: "D1", ts: "1700000000.000100", at: now)
            #expect(try await store.claimForDelivery(fresh, at: now.addingTimeInterval(31)) == false)
        }
    }
}
