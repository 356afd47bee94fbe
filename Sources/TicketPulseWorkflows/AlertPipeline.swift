import Foundation
import Logging
import TicketPulseCore
import TicketPulseStorage

/// Detect → de-duplicate → route → store, for some customers (after a webhook) or all (on
/// a schedule). An actor, so a webhook's pass and the scheduled one never decide about the
/// same alert at once.
public actor AlertPipeline {
    let store: any Store
    let router: AlertRouter
    let detectors: AlertDetectors
    let now: @Sendable () -> Date
    let logger: Logger
    /// Called after a pass queued messages, so the delivery worker sends them at once.
    let onQueued: @Sendable () -> Void

    let grouper: IncidentGrouper

    public init(store: any Store, router: AlertRouter, sla: SLAPolicy = .standard, now: @escaping @Sendable () -> Date,
                logger: Logger = Logger(label: "ticketpulse.alerts"), onQueued: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.router = router
        grouper = IncidentGrouper(settings: router.rules.grouping, messages: IncidentMessages(alerts: router.messages))
        detectors = AlertDetectors(settings: router.rules.detectors, sla: sla)
        self.now = now
        self.logger = logger
        self.onQueued = onQueued
    }

    public struct PassSummary: Sendable, Equatable {
        public var customers = 0
        public var opened = 0
        public var updated = 0
        public var resolved = 0
        public var messages = 0
        public var digestItems = 0
        /// Recorded without an announcement: they held before TicketPulse first looked.
        public var recorded = 0
        /// New DMs, and in-place updates of live DMs.
        public var pings = 0
        public var liveUpdates = 0
    }

    /// How far back "began recently" reaches at a first look: older conditions are recorded.
    public static let firstLookWindow: TimeInterval = 3600

    /// Runs the detectors over `customerIDs` (nil: every customer) and stores what changed.
    @discardableResult
    public func evaluate(customerIDs: [String]? = nil) async throws -> PassSummary {
        let now = now()
        let activities = try await store.activity(customerIDs: customerIDs, since: CustomerActivity.horizon(settings: detectors.settings, now: now))
        let detected = activities.flatMap { detectors.detect($0, now: now) }
        let scope = customerIDs ?? activities.map(\.customer.id)
        let live = try await store.liveAlerts(customerIDs: customerIDs)
        let liveByKey = Dictionary(live.map { ($0.alert.dedupKey, $0) }, uniquingKeysWith: { first, _ in first })
        let seen = try await store.alertKeysSeen(detected.filter { !$0.kind.isCondition }.map(\.dedupKey))
        let context = try await RoutingData(store: store, customerIDs: Set(detected.map(\.customerID)), now: now)
        reportOrphans(context.orphaned)
        // A customer whose history TicketPulse sees for the first time from a source (the first
        // start, a new connection's import, for a new customer or one already watched): what
        // already held an hour ago is recorded, not announced.
        let watched = try await store.watchedSources()
        let firstLook = activities.filter { !Set($0.tickets.map(\.source)).isSubset(of: watched[$0.customer.id] ?? []) }
        var heldBefore = Set<String>()
        for activity in firstLook {
            let then = now.addingTimeInterval(-Self.firstLookWindow)
            let past = CustomerActivity(customer: activity.customer, tickets: activity.tickets.compactMap { $0.asOf(then) })
            if !past.tickets.isEmpty { heldBefore.formUnion(detectors.detect(past, now: then).map(\.dedupKey)) }
        }
        var changed: [(alert: StoredAlert, note: Reply?)] = []

        var plans: [AlertPlan] = []
        var summary = PassSummary(customers: activities.count)
        var openSpikes = Dictionary(live.filter { $0.alert.kind == .spike }.map { ($0.alert.customerID, $0) }, uniquingKeysWith: { first, _ in first })
        // Spikes first, so a new ticket arriving with its spike lands in the spike's thread.
        let ordered = detected.sorted { ($0.kind == .spike ? 0 : 1) < ($1.kind == .spike ? 0 : 1) }
        var newSpikes: [String: (id: Int64, postKeys: [String])] = [:]
        for alert in ordered {
            if let existing = liveByKey[alert.dedupKey] {
                if Self.changedMaterially(existing.alert, alert) {
                    plans.append(router.planUpdate(existing, to: alert, postKeys: try await store.postKeys(alertID: existing.id), at: now))
                    var updated = existing
                    updated.alert = alert
                    changed.append((updated, router.messages.changeNote(from: existing.alert, to: alert)))
                    summary.updated += 1
                }
                continue
            }
            if !alert.kind.isCondition, seen.contains(alert.dedupKey) { continue }
            guard let routing = context.context(for: alert) else { continue }
            var routingContext = routing
            if let spike = openSpikes[alert.customerID] {
                routingContext.openSpike = (spike.id, try await store.postKeys(alertID: spike.id).map { OutboxMessage.storeKey($0, alertID: spike.id) })
            } else if let spike = newSpikes[alert.customerID] {
                routingContext.openSpike = spike
            }
            var plan = Self.personal(router.plan(alert, context: routingContext))
            if routingContext.openSpike != nil, alert.kind == .newTicket || alert.kind == .burst {
                plan.heldBack = true
                // Held back in the channels; in DMs it joins the open incident, and whoever
                // it would have reached and has none open hears as usual.
                plan.dms = Self.personal(router.plan(alert, context: routing)).dms
            }
            if heldBefore.contains(alert.dedupKey) {
                plan = AlertPlan(change: plan.change)
                plan.dms = Self.personal(router.plan(alert, context: routing)).dms
                plan.silent = true
                summary.recorded += 1
            }
            if alert.kind == .spike {
                // Its id is known only once stored: store it now, so inhibited alerts can thread under it.
                let id = try await store.apply([plan], at: now).first ?? 0
                newSpikes[alert.customerID] = (id, plan.messages.filter { $0.kind == .post }.map { OutboxMessage.storeKey($0.key, alertID: id) })
                openSpikes[alert.customerID] = nil
                summary.messages += plan.messages.count
                summary.digestItems += plan.digestFor.count
                summary.opened += 1
                continue
            }
            summary.opened += 1
            summary.messages += plan.messages.count
            summary.digestItems += plan.digestFor.count
            plans.append(plan)
        }
        // Conditions no longer detected in the customers looked at are over.
        let stillDetected = Set(detected.map(\.dedupKey))
        let scopeSet = Set(scope)
        for stored in live where stored.alert.kind.isCondition && scopeSet.contains(stored.alert.customerID) && !stillDetected.contains(stored.alert.dedupKey) {
            plans.append(router.planResolution(stored, postKeys: try await store.postKeys(alertID: stored.id), at: now))
            var resolved = stored
            resolved.status = .resolved
            changed.append((resolved, router.messages.resolvedNote(stored.alert)))
            summary.resolved += 1
        }
        // A plan's rows land together, but a first pass over an imported history can hold
        // thousands: committing them a hundred at a time lets other writers (answers' audit
        // entries, webhooks) in between instead of queuing them behind one long transaction.
        for start in stride(from: 0, to: plans.count, by: Self.plansPerTransaction) {
            try await store.apply(Array(plans[start..<min(start + Self.plansPerTransaction, plans.count)]), at: now)
        }
        try await group(refreshing: changed, watched: firstLook.map { ($0.customer.id, Array(Set($0.tickets.map(\.source)))) }, at: now, into: &summary)
        if summary.messages + summary.updated + summary.resolved + summary.pings + summary.liveUpdates > 0 { onQueued() }
        if summary.opened > 0 {
            logger.info("alerts", metadata: ["opened": "\(summary.opened)", "updated": "\(summary.updated)", "resolved": "\(summary.resolved)", "messages": "\(summary.messages)",
                                             "recorded": "\(summary.recorded)", "pings": "\(summary.pings)", "live_updates": "\(summary.liveUpdates)"])
        }
        return summary
    }


    static let plansPerTransaction = 100

    /// The router's posts to people and channels leave the plan: they are grouped per
    /// customer once the alert is stored (`group`). `dms` names a person by email and a
    /// channel as `channel:<id>`.
    static func personal(_ plan: AlertPlan) -> AlertPlan {
        var plan = plan
        let grouped = { (message: OutboxMessage) in message.kind == .post && (message.recipient.hasPrefix("user:") || LiveMessage.isChannel(message.recipient)) }
        plan.dms = plan.messages.filter(grouped).map { $0.recipient.hasPrefix("user:") ? String($0.recipient.dropFirst("user:".count)) : $0.recipient }
        plan.messages.removeAll(where: grouped)
        return plan
    }

    /// The second step of a pass: every stored alert still to be told to people (this
    /// pass's, or one a crash left) into their live messages, budget and board, with the
    /// changed alerts shown where they are, in one transaction.
    func group(refreshing changed: [(alert: StoredAlert, note: Reply?)], watched: [(customerID: String, sources: [SourceSystem])], at now: Date, into summary: inout PassSummary) async throws {
        let pending = try await store.pendingGrouping()
        var state = try await Self.groupingState(store, customerIDs: Set(pending.map(\.alert.alert.customerID)), at: now)
        var result = IncidentGrouper.Result()
        // Changes first: a new incident opened below may replace the message they show in.
        for (stored, note) in changed { grouper.refresh(stored, note: note, state: &state, at: now, into: &result) }
        for (stored, dms, silent) in pending {
            if silent {
                grouper.record(stored.alert, alertID: stored.id, people: dms.people, state: &state, at: now, into: &result)
            } else {
                grouper.route(stored.alert, alertID: stored.id, people: dms.people, heldBack: dms.heldBack, state: &state, at: now, into: &result)
            }
        }
        // After routing, so a board posted now already leaves out what was solved before it.
        grouper.settle(try await store.resolvedTickets(grouper.openTickets(state, at: now)), state: &state, at: now, into: &result)
        guard !pending.isEmpty || !result.changed.isEmpty || !watched.isEmpty else { return }
        grouper.flush(&result, at: now)
        var write = GroupingWrite()
        write.messages = result.messages
        // One row per person and customer: the newest message, when a new incident replaced an old one.
        let current = Dictionary(result.changed.values.map { ("\($0.email)|\($0.customerID)", $0) }, uniquingKeysWith: { $0.openedAt >= $1.openedAt ? $0 : $1 })
        write.live = try current.values.map { live in
            LiveMessageRow(email: live.email, customerID: live.customerID, postKey: live.postKey, lastItemAt: live.lastItemAt,
                           stateJSON: String(decoding: try StoreJSON.encoder.encode(live), as: UTF8.self))
        }
        write.pings = result.pings
        write.digest = result.digest
        write.grouped = pending.map(\.alert.id)
        write.watched = watched
        try await store.applyGrouping(write, at: now)
        summary.messages += result.messages.count
        summary.pings += result.pings.count
        summary.liveUpdates += result.messages.filter { $0.message.kind == .update }.count
        summary.digestItems += result.digest.count
    }

    static func groupingState(_ store: any Store, customerIDs: Set<String>, at now: Date) async throws -> IncidentGrouper.State {
        var state = IncidentGrouper.State()
        for customer in try await store.customers(ids: Array(customerIDs)) {
            if let csm = customer.csmEmail { state.owners[customer.id] = csm.lowercased() }
        }
        for row in try await store.liveMessages() {
            guard let live = try? StoreJSON.decoder.decode(LiveMessage.self, from: Data(row.stateJSON.utf8)) else { continue }
            state.live[live.email, default: [:]][live.customerID] = live
        }
        // Acknowledged since the state was saved (a click while a pass was deciding, or on the
        // alert's own message before it was grouped): the grouped views mark it.
        let unmarked = state.live.values.flatMap { $0.values.flatMap { $0.items.filter { $0.acknowledgedBy == nil }.map(\.alertID) } }
        let acknowledgers = try await store.acknowledgers(alertIDs: Array(Set(unmarked)))
        if !acknowledgers.isEmpty {
            var names: [String: String] = [:]
            for email in Set(acknowledgers.values) { names[email] = try await AlertActions.displayName(email, in: store) }
            for (email, messages) in state.live {
                for (customer, var live) in messages {
                    for index in live.items.indices where live.items[index].acknowledgedBy == nil {
                        live.items[index].acknowledgedBy = acknowledgers[live.items[index].alertID].flatMap { names[$0] }
                    }
                    state.live[email]?[customer] = live
                }
            }
        }
        state.pings = try await store.pings(since: now.addingTimeInterval(-86_400))
        state.chosenPriorities = try await store.preferences(emails: nil).mapValues { Set($0.dmPriorities) }
        return state
    }

    /// Subscriptions already reported as carrying nothing, so a pass a minute does not
    /// repeat the warning; a restart reports them again.
    private var reportedOrphans: Set<String> = []

    private func reportOrphans(_ orphaned: [Subscription]) {
        for subscription in orphaned {
            let key = "\(subscription.target.key)|\(subscription.feed.rawValue)|\(subscription.customerID ?? "")|\(subscription.createdBy)"
            guard reportedOrphans.insert(key).inserted else { continue }
            logger.warning("subscription carries no alerts: its creator is not on the roster", metadata: [
                "target": "\(subscription.target.key)", "feed": "\(subscription.feed.rawValue)",
                "customer": "\(subscription.customerID ?? "all")", "created_by": "\(subscription.createdBy)",
            ])
        }
    }

    /// Worth a thread note: a customer-wide incident's count or the severity changed.
    static func changedMaterially(_ old: Alert, _ new: Alert) -> Bool {
        old.severity != new.severity || (new.kind.isCustomerWide && old.numbers["count"] != new.numbers["count"])
    }
}

