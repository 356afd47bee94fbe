import Foundation
import TicketPulseCore
import TicketPulseStorage

/// The grouping decisions, pure over a state the pipeline reads from the store and
/// `replay` keeps in memory, so both decide alike.
public struct IncidentGrouper: Sendable {
    public var settings: GroupingSettings
    public var messages: IncidentMessages

    public init(settings: GroupingSettings, messages: IncidentMessages) {
        self.settings = settings
        self.messages = messages
    }

    /// Everyone's live messages and the pings each had in the last day.
    public struct State: Sendable {
        /// By email, then customer id.
        public var live: [String: [String: LiveMessage]] = [:]
        public var pings: [String: [Date]] = [:]
        /// Priorities people asked to be DM'd about ("DM me about P3 too"): theirs ping.
        public var chosenPriorities: [String: Set<Priority>] = [:]
        /// Each customer's own CSM (lowercased email), by customer id: the one person an
        /// override pings whatever their budget.
        public var owners: [String: String] = [:]
        public init() {}
    }

    /// What happened to one alert for one person.
    public enum Outcome: Sendable, Equatable {
        /// A new DM: a new incident (or a repeat after `repeat_interval`).
        case ping(postKey: String)
        /// Folded into an open live message (in-place update, detail in its thread).
        case update(postKey: String)
        case digest
        /// Nothing for this person (a held-back new ticket with no incident open).
        case none
    }

    /// The outbox rows of a batch of decisions.
    public struct Result: Sendable {
        /// Each with the alert it is about (nil: a live message's update).
        public var messages: [(message: OutboxMessage, alertID: Int64?)] = []
        /// Live messages first posted in this batch: their post shows the batch's final state.
        public var posted: Set<String> = []
        /// Serious customer-wide conditions recorded at a first look (an ongoing spike), by
        /// customer: a live message opened about the customer in the same batch leads with it.
        public var recordedHeadlines: [String: LiveMessage.Item] = [:]
        /// When each changed message's update is due (the earliest its items ask for).
        public var updateDue: [String: Date] = [:]
        public var outcomes: [(alertID: Int64, email: String, outcome: Outcome)] = []
        /// Live messages changed in this batch, by post key, as they now stand.
        public var changed: [String: LiveMessage] = [:]
        public var pings: [(email: String, postKey: String, at: Date)] = []
        public var digest: [(alertID: Int64, email: String)] = []
        public init() {}
    }

    /// What is worth a new DM: P1/P2 tickets, spikes, escalations, poor ratings and SLA
    /// breaches (and the overrides).
    public static func needsPersonNow(_ alert: Alert) -> Bool {
        switch alert.kind {
        case .spike, .escalation, .csatLow, .slaBreach: true
        case .newTicket: (alert.priority ?? .p4) <= .p2
        default: false
        }
    }

    /// An open incident: it had an item within `repeat_interval`. The board never closes.
    func isOpen(_ live: LiveMessage, at now: Date) -> Bool {
        live.isBoard || now.timeIntervalSince(live.lastItemAt) < settings.repeatInterval
    }

    func pingsToday(_ email: String, state: State, at now: Date) -> Int {
        (state.pings[email] ?? []).filter { now.timeIntervalSince($0) < 86_400 }.count
    }

    /// Decides for `alert` (stored as `alertID`) and each of `people` (the router's DM
    /// recipients and channels). A `heldBack` alert (a new ticket during a spike) also folds,
    /// as a routine item, into every open incident about the customer of people it would not
    /// DM; in channels it is never a post of its own, only an item of the open incident.
    public func route(_ alert: Alert, alertID: Int64, people: [String], heldBack: Bool, state: inout State, at now: Date, into result: inout Result) {
        var recipients = people
        if heldBack {
            let watching = state.live.compactMap { email, messages in messages[alert.customerID].flatMap { isOpen($0, at: now) ? email : nil } }
            recipients += watching.sorted().filter { !people.contains($0) }
        }
        for email in recipients {
            let routine = !people.contains(email) || (heldBack && LiveMessage.isChannel(email))
            let outcome = decide(alert, alertID: alertID, email: email, routine: routine, state: &state, at: now, into: &result)
            result.outcomes.append((alertID, email, outcome))
            if outcome == .digest { result.digest.append((alertID, email)) }
        }
    }

