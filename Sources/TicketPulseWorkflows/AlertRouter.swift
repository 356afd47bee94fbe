import Foundation
import TicketPulseCore
import TicketPulseStorage

/// Who an alert reaches, and how: pure over the routing context, so `replay` can ask it
/// what would have happened without sending anything.
public struct AlertRouter: Sendable {
    public var rules: RoutingRules
    public var messages: AlertMessages

    public init(rules: RoutingRules, messages: AlertMessages) {
        self.rules = rules
        self.messages = messages
    }

    /// What the router needs to know about the alert's customer and people.
    public struct Context: Sendable {
        public var customer: Customer
        public var csm: CSM?
        public var manager: CSM?
        public var subscriptions: [Subscription]
        /// What each subscription's creator may see, by lowercased `createdBy` email: a
        /// subscription carries only alerts about those customers, whoever it sends to. One
        /// whose creator is absent here (unknown, or no longer on the roster) carries
        /// nothing: failing closed is the only safe reading of a scope nobody can vouch for.
        public var subscriberScopes: [String: AccessScope]
        public var preferences: [String: NotificationPreferences]
        /// The customer's open spike alert and the keys of its posts: new-ticket alerts
        /// during a spike go to its thread instead of DMs (inhibition).
        public var openSpike: (id: Int64, postKeys: [String])?
        public var now: Date

        public init(customer: Customer, csm: CSM?, manager: CSM?, subscriptions: [Subscription], subscriberScopes: [String: AccessScope],
                    preferences: [String: NotificationPreferences], openSpike: (id: Int64, postKeys: [String])? = nil, now: Date) {
            self.customer = customer
            self.csm = csm
            self.manager = manager
            self.subscriptions = subscriptions
            self.subscriberScopes = subscriberScopes
            self.preferences = preferences
            self.openSpike = openSpike
            self.now = now
        }

        func creatorSees(_ subscription: Subscription, _ alert: Alert) -> Bool {
            subscriberScopes[subscription.createdBy.lowercased()]?.allows(alert.customerID) ?? false
        }
    }

    /// PRD-122 FR-2: P1/P2 always at once; P3/P4 per the person's preference; enterprise
    /// accounts always; security and outage always (and they escalate). Spikes, poor
    /// ratings, escalations and SLA breaches are never routine (a breach is a promise
    /// broken, whatever the priority; grouping keeps it from costing a ping when an
    /// incident is open); resolved tickets always are.
    public func isUrgent(_ alert: Alert, preferences: NotificationPreferences) -> Bool {
        switch alert.kind {
        case .ticketResolved: return false
        case .spike, .csatLow, .escalation, .slaBreach: return true
        default: break
        }
        if alert.tier == .enterprise || escalatesAlways(alert) { return true }
        if let priority = alert.priority, !alert.kind.isCustomerWide {
            return priority <= .p2 || preferences.effectiveDMPriorities.contains(priority) || alert.severity >= .high
        }
        return alert.severity >= .high
    }

    func escalatesAlways(_ alert: Alert) -> Bool {
        alert.category == .security || alert.category == .outage
    }

    /// The plan for a newly detected alert: its messages, digest items and workflow steps.
    public func plan(_ alert: Alert, context: Context) -> AlertPlan {
        if let spike = context.openSpike, alert.kind == .newTicket || alert.kind == .burst {
            let note = messages.inhibitedNote(alert)
            return AlertPlan(change: .open(alert), messages: spike.postKeys.map {
                OutboxMessage(key: "inhibited/\($0)", kind: .thread, recipient: "", parentKey: $0, message: note)
            })
        }
        var plan = AlertPlan(change: .open(alert))
        var recipients: [String] = []
        var digest: [String] = []

        func person(_ email: String?, urgentAnyway: Bool = false) {
            guard let email = email?.lowercased(), !recipients.contains("user:\(email)"), !digest.contains(email) else { return }
            let preferences = context.preferences[email] ?? NotificationPreferences()
            let snoozed = preferences.snoozes[alert.customerID].map { $0 > context.now } ?? false
            let quiet = Self.inQuietHours(preferences, at: context.now) && alert.severity < .critical
            if (urgentAnyway || isUrgent(alert, preferences: preferences)) && !snoozed && !quiet {
                recipients.append("user:\(email)")
            } else {
                digest.append(email)
            }
        }
        func channel(_ id: String) {
            let resolved = id == "escalations" ? rules.escalationsChannel : id
            guard let resolved, !resolved.isEmpty, !recipients.contains("channel:\(resolved)") else { return }
            recipients.append("channel:\(resolved)")
        }
        func audience(_ audience: RoutingRules.Audience) -> String? {
            switch audience {
            case .csm: context.csm?.email ?? context.customer.csmEmail
            case .manager: context.manager?.email
            case .supportLead: rules.supportLead
            case .person(let email): email
            }
        }

        // The assigned CSM, always; the manager too when critical or security/outage.
        person(audience(.csm))
        if alert.severity == .critical || escalatesAlways(alert) { person(audience(.manager), urgentAnyway: true) }
        if escalatesAlways(alert) { channel("escalations") }

        for workflow in rules.workflows where workflow.applies(to: alert) {
            for step in workflow.steps where step.when?.matches(alert) ?? true {
                switch step.step {
                case .slackDM(let who): person(audience(who), urgentAnyway: who != .csm)
                case .slackChannelPost(let id): channel(id)
                case .createTask(let title, let hours):
                    plan.tasks.append(AlertTask(title: title.replacingOccurrences(of: "{{customer}}", with: alert.customerName),
                                                assignee: audience(.csm), dueAt: context.now.addingTimeInterval(hours * 3600)))
                case .updateHealthScore(let delta):
                    plan.healthDelta = (plan.healthDelta ?? 0) + delta
                case .draftEmail(let template):
                    if let draft = draft(template, alert: alert, context: context) { plan.drafts.append(draft) }
                }
            }
        }

        // Subscribed channels and people whose feed, customer and priorities match, when the
        // subscription's creator may see the customer (a CSM's "all alerts" means theirs).
        for subscription in context.subscriptions where matches(subscription, alert) && context.creatorSees(subscription, alert) {
            switch subscription.target {
            case .channel(let id): channel(id)
            case .person(let email): person(email, urgentAnyway: true)
            }
        }

        // Category routes, for what is urgent enough to interrupt people.
        if let category = alert.category, let route = rules.categories[category], isUrgent(alert, preferences: NotificationPreferences()) {
            route.people.forEach { person($0, urgentAnyway: true) }
            route.channels.forEach { channel($0) }
        }

        // After the workflows: the message shows the health score with their adjustment.
        let shown = messages.withAccountContext(alert, customer: context.customer, csm: context.csm, healthDelta: plan.healthDelta)
        plan.change = .open(shown)
        let message = messages.message(StoredAlert(id: 0, alert: shown, status: .open, updatedAt: context.now))
        plan.messages = recipients.map { OutboxMessage(key: "post/\($0)", kind: .post, recipient: $0, message: message) }
        plan.digestFor = digest
        return plan
    }