/// The roster, subscriptions, their creators' scopes and preferences a pass routes with,
/// read once per pass.
struct RoutingData {
    var customers: [String: Customer]
    var csms: [String: CSM]
    var subscriptions: [Subscription]
    /// Each subscription creator's scope over the customers being routed, from one query per
    /// pass (not one per alert or per subscription), whatever the number of subscriptions.
    var subscriberScopes: [String: AccessScope]
    /// Subscriptions whose creator is not on the roster (left, or never was): they carry nothing.
    var orphaned: [Subscription]
    var preferences: [String: NotificationPreferences]
    var now: Date

    init(store: any Store, customerIDs: Set<String>, now: Date) async throws {
        customers = Dictionary(try await store.customers(ids: Array(customerIDs)).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        csms = Dictionary(try await store.csms().map { ($0.email.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        subscriptions = try await store.subscriptions()
        let csms = csms
        let creators = Set(subscriptions.map { $0.createdBy.lowercased() }).compactMap { csms[$0] }
        // Scoped to the customers routed now: a webhook's pass over one customer reads one
        // customer's visibility, not every manager's whole book.
        subscriberScopes = creators.isEmpty ? [:]
            : try await store.customerIDs(visibleTo: creators, among: Array(customerIDs)).mapValues { AccessScope(customerIDs: $0) }
        orphaned = subscriptions.filter { csms[$0.createdBy.lowercased()] == nil }
        preferences = try await store.preferences(emails: nil)
        self.now = now
    }

    func context(for alert: Alert) -> AlertRouter.Context? {
        guard let customer = customers[alert.customerID] else { return nil }
        let csm = customer.csmEmail.flatMap { csms[$0.lowercased()] }
        let manager = csm?.managerEmail.flatMap { csms[$0.lowercased()] }
        return AlertRouter.Context(customer: customer, csm: csm, manager: manager, subscriptions: subscriptions, subscriberScopes: subscriberScopes,
                                   preferences: preferences, now: now)
    }
}