    func item(_ alert: Alert, alertID: Int64, at now: Date) -> LiveMessage.Item {
        LiveMessage.Item(alertID: alertID, customerName: alert.customerName, kind: alert.kind, severity: alert.severity,
                         line: IncidentMessages.line(alert), at: now, ticket: LiveMessage.Item.settlesWithTicket(alert.kind) ? alert.ticket : nil)
    }

    /// A condition that held before TicketPulse first looked at the customer: on the
    /// person's board, not announced. The board is posted once (the one first-start message).
    public func record(_ alert: Alert, alertID: Int64, people: [String], state: inout State, at now: Date, into result: inout Result) {
        let item = item(alert, alertID: alertID, at: now)
        if alert.kind.isCustomerWide, alert.severity >= .high { result.recordedHeadlines[alert.customerID] = item }
        // Channels have no board: what held before is not announced there at all.
        for email in people where !LiveMessage.isChannel(email) {
            if let board = state.live[email]?[LiveMessage.board] {
                var live = result.changed[board.postKey] ?? board
                live.add(item)
                state.live[email]?[LiveMessage.board] = live
                result.changed[live.postKey] = live
                result.outcomes.append((alertID, email, .update(postKey: live.postKey)))
                continue
            }
            result.outcomes.append((alertID, email, .ping(postKey: openBoard(item, email: email, state: &state, result: &result, at: now))))
        }
    }

    func decide(_ alert: Alert, alertID: Int64, email: String, routine: Bool, state: inout State, at now: Date, into result: inout Result) -> Outcome {
        let item = item(alert, alertID: alertID, at: now)
        let open = state.live[email]?[alert.customerID].flatMap { isOpen($0, at: now) ? $0 : nil }
        if routine {
            guard let open else { return .none }
            fold(item, alert: alert, into: open, urgent: false, state: &state, result: &result)
            return .update(postKey: open.postKey)
        }
        // A channel is a shared feed, not a person: no budget and no board. Each customer's
        // incident is one message there too, updated in place, with the detail in its thread.
        if LiveMessage.isChannel(email) {
            if let open {
                fold(item, alert: alert, into: open, urgent: settings.overrides(alert) || Self.needsPersonNow(alert), state: &state, result: &result)
                return .update(postKey: open.postKey)
            }
            return .ping(postKey: ping(item, alert: alert, email: email, state: &state, result: &result, at: now))
        }
        // An override pings the account's own CSM whatever the budget: they own the response.
        // Anyone else it reaches (the manager, a category route) has it as urgent within their
        // own budget, and past it as an update in place: in their DMs at once, without a ping
        // (a manager's whole team's overrides would otherwise be six a day on their own).
        let override = settings.overrides(alert)
        let mustPing = override && (state.owners[alert.customerID].map { $0 == email } ?? true)
        // The same burst: a message that pinged moments ago is being looked at; an update is enough.
        if let open, now.timeIntervalSince(open.pingedAt) < (mustPing ? settings.groupInterval : settings.repeatInterval) {
            fold(item, alert: alert, into: open, urgent: true, state: &state, result: &result)
            return .update(postKey: open.postKey)
        }
        // Only what needs a person now may ping; the rest (aging, at-risk, bursts, trends)
        // updates an open message or waits for the digest.
        let chosen = alert.kind == .newTicket && alert.priority.map { state.chosenPriorities[email]?.contains($0) ?? false } == true
        guard override || chosen || Self.needsPersonNow(alert) else {
            if let open = open ?? state.live[email]?[LiveMessage.board] {
                fold(item, alert: alert, into: open, urgent: false, state: &state, result: &result)
                return .update(postKey: open.postKey)
            }
            return .digest
        }
        if mustPing || pingsToday(email, state: state, at: now) < settings.personalBudgets[email, default: settings.pingsPerDay] {
            return .ping(postKey: ping(item, alert: alert, email: email, state: &state, result: &result, at: now))
        }
        if let open {
            fold(item, alert: alert, into: open, urgent: true, state: &state, result: &result)
            return .update(postKey: open.postKey)
        }
        // Over budget with nothing open about the customer: the person's board takes it, in
        // place, so it is in their DMs without a ping.
        if let board = state.live[email]?[LiveMessage.board] {
            fold(item, alert: alert, into: board, urgent: true, state: &state, result: &result)
            return .update(postKey: board.postKey)
        }
        // No board yet: posting it is the one ping over budget a person ever gets, and from
        // then on it takes what is over budget in place.
        return .ping(postKey: openBoard(item, email: email, state: &state, result: &result, at: now))
    }

