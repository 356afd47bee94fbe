import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Backtesting: the detectors and the router over stored history, step by step, with
/// nothing stored or sent. Shows how many alerts each rule would have raised and how many
/// would have reached a person at once or only in a digest, so thresholds can be tuned
/// before they page anyone.
public struct AlertReplay: Sendable {
    let store: any Store
    let router: AlertRouter
    let detectors: AlertDetectors

    public init(store: any Store, router: AlertRouter, sla: SLAPolicy = .standard) {
        self.store = store
        self.router = router
        detectors = AlertDetectors(settings: router.rules.detectors, sla: sla)
    }

    public struct Counts: Sendable, Equatable {
        public var alerts = 0
        /// Alerts that reached at least one person or channel at once.
        public var immediate = 0
        /// Alerts that reached someone only through a digest.
        public var digestOnly = 0
        /// Held back by an open spike (noted in its thread).
        public var inhibited = 0
        /// Nobody to tell (no CSM on the account, no matching subscription).
        public var unrouted = 0

        public init() {}
    }

    /// What one person would have been interrupted by, per day of the period.
    public struct Interruptions: Sendable, Equatable {
        /// New DMs (a new incident's live message, a repeat, the board).
        public var pings: [Int: Int] = [:]
        /// `chat.update`s of an open live message.
        public var updates: [Int: Int] = [:]
        public var threadReplies: [Int: Int] = [:]
        public var digestItems: [Int: Int] = [:]

        public init() {}

        static func total(_ counts: [Int: Int]) -> Int { counts.values.reduce(0, +) }
    }

    public struct Report: Sendable, Equatable {
        public var period: Period
        public var steps = 0
        public var byRule: [AlertKind: Counts] = [:]
        /// Per CSM email: alerts on their accounts, DMs at once, digest items.
        public var byCSM: [String: (alerts: Int, dms: Int, digestItems: Int)] = [:]
        /// Per person email, with grouping and the budget as `serve` applies them.
        public var interruptions: [String: Interruptions] = [:]
        /// P1/P2 tickets, escalations, spikes, poor ratings and SLA breaches of a CSM's
        /// accounts, and how many of them were in a DM to that CSM (new or updated) within 5 s.
        public var urgentTotal = 0
        public var urgentVisible = 0
        /// Whole days in the period (at least 1), for the per-day rates.
        public var days: Int { max(1, Int((period.duration / 86_400).rounded(.up))) }

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.period == rhs.period && lhs.steps == rhs.steps && lhs.byRule == rhs.byRule && lhs.interruptions == rhs.interruptions
                && lhs.urgentTotal == rhs.urgentTotal && lhs.urgentVisible == rhs.urgentVisible
                && lhs.byCSM.mapValues { [$0.alerts, $0.dms, $0.digestItems] } == rhs.byCSM.mapValues { [$0.alerts, $0.dms, $0.digestItems] }
        }
    }
}

extension AlertReplay.Report {
    /// `replay --json`: the interruption counts, machine-readable.
    public struct JSONReport: Encodable {
        struct Person: Encodable {
            var email: String
            var pings_per_day: Double
            var updates_per_day: Double
            var thread_replies_per_day: Double
            var digest_items_per_day: Double
            /// The most pings on any one day of the period.
            var max_pings_in_a_day: Int
            var pings: Int
        }
        struct Urgent: Encodable { var total: Int; var visible_within_5s: Int }
        var days: Int
        var csms: [Person]
        var urgent: Urgent
    }

