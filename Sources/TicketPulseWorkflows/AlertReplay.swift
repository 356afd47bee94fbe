import Foundation
import TicketPulseCore
import TicketPulseStore

/// Backtesting: the detectors and the router over stored history, step by step, with
/// nothing stored or sent. Shows how many alerts each rule would have raised and how many
/// would have reached a person at once or only in a digest, so thresholds can be tuned
/// before they page anyone.
public struct AlertReplay: Sendable {
    let store: TicketStore
    let router: AlertRouter
    let detectors: AlertDetectors

    public init(store: TicketStore, router: AlertRouter, sla: SLAPolicy = .standard) {
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

    public struct Report: Sendable, Equatable {
        public var period: Period
        public var steps = 0
        public var byRule: [AlertKind: Counts] = [:]
        /// Per CSM email: alerts on their accounts, DMs at once, digest items.
        public var byCSM: [String: (alerts: Int, dms: Int, digestItems: Int)] = [:]

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.period == rhs.period && lhs.steps == rhs.steps && lhs.byRule == rhs.byRule
                && lhs.byCSM.mapValues { [$0.alerts, $0.dms, $0.digestItems] } == rhs.byCSM.mapValues { [$0.alerts, $0.dms, $0.digestItems] }
        }
    }

    /// Replays `period` in steps of `step` seconds.
    public func run(_ period: Period, step: TimeInterval = 3600) throws -> Report {
        precondition(step > 0)
        let activities = try store.activity(customerIDs: nil, since: CustomerActivity.horizon(settings: detectors.settings, now: period.start))
        let routing = try RoutingData(store: store, customerIDs: Set(activities.map(\.customer.id)), now: period.start)
        var report = Report(period: period)
        var live: [String: Alert] = [:]
        var seen = Set<String>()
        // What was already alerting a step before the period is history, not news.
        var time = period.start.addingTimeInterval(-step)
        var warmingUp = true
        while time < period.end {
            if !warmingUp { report.steps += 1 }
            var detectedNow = Set<String>()
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
                    if let spike = live["spike:\(alert.customerID)"], spike.kind == .spike, alert.kind != .spike {
                        context.openSpike = (0, ["spike"])
                    }
                    count(router.plan(alert, context: context), alert, csm: activity.customer.csmEmail?.lowercased(), into: &report)
                }
            }
            // Conditions that ended may alert again later.
            for (key, alert) in live where alert.kind.isCondition && !detectedNow.contains(key) { live[key] = nil }
            time.addTimeInterval(step)
            warmingUp = false
        }
        return report
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