    func openBoard(_ item: LiveMessage.Item, email: String, state: inout State, result: inout Result, at now: Date) -> String {
        let key = "live:\(email):\(LiveMessage.board):\(Int(now.timeIntervalSince1970))"
        var live = LiveMessage(email: email, customerID: LiveMessage.board, customerName: "", postKey: key, openedAt: now,
                               pingedAt: now, lastItemAt: now, lastUpdateAt: now, items: [], counts: [:])
        live.add(item)
        state.live[email, default: [:]][LiveMessage.board] = live
        state.pings[email, default: []].append(now)
        result.pings.append((email, key, now))
        result.changed[key] = live
        result.posted.insert(key)
        result.messages.append((OutboxMessage(key: key, kind: .post, recipient: "user:\(email)", message: messages.live(live)), item.alertID))
        return key
    }

    /// A new live message: the alert's own message while it is the only item. A person's
    /// counts against their budget; a channel's is a post, not a ping.
    func ping(_ item: LiveMessage.Item, alert: Alert, email: String, state: inout State, result: inout Result, at now: Date) -> String {
        let key = "live:\(email):\(alert.customerID):\(item.alertID)"
        var live = LiveMessage(email: email, customerID: alert.customerID, customerName: alert.customerName, postKey: key, openedAt: now,
                               pingedAt: now, lastItemAt: now, lastUpdateAt: now, items: [], counts: [:], openedBy: item.alertID,
                               headline: messages.headline(alert))
        // What began in the last hour at a customer already in a spike is news about the spike.
        if let headline = result.recordedHeadlines[alert.customerID], headline.alertID != item.alertID { live.add(headline) }
        live.add(item)
        state.live[email, default: [:]][alert.customerID] = live
        if !live.isChannel {
            state.pings[email, default: []].append(now)
            result.pings.append((email, key, now))
        }
        result.changed[key] = live
        result.posted.insert(key)
        result.messages.append((OutboxMessage(key: key, kind: .post, recipient: live.recipient, message: messages.first(alert, alertID: item.alertID),
                                              notBefore: settings.groupWait > 0 ? now.addingTimeInterval(settings.groupWait) : nil), item.alertID))
        return key
    }

    /// An item joins an open message: its detail in the thread, the message updated once per
    /// batch (`flush`), at once for urgent items, else no sooner than `group_interval` after
    /// the last update.
    func fold(_ item: LiveMessage.Item, alert: Alert, into live: LiveMessage, urgent: Bool, state: inout State, result: inout Result) {
        var live = result.changed[live.postKey] ?? live
        live.add(item)
        if let headline = messages.headline(alert) { live.headline = headline }
        // An urgent item brings the batch's update forward, whatever a routine one had put off.
        let due = urgent ? item.at : max(item.at, live.lastUpdateAt.addingTimeInterval(settings.groupInterval))
        let batchDue = min(result.updateDue[live.postKey] ?? due, due)
        result.updateDue[live.postKey] = batchDue
        live.lastUpdateAt = batchDue
        state.live[live.email, default: [:]][live.customerID] = live
        result.changed[live.postKey] = live
        result.messages.append((OutboxMessage(key: "\(live.postKey)/item/\(item.alertID)", kind: .thread, recipient: "", parentKey: live.postKey,
                                              message: messages.threadNote(alert)), item.alertID))
    }