    func matches(_ subscription: Subscription, _ alert: Alert) -> Bool {
        guard subscription.feed == .all || subscription.feed == alert.feed else { return false }
        if let customer = subscription.customerID, customer != alert.customerID { return false }
        guard !subscription.priorities.isEmpty else { return true }
        if let priority = alert.priority, !alert.kind.isCustomerWide { return subscription.priorities.contains(priority) }
        // A customer-wide alert has no priority of its own: it passes a priority filter when it is serious.
        return alert.severity >= .high
    }

    /// The plan for a change to an open incident: a note in each post's thread and the
    /// header updated in place.
    public func planUpdate(_ stored: StoredAlert, to alert: Alert, postKeys: [String], at now: Date) -> AlertPlan {
        let alert = messages.keepingAccountContext(of: stored.alert, in: alert)
        var updated = stored
        updated.alert = alert
        let note = messages.changeNote(from: stored.alert, to: alert)
        let message = messages.message(updated)
        let stamp = Int(now.timeIntervalSince1970)
        return AlertPlan(change: .update(id: stored.id, alert), messages: postKeys.flatMap { key in [
            OutboxMessage(key: "note/\(stamp)/\(key)", kind: .thread, recipient: "", parentKey: key, message: note),
            OutboxMessage(key: "update/\(stamp)/\(key)", kind: .update, recipient: "", parentKey: key, message: message),
        ] })
    }

    public func planResolution(_ stored: StoredAlert, postKeys: [String], at now: Date) -> AlertPlan {
        var resolved = stored
        resolved.status = .resolved
        let message = messages.message(resolved)
        return AlertPlan(change: .resolve(id: stored.id), messages: postKeys.map {
            OutboxMessage(key: "resolved/\($0)", kind: .update, recipient: "", parentKey: $0, message: message)
        })
    }

    func draft(_ template: String, alert: Alert, context: Context) -> EmailDraft? {
        guard let templates = messages.templates else { return nil }
        let values = Self.emailValues(alert, customer: context.customer, csmName: context.csm?.name)
        guard let text = try? templates.render(template, values) else { return nil }
        let (subject, body) = Self.splitSubject(text)
        return EmailDraft(author: "ticketpulse", subject: subject, body: body)
    }

    public static func emailValues(_ alert: Alert, customer: Customer, csmName: String?) -> [String: Any] {
        var values: [String: Any] = [
            "customerName": customer.name,
            "championFirstName": customer.championName?.split(separator: " ").first.map(String.init) ?? "there",
            "csmName": csmName ?? "Your Customer Success Manager",
            "count": Int(alert.numbers["count"] ?? Double(alert.ticketIDs.count)),
        ]
        if !alert.themes.isEmpty { values["themes"] = alert.themes.joined(separator: ", ") }
        if let ticket = alert.ticket {
            values["ticketID"] = ticket.externalID
            values["subject"] = ticket.subject
        }
        if let comment = alert.facts.first(where: { $0.label == "Comment" })?.value {
            values["comment"] = comment.trimmingCharacters(in: CharacterSet(charactersIn: "“”"))
        }
        return values
    }

    /// "Subject: …" on the first line of a template is the email's subject.
    public static func splitSubject(_ text: String) -> (subject: String, body: String) {
        let lines = text.components(separatedBy: "\n")
        guard let first = lines.first, first.hasPrefix("Subject:") else { return ("", text) }
        return (first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces),
                lines.dropFirst().joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Quiet hours on the person's own clock (their roster time zone), possibly over midnight.
    static func inQuietHours(_ preferences: NotificationPreferences, at now: Date) -> Bool {
        preferences.inQuietHours(at: now)
    }
}

extension AlertMessages {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