    public func json() throws -> String {
        let report = self
        let days = Double(report.days)
        func perDay(_ counts: [Int: Int]) -> Double { (Double(counts.values.reduce(0, +)) / days * 10).rounded() / 10 }
        let people = report.interruptions.sorted { $0.key < $1.key }.map { email, counts in
            JSONReport.Person(email: email, pings_per_day: perDay(counts.pings), updates_per_day: perDay(counts.updates),
                              thread_replies_per_day: perDay(counts.threadReplies), digest_items_per_day: perDay(counts.digestItems),
                              max_pings_in_a_day: counts.pings.values.max() ?? 0, pings: counts.pings.values.reduce(0, +))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = JSONReport(days: report.days, csms: people, urgent: .init(total: report.urgentTotal, visible_within_5s: report.urgentVisible))
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }
}

extension AlertReplay {
    /// Replays `period` in steps of `step` seconds.
    public func run(_ period: Period, step: TimeInterval = 3600) async throws -> Report {
        precondition(step > 0)
        let activities = try await store.activity(customerIDs: nil, since: CustomerActivity.horizon(settings: detectors.settings, now: period.start))
        let routing = try await RoutingData(store: store, customerIDs: Set(activities.map(\.customer.id)), now: period.start)
        var report = Report(period: period)
        var live: [String: Alert] = [:]
        var seen = Set<String>()
        let grouper = IncidentGrouper(settings: router.rules.grouping, messages: IncidentMessages(alerts: router.messages))
        var state = IncidentGrouper.State()
        state.chosenPriorities = routing.preferences.mapValues { Set($0.dmPriorities) }
        state.owners = routing.customers.compactMapValues { $0.csmEmail?.lowercased() }
        var nextID: Int64 = 0
        // What was already alerting a step before the period is history, not news.
        var time = period.start.addingTimeInterval(-step)
        var warmingUp = true
        while time < period.end {
            if !warmingUp { report.steps += 1 }
            var detectedNow = Set<String>()
            var batch = IncidentGrouper.Result()
            var urgentNow: [(alertID: Int64, csm: String)] = []
            let day = Int(time.timeIntervalSince(period.start) / 86_400)
            for activity in activities {
                let past = CustomerActivity(customer: activity.customer, tickets: activity.tickets.compactMap { $0.asOf(time) })
                guard !past.tickets.isEmpty else { continue }
                let alerts = detectors.detect(past, now: time).sorted { ($0.kind == .spike ? 0 : 1) < ($1.kind == .spike ? 0 : 1) }
                for alert in alerts {
                    detectedNow.insert(alert.dedupKey)
                    if alert.kind.isCondition { guard live[alert.dedupKey] == nil else { continue } } else { guard seen.insert(alert.dedupKey).inserted else { continue } }
                    live[alert.dedupKey] = alert
                    if warmingUp { continue }
                    guard var context = routing.context(for: alert) else { continue }
                    context.now = time
                    let base = context
                    if let spike = live["spike:\(alert.customerID)"], spike.kind == .spike, alert.kind != .spike {
                        context.openSpike = (0, ["spike"])
                    }
                    let plan = router.plan(alert, context: context)
                    let csm = activity.customer.csmEmail?.lowercased()
                    count(plan, alert, csm: csm, into: &report)
                    // The DMs as `serve` groups them (the same decisions, state in memory).
                    nextID += 1
                    let heldBack = context.openSpike != nil && (alert.kind == .newTicket || alert.kind == .burst)
                    let people = AlertPipeline.personal(router.plan(alert, context: heldBack ? base : context)).dms
                    grouper.route(alert, alertID: nextID, people: people, heldBack: heldBack, state: &state, at: time, into: &batch)
                    for email in plan.digestFor { report.interruptions[email, default: Interruptions()].digestItems[day, default: 0] += 1 }
                    if let csm, Self.isUrgent(alert) {
                        report.urgentTotal += 1
                        urgentNow.append((nextID, csm))
                    }
                }
            }
            if !warmingUp { tally(batch, grouper: grouper, urgent: urgentNow, day: day, at: time, into: &report) }
            // Conditions that ended may alert again later.
            for (key, alert) in live where alert.kind.isCondition && !detectedNow.contains(key) { live[key] = nil }
            time.addTimeInterval(step)
            warmingUp = false
        }
        return report
    }

    /// What the issue counts as urgent: every P1/P2 ticket, escalation, spike, poor rating
    /// and SLA breach.
    static func isUrgent(_ alert: Alert) -> Bool { IncidentGrouper.needsPersonNow(alert) }

    /// One step's grouped DMs, counted per person and day; urgent items are visible when
    /// their CSM had them in a new DM or an update due within 5 s.
    func tally(_ batch: IncidentGrouper.Result, grouper: IncidentGrouper, urgent: [(alertID: Int64, csm: String)], day: Int, at time: Date, into report: inout Report) {
        var batch = batch
        grouper.flush(&batch, at: time)
        func owner(_ message: OutboxMessage) -> String? {
            if message.kind == .post { return message.recipient.hasPrefix("user:") ? String(message.recipient.dropFirst(5)) : nil }
            return message.parentKey.flatMap { batch.changed[$0]?.email } ?? message.parentKey.flatMap(Self.email(ofLiveKey:))
        }
        for (message, _) in batch.messages {
            // A channel's messages interrupt nobody in particular: people are counted.
            guard let email = owner(message), !LiveMessage.isChannel(email) else { continue }
            switch message.kind {
            case .post: report.interruptions[email, default: Interruptions()].pings[day, default: 0] += 1
            case .update: report.interruptions[email, default: Interruptions()].updates[day, default: 0] += 1
            case .thread: report.interruptions[email, default: Interruptions()].threadReplies[day, default: 0] += 1
            // Only digests are emailed, and they are counted as digest items below.
            case .email: break
            }
        }
        for item in batch.digest { report.interruptions[item.email, default: Interruptions()].digestItems[day, default: 0] += 1 }
        for (alertID, csm) in urgent {
            let outcome = batch.outcomes.first { $0.alertID == alertID && $0.email == csm }?.outcome
            switch outcome {
            case .ping?: if grouper.settings.groupWait <= 5 { report.urgentVisible += 1 }
            case .update(let key)?:
                if (batch.updateDue[key] ?? time).timeIntervalSince(time) <= 5 { report.urgentVisible += 1 }
            default: break
            }
        }
    }

    /// `live:<email>:<customer>:<id>` → the email.
    static func email(ofLiveKey key: String) -> String? {
        let parts = key.split(separator: ":")
        return parts.count >= 2 && parts[0] == "live" && parts[1] != "channel" ? String(parts[1]) : nil
    }

    func count(_ plan: AlertPlan, _ alert: Alert, csm: String?, into report: inout Report) {
        var counts = report.byRule[alert.kind] ?? Counts()
        counts.alerts += 1
        let posts = plan.messages.filter { $0.kind == .post }
        if plan.messages.contains(where: { $0.key.hasPrefix("inhibited/") }) {
            counts.inhibited += 1
        } else if !posts.isEmpty {
            counts.immediate += 1
        } else if !plan.digestFor.isEmpty {
            counts.digestOnly += 1
        } else {
            counts.unrouted += 1
        }
        report.byRule[alert.kind] = counts
        if let csm {
            var person = report.byCSM[csm] ?? (0, 0, 0)
            person.alerts += 1
            if posts.contains(where: { $0.recipient == "user:\(csm)" }) { person.dms += 1 }
            if plan.digestFor.contains(csm) { person.digestItems += 1 }
            report.byCSM[csm] = person
        }
    }
}