    /// The in-place updates of this batch, one per changed message, after its thread notes.
    public func flush(_ result: inout Result, at now: Date) {
        let stamp = Int(now.timeIntervalSince1970)
        for (key, live) in result.changed.sorted(by: { $0.key < $1.key }) {
            // Posted in this batch: the post itself shows the final state, no update needed.
            if result.posted.contains(key) {
                if live.items.count > 1 || live.isBoard, let index = result.messages.firstIndex(where: { $0.message.key == key }) {
                    result.messages[index].message.message = messages.live(live)
                }
                continue
            }
            let due = (result.updateDue[key] ?? now) > now ? result.updateDue[key] : nil
            var live = live
            live.revision += 1
            result.changed[key] = live
            result.messages.append((OutboxMessage(key: "\(key)/update/\(stamp)-\(live.revision)", kind: .update, recipient: "", parentKey: key,
                                                  message: messages.live(live), notBefore: due), live.openedBy))
        }
    }

    /// The tickets of items still open on boards and open incidents, for `settle`.
    public func openTickets(_ state: State, at now: Date) -> [AlertTicket] {
        state.live.values.flatMap { $0.values.filter { isOpen($0, at: now) }.flatMap { $0.items.filter { !$0.resolved }.compactMap(\.ticket) } }
    }

    /// Items whose ticket is now solved or closed (`resolved`, by `AlertTicket.storeKey`)
    /// need nobody: marked so where they show, so a board lists only customers that still
    /// need attention and an incident's count of open items is true.
    public func settle(_ resolved: Set<String>, state: inout State, at now: Date, into result: inout Result) {
        guard !resolved.isEmpty else { return }
        for (email, messages) in state.live {
            for (customer, stateLive) in messages where isOpen(stateLive, at: now) {
                var live = result.changed[stateLive.postKey] ?? stateLive
                var settled = false
                for index in live.items.indices where !live.items[index].resolved {
                    guard let ticket = live.items[index].ticket, resolved.contains(ticket.storeKey) else { continue }
                    live.items[index].resolved = true
                    settled = true
                }
                guard settled else { continue }
                live.lastUpdateAt = now
                state.live[email]?[customer] = live
                result.changed[live.postKey] = live
            }
        }
    }

    /// A changed or resolved alert's new state shown in the live messages that carry it,
    /// with `note` (what changed) in their threads.
    public func refresh(_ stored: StoredAlert, note: Reply?, state: inout State, at now: Date, into result: inout Result) {
        for (email, messages) in state.live {
            for (customer, stateLive) in messages {
                var live = result.changed[stateLive.postKey] ?? stateLive
                guard let current = live.items.firstIndex(where: { $0.alertID == stored.id }) else { continue }
                live.items[current].severity = stored.alert.severity
                live.items[current].line = IncidentMessages.line(stored.alert)
                live.items[current].resolved = stored.status == .resolved
                if live.items[current].kind.isCustomerWide, let headline = self.messages.headline(stored.alert) { live.headline = headline }
                live.lastUpdateAt = now
                state.live[email]?[customer] = live
                result.changed[live.postKey] = live
                if let note {
                    let stamp = Int(now.timeIntervalSince1970)
                    result.messages.append((OutboxMessage(key: "\(live.postKey)/change/\(stored.id)/\(stamp)", kind: .thread, recipient: "",
                                                          parentKey: live.postKey, message: note), stored.id))
                }
            }
        }
    }
}
