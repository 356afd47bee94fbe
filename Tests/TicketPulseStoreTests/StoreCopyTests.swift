import Foundation
import Testing
import TicketPulseCore
import TicketPulsePostgres
import TicketPulseSQLite
import TicketPulseStorage

/// `store copy` between backends: every table moves with its ids, and the copy answers
/// every read as the original does.
@Suite("Store copy")
struct StoreCopyTests {
    static let now = Date(timeIntervalSince1970: 1_795_532_400)

    /// A store with rows in every table `store copy` moves.
    static func fill(_ store: any Store) async throws {
        let now = Self.now
        try await store.upsertCSMs([CSM(email: "ann@example.com", name: "Ann", slackUserID: "U1", role: .manager, timeZone: "Europe/Paris"),
                                    CSM(email: "mike@example.com", name: "Mike", slackUserID: "U2", role: .csm, managerEmail: "ann@example.com")])
        let acme = Customer(id: "cus_acme", name: "Acme", aliases: ["ACME"], domains: ["acme.io"], tier: .enterprise, arr: 400_000,
                            csmEmail: "mike@example.com", renewalDate: now.addingTimeInterval(86_400 * 90), healthScore: 70)
        try await store.upsertCustomers([acme, Customer(id: "cus_b", name: "Beta", tier: .smb, arr: 1000)])
        var tickets: [Ticket] = []
        for index in 0..<30 {
            var ticket = Ticket(source: index % 2 == 0 ? .zendesk : .intercom, externalID: "\(index)", customerID: index == 7 ? nil : "cus_acme",
                                subject: "Ticket \(index) ⚠️", description: "Text \(index)", status: index % 3 == 0 ? .solved : .open,
                                priority: index % 4 == 0 ? .p1 : .p3, tags: ["a", "b\(index)"], createdAt: now.addingTimeInterval(-Double(index) * 3600.25))
            if index % 5 == 0 { ticket.csat = CSATRating(score: 2, rawValue: "bad", comment: "slow", ratedAt: now.addingTimeInterval(-60)) }
            if index % 6 == 0 { ticket.escalation = Escalation(reason: "exec", level: 2, escalatedAt: now.addingTimeInterval(-120)) }
            if index % 4 == 1 { ticket.organizationID = "9001" }
            tickets.append(ticket)
        }
        try await store.upsert(tickets, at: now)
        let ticketID = try #require(try await store.ticket(source: .zendesk, externalID: "0")).id
        try await store.recordAction(TicketAction(kind: .note, actor: "mike@example.com", body: "Called them", createdAt: now), ticketID: ticketID)
        let alert = Alert(kind: .spike, severity: .high, customer: acme, dedupKey: "spike:cus_acme", title: "Spike", explanation: "8 tickets",
                          numbers: ["count": 8], ticketIDs: ["1"], detectedAt: now)
        var plan = AlertPlan(change: .open(alert), messages: [
            OutboxMessage(key: "post/channel:C1", kind: .post, recipient: "channel:C1", message: Reply(fallbackText: "spike")),
            OutboxMessage(key: "thread/channel:C1", kind: .thread, recipient: "channel:C1", parentKey: "post/channel:C1", message: Reply(fallbackText: "more")),
        ], digestFor: ["ann@example.com"], tasks: [AlertTask(title: "Look", assignee: "mike@example.com", dueAt: now)], healthDelta: -5,
            drafts: [EmailDraft(author: "mike@example.com", subject: "Sorry", body: "We are on it")])
        plan.dms = ["mike@example.com"]
        let alertID = try #require(try await store.apply([plan], at: now).first)
        try await store.recordAlertAction(alertID: alertID, actor: "U2", action: "acknowledge", status: .acknowledged, at: now)
        var grouping = GroupingWrite()
        grouping.live = [LiveMessageRow(email: "mike@example.com", customerID: "cus_acme", postKey: "live:mike/cus_acme", lastItemAt: now, stateJSON: #"{"items":[1],"b":2}"#)]
        grouping.pings = [(email: "mike@example.com", postKey: "live:mike/cus_acme", at: now)]
        grouping.grouped = [alertID]
        grouping.watched = [(customerID: "cus_acme", sources: [.zendesk])]
        try await store.applyGrouping(grouping, at: now)
        _ = try await store.subscribe(Subscription(target: .channel(id: "C1"), feed: .all, customerID: "cus_acme", priorities: [.p1], createdBy: "ann@example.com", createdAt: now))
        try await store.savePreferences(NotificationPreferences(dmPriorities: [.p1], digestHour: 9, snoozes: ["cus_b": now.addingTimeInterval(3600)]), email: "mike@example.com", at: now)
        try await store.audit(AuditEntry(at: now, actor: "mike@example.com", action: "ask:list_tickets", detail: "tickets", customerIDs: ["cus_acme"]))
        try await store.recordNLUFeedback(NLUFeedback(at: now, asker: "mike@example.com", question: "tickets?", outcome: .lowConfidence, intent: "list_tickets", confidence: 0.4))
        _ = try await store.claimConfirmation(nonce: "n1", actor: "U2", intent: "add_note", at: now)
        try await store.recordSlackEvents([(id: "Ev1", receivedAt: now)])
        #expect(try await store.journalSlackJob(PendingSlackJob(id: "Ev2", owner: "replica-a", receivedAt: now, payload: #"{"id":"Ev2"}"#)))
        _ = try await store.markNotificationsSeen(email: "mike@example.com", at: now)
        try await store.saveWebSession(WebSession(tokenHash: "ab12", kind: .session, email: "mike@example.com", csrfToken: "c1", createdAt: now, expiresAt: now.addingTimeInterval(3600)))
        _ = try await store.createAPIToken(email: "mike@example.com", name: "BI export", hash: "0f0f", at: now)
        try await store.saveConnectionState(Data(#"{"cursor":"abc","z":1}"#.utf8), connection: "zendesk-main", at: now)
        _ = try await store.upsert([], at: now, delivery: WebhookDeliveryKeys(connection: "zendesk-main", signature: "s1", deliveryID: "d1", forgetBefore: now.addingTimeInterval(-600)))
        try await store.addStoredConnection(StoredConnection(name: "zendesk-acme", system: .zendesk, subdomain: "acme", externalIDPrefix: "acme-", createdAt: now, createdBy: "ann@example.com"),
                                            credentials: Data(#"{"access_token":"a1"}"#.utf8), credentialsKey: "zendesk-acme#oauth")
        try await store.replaceOrganizationMappings(["9001": "cus_acme"], source: .zendesk, at: now)
    }

    /// What a store answers, read through the protocol: a copy must answer the same.
    struct Answers: Equatable {
        var customers: [Customer], csms: [CSM], tickets: [StoredTicket], events: [TicketEvent], unmatched: [StoredTicket]
        var alerts: [StoredAlert], outbox: [OutboxRow], digest: [String: [Int64]], live: [LiveMessageRow], pings: [String: [Date]]
        var subscriptions: [Subscription], preferences: [String: NotificationPreferences], actions: [TicketAction], audit: [AuditEntry]
        var state: Data?, health: Double, drafts: [String], tasks: [AlertTask], watched: [String: Set<SourceSystem>], slackEvents: [String]
        var scope: [String]?, metrics: Int, writebacks: [StoredWriteback]
        var storedConnections: [StoredConnection], mappings: [String: String], withOrganization: [StoredTicket]

        init(_ store: any Store) async throws {
            let now = StoreCopyTests.now
            customers = try await store.customers()
            csms = try await store.csms()
            tickets = try await store.tickets(TicketQuery(customerIDs: nil, status: .all, limit: 1000)).tickets
            events = try await store.events(ticketID: tickets.last?.id ?? 0)
            unmatched = try await store.unmatchedTickets()
            alerts = try await store.alerts()
            outbox = try await store.outbox(alertID: alerts.first?.id ?? 0)
            digest = try await store.pendingDigestItems().mapValues { $0.map(\.id) }
            live = try await store.liveMessages()
            pings = try await store.pings(since: now.addingTimeInterval(-3600))
            subscriptions = try await store.subscriptions()
            preferences = try await store.preferences(emails: nil)
            actions = try await store.actions(ticketID: tickets.last?.id ?? 0)
            audit = try await store.auditLog()
            state = try await store.connectionState("zendesk-main")
            health = try await store.healthAdjustment(customerID: "cus_acme")
            drafts = try await store.emailDrafts(customerID: "cus_acme").map(\.body)
            tasks = try await store.tasks(alertID: alerts.first?.id ?? 0)
            watched = try await store.watchedSources()
            slackEvents = try await store.slackEventIDs(since: .distantPast).map(\.id)
            scope = try await store.customerIDs(visibleTo: CSM(email: "ann@example.com", name: "Ann", role: .manager))
            metrics = try await store.metricsInput(customerIDs: ["cus_acme"], period: .trailing(days: 30, endingAt: now)).count
            writebacks = try await store.dueWritebacks(at: now, limit: 10)
            storedConnections = try await store.storedConnections()
            mappings = try await store.organizationMappings(source: .zendesk)
            withOrganization = try await store.ticketsWithOrganization(source: .zendesk)
        }
    }

    @Test("SQLite → PostgreSQL → SQLite keeps every row, id and answer",
          .enabled(if: StoreBackend.postgresURL != nil, StoreBackend.skipMessage))
    func roundTrip() async throws {
        let original: any Store & StoreTransfer = try SQLiteStore()
        try await Self.fill(original)
        let expected = try await Answers(original)
        let back: any Store & StoreTransfer = try SQLiteStore()
        try await StoreBackend.withPostgresDatabase { location in
            try await PostgresStore.withStore(location: location) { postgres in
                let there = try await StoreCopy.copy(from: original, to: postgres, force: false, batchSize: 7)
                #expect(there.allSatisfy { $0.source == $0.target })
                #expect(there.filter { $0.target > 0 }.count == TransferTable.all.count, "every table holds rows in the fixture")
                #expect(try await Answers(postgres) == expected)
                // New rows continue after the copied ids.
                let next = try await postgres.upsert(Ticket(source: .zendesk, externalID: "new", customerID: nil, subject: "New", status: .open, priority: .p3, createdAt: Self.now), at: Self.now)
                #expect(next.ticketID > expected.tickets.map(\.id).max()!)
                _ = try await StoreCopy.copy(from: postgres, to: back, force: false, batchSize: 5)
                #expect(try await back.ticketCount() == expected.tickets.count + 1)
            }
        }
        #expect(try await back.eventCount() == original.eventCount() + 1)
        #expect(try await Answers(back).customers == expected.customers)
        #expect(try await Answers(back).alerts == expected.alerts)
        #expect(try await Answers(back).live == expected.live)
        #expect(try await Answers(back).state == expected.state)
    }

    @Test("A target that holds anything is refused unless forced, and forcing replaces it", arguments: StoreBackend.available)
    func nonEmptyTarget(backend: StoreBackend) async throws {
        let source: any Store & StoreTransfer = try SQLiteStore()
        try await Self.fill(source)
        try await backend.withStore { target in
            guard let target = target as? any Store & StoreTransfer else { Issue.record("\(backend) cannot be copied into"); return }
            try await target.upsertCustomers([Customer(id: "cus_other", name: "Other", tier: .smb, arr: 1)])
            await #expect(throws: StoreCopy.TargetNotEmpty.self) { try await StoreCopy.copy(from: source, to: target, force: false) }
            #expect(try await target.customers().map(\.id) == ["cus_other"])
            _ = try await StoreCopy.copy(from: source, to: target, force: true)
            #expect(try await target.customers().map(\.id) == ["cus_acme", "cus_b"])
            #expect(try await target.ticketCount() == source.ticketCount())
        }
    }
}
