import Foundation
import TicketPulseCore
import TicketPulseStorage

/// What the alert buttons do, once the server knows who clicked: check the person may act
/// on the customer, record who did what and when, write back to the support system where
/// it applies, and update every copy of the alert in place (through the outbox). Every
/// attempt, allowed or refused, goes through `attempt`, which audits it.
public struct AlertActions: Sendable {
    let store: any Store
    let messages: AlertMessages
    let rules: RoutingRules
    let now: @Sendable () -> Date
    let onQueued: @Sendable () -> Void
    /// Notes and escalation requests on tickets, from these buttons, the answers' modals
    /// and the HTTP API alike; its auditor audits every attempt, so there is one audit path.
    public let tickets: TicketActionService
    public var auditor: ActionAuditor { tickets.auditor }

    public init(store: any Store, messages: AlertMessages, rules: RoutingRules, now: @escaping @Sendable () -> Date, onQueued: @escaping @Sendable () -> Void = {}) {
        tickets = TicketActionService(store: store, now: now)
        self.store = store
        self.messages = messages
        self.rules = rules
        self.now = now
        self.onQueued = onQueued
    }

    /// Kept for callers that name the refusal through the actions.
    public typealias Refusal = ActionRefusal

    /// The one way an alert button or an alert modal's submission runs: who clicked
    /// (`person` maps the Slack user to the roster; nil: not on it), then the alert and the
    /// clicker's scope, then `body`; audited once by `auditor` as `alert:<action>`, allowed,
    /// refused or failed. The lookup runs inside the attempt, so a Slack failure while
    /// finding the clicker is audited too. `detail` is what the audit row says beyond the
    /// alert (a note's text, a snooze's length).
    public func attempt<T>(_ action: String, alertID: Int64, clicker slackUserID: String, detail: String = "",
                           person resolve: () async throws -> CSM?, isolation: isolated (any Actor)? = #isolation,
                           _ body: (AuthorizedAlert) async throws -> T) async throws -> T {
        let attempt = ActionAuditor.Attempt(actor: "slack:\(slackUserID)", action: "alert:\(action)", detail: "alert \(alertID): \(detail)")
        return try await auditor.run(attempt, isolation: isolation) { attempt in
            guard let person = try await resolve() else { throw ActionRefusal.notOnRoster }
            attempt.actor = person.email
            guard let stored = try await store.alert(id: alertID) else { throw ActionRefusal.unknownAlert }
            attempt.customerID = stored.alert.customerID
            attempt.detail = "alert \(stored.id) \(stored.alert.dedupKey)\(stored.alert.ticket.map { " #\($0.externalID)" } ?? ""): \(detail)"
            guard try await AccessScope.of(person, in: store).allows(stored.alert.customerID) else { throw ActionRefusal.outOfScope }
            return try await body(AuthorizedAlert(stored: stored, person: person))
        }
    }

    // The actions themselves take what only `attempt` makes: an alert the clicker may act on.
    public func acknowledge(_ alert: AuthorizedAlert) async throws {
        let (stored, person) = (alert.stored, alert.person)
        guard stored.status == .open else { return }
        try await record(stored, person, action: "acknowledge", status: .acknowledged)
    }

    public func snooze(_ alert: AuthorizedAlert, for duration: TimeInterval) async throws {
        let (stored, person) = (alert.stored, alert.person)
        var preferences = try await store.preferences(email: person.email)
        let until = now().addingTimeInterval(duration)
        preferences.snoozes[stored.alert.customerID] = until
        try await store.savePreferences(preferences, email: person.email, at: now())
        try await record(stored, person, action: "snooze", detail: until.formatted(.iso8601))
    }

    /// A note on the alert's ticket, written back to the support system as an internal note.
    public func addNote(_ alert: AuthorizedAlert, text: String) async throws {
        try await ticketAction(alert, text: text, kind: .note)
    }

    /// An escalation request on the alert's ticket, written back, and a coordination thread
    /// in the escalations channel.
    public func requestEscalation(_ alert: AuthorizedAlert, reason: String) async throws {
        try await ticketAction(alert, text: reason, kind: .escalationRequest)
    }

    /// PRD-102 FR-3.2, coordinating with support on the resolution: the message goes on the
    /// ticket as an internal note (written back, so the agent sees it where they work) and
    /// to the escalations channel, without asking for an escalation.
    public func coordinate(_ alert: AuthorizedAlert, message: String) async throws {
        try await ticketAction(alert, text: message, kind: .note, coordination: true)
    }

    func ticketAction(_ alert: AuthorizedAlert, text: String, kind: TicketAction.Kind, coordination: Bool = false) async throws {
        let (stored, person) = (alert.stored, alert.person)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw Refusal.emptyText }
        guard let reference = stored.alert.ticket, let ticket = try await store.ticket(source: reference.source, externalID: reference.externalID) else { throw Refusal.noTicket }
        try await tickets.record(kind, text: text, on: ticket, by: person)
        var extra: [OutboxMessage] = []
        if kind == .escalationRequest || coordination, let channel = rules.escalationsChannel {
            let what = coordination ? "🤝 *Coordination with support* asked" : "⬆️ *Escalation requested*"
            let summary = "\(what) by \(person.name) for *\(stored.alert.customerName)* — #\(reference.externalID) \(reference.subject)\n>\(text)\n\(stored.alert.explanation)"
            extra.append(OutboxMessage(key: "coordination/\(Self.stamp(now()))", kind: .post, recipient: "channel:\(channel)",
                                       message: Reply(blocks: [.section(summary)], fallbackText: "Escalation requested for \(stored.alert.customerName)")))
        }
        try await record(stored, person, action: coordination ? "coordination" : kind == .note ? "note" : "escalation_request", detail: text, extra: extra)
    }

    /// The email a CSM starts from: the workflow's draft if one was made, else the template
    /// for the alert's kind (PRD-087 §10.1 for spikes, the satisfaction follow-up for CSAT).
    public func draft(_ alert: AuthorizedAlert) async throws -> EmailDraft {
        let (stored, person) = (alert.stored, alert.person)
        if let saved = try await store.emailDrafts(alertID: stored.id).last {
            return EmailDraft(author: person.email, subject: saved.subject, body: saved.body)
        }
        let template = switch stored.alert.kind {
        case .spike, .burst: "spike_acknowledgment"
        case .csatLow, .csatDecline: "satisfaction_followup"
        default: "spike_acknowledgment"
        }
        guard let customer = try await store.customer(id: stored.alert.customerID), let templates = messages.templates,
              let text = try? templates.render(template, AlertRouter.emailValues(stored.alert, customer: customer, csmName: person.name))
        else { return EmailDraft(author: person.email, subject: "About your support tickets", body: "") }
        let (subject, body) = AlertRouter.splitSubject(text)
        return EmailDraft(author: person.email, subject: subject, body: body)
    }

    public func saveDraft(_ alert: AuthorizedAlert, subject: String, body: String) async throws {
        let (stored, person) = (alert.stored, alert.person)
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Refusal.emptyText }
        try await store.saveEmailDraft(alertID: stored.id, customerID: stored.alert.customerID, author: person.email, subject: subject, body: body, at: now())
        try await record(stored, person, action: "draft_email", detail: subject)
    }

    /// An outreach email sent from the alert's draft modal (queued by the server), on the
    /// alert's timeline.
    public func emailSent(_ alert: AuthorizedAlert, to address: String, subject: String) async throws {
        try await record(alert.stored, alert.person, action: "send_email", detail: "to \(address): \(subject)")
    }

    /// What a war room needs: a channel name, who joins, and the summary to post first.
    public func warRoom(_ alert: AuthorizedAlert) async throws -> (name: String, members: [String], summary: Reply) {
        let (stored, person) = (alert.stored, alert.person)
        let alertID = stored.id
        let slug = stored.alert.customerName.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce(into: "") { $0.append($1) }
            .split(separator: "-").joined(separator: "-")
        let day = AlertMessages.utc.startOfDay(for: now()).formatted(.iso8601.year().month().day().dateSeparator(.omitted))
        let name = String("war-room-\(slug)-\(day)-\(alertID)".prefix(80))
        var members = [person.email]
        if let csm = try await store.customer(id: stored.alert.customerID)?.csmEmail { members.append(csm.lowercased()) }
        if let lead = rules.supportLead { members.append(lead) }
        var seen = Set<String>()
        members = members.filter { seen.insert($0).inserted }
        let summary = Reply(header: "War room: \(stored.alert.title)", blocks: [
            .section(stored.alert.explanation.prefix(1).uppercased() + stored.alert.explanation.dropFirst()),
            .fields(stored.alert.facts.prefix(10).map { ReplyField($0.label, $0.value) }),
            .context("Started by \(person.name). Tickets: \(stored.alert.ticketIDs.prefix(15).map { "#\($0)" }.joined(separator: ", "))"),
        ], fallbackText: "War room: \(stored.alert.title)")
        return (name, members, summary)
    }

    public func warRoomStarted(_ alert: AuthorizedAlert, channel: String) async throws {
        try await record(alert.stored, alert.person, action: "war_room", detail: channel)
    }

    /// Records the action and refreshes every copy of the alert with its status lines.
    func record(_ stored: StoredAlert, _ person: CSM, action: String, detail: String = "", status: AlertStatus? = nil, extra: [OutboxMessage] = []) async throws {
        let at = now()
        var refreshed = stored
        if let status {
            refreshed.status = status
            if status == .acknowledged { refreshed.acknowledgedBy = person.email; refreshed.acknowledgedAt = at }
        }
        let previous = try await store.alertActions(alertID: stored.id)
        var lines: [String] = []
        for entry in previous.map({ ($0.actor, $0.action, $0.detail, $0.at) }) + [(person.email, action, detail, at)] {
            if let line = try? await statusLine(actor: entry.0, action: entry.1, detail: entry.2, at: entry.3) { lines.append(line) }
        }
        let message = messages.message(refreshed, statusLines: lines)
        let stamp = Self.stamp(at)
        let showing = try await liveViews(of: stored, acknowledgedBy: status == .acknowledged ? try displayName(person.email) : nil)
        let grouped = showing.filter { $0.items.count > 1 || $0.isBoard }
        let groupedKeys = Set(grouped.map(\.postKey))
        // The alert's channel posts and the live DMs it opened that are its own message.
        var updates = try await (store.postKeys(alertID: stored.id) + store.livePostKeys(alertID: stored.id)).filter { !groupedKeys.contains($0) }.map { postKey in
            OutboxMessage(key: "\(action)/\(stamp)/\(postKey)", kind: .update, recipient: "", parentKey: postKey, message: message)
        }
        // A grouped message stays grouped: updated in place with the item marked, and what was
        // done said in its thread, where each item's detail already is.
        let incidents = IncidentMessages(alerts: messages)
        for live in grouped {
            if let line = lines.last {
                updates.append(OutboxMessage(key: "\(action)/\(stamp)/\(live.postKey)/note", kind: .thread, recipient: "", parentKey: live.postKey,
                                             message: Reply(blocks: [.context("\(line) · \(IncidentMessages.line(stored.alert))")], fallbackText: line)))
            }
            updates.append(OutboxMessage(key: "\(action)/\(stamp)/\(live.postKey)", kind: .update, recipient: "", parentKey: live.postKey, message: incidents.live(live)))
        }
        // Saved wherever the item shows, so a message that becomes grouped later shows the mark.
        let rows = try showing.map { live in
            LiveMessageRow(email: live.email, customerID: live.customerID, postKey: live.postKey, lastItemAt: live.lastItemAt,
                           stateJSON: String(decoding: try StoreJSON.encoder.encode(live), as: UTF8.self))
        }
        // Not audited here: the `attempt` this runs inside writes the one audit row.
        try await store.recordAlertAction(alertID: stored.id, actor: person.email, action: action, detail: detail, status: status, messages: updates + extra,
                                    liveMessages: rows, at: at)
        onQueued()
    }

    /// The live messages (incidents, boards) that show the alert, with its item marked
    /// acknowledged when `acknowledgedBy` is given.
    func liveViews(of stored: StoredAlert, acknowledgedBy: String?) async throws -> [LiveMessage] {
        try await store.liveMessages(customerIDs: [stored.alert.customerID, LiveMessage.board]).compactMap { row -> LiveMessage? in
            guard var live = try? StoreJSON.decoder.decode(LiveMessage.self, from: Data(row.stateJSON.utf8)),
                  let index = live.items.firstIndex(where: { $0.alertID == stored.id }) else { return nil }
            if let acknowledgedBy { live.items[index].acknowledgedBy = acknowledgedBy }
            live.lastUpdateAt = now()
            return live
        }
    }

    func displayName(_ email: String) async throws -> String { try await Self.displayName(email, in: store) }

    /// A person as messages name them: their Slack mention, else their name.
    static func displayName(_ email: String, in store: any Store) async throws -> String {
        try await store.csm(email: email).map { $0.slackUserID.map { "<@\($0)>" } ?? $0.name } ?? email
    }

    func statusLine(actor: String, action: String, detail: String, at: Date) async throws -> String {
        let name = try await displayName(actor)
        let time = AlertMessages.time(at)
        switch action {
        case "acknowledge": return "✅ Acknowledged by \(name) at \(time) UTC"
        case "note": return "📝 Note by \(name) at \(time) UTC: \(detail.prefix(200))"
        case "escalation_request": return "⬆️ Escalation requested by \(name) at \(time) UTC: \(detail.prefix(200))"
        case "coordination": return "🤝 Support asked to coordinate by \(name) at \(time) UTC: \(detail.prefix(200))"
        case "draft_email": return "✉️ Email drafted by \(name) at \(time) UTC"
        case "war_room": return "🚨 War room <#\(detail)> started by \(name) at \(time) UTC"
        case "snooze": return "😴 Snoozed by \(name) until \(AlertMessages.time(ISO8601DateFormatter().date(from: detail) ?? at)) UTC"
        default: return "\(action) by \(name) at \(time) UTC"
        }
    }

    static func stamp(_ date: Date) -> String { String(format: "%.6f", date.timeIntervalSince1970) }
}

/// An alert with a clicker who may act on it. Only `AlertActions.attempt` makes one, after
/// the roster and scope checks and inside the audited attempt, so no action can run
/// unchecked or unaudited.
public struct AuthorizedAlert: Sendable {
    public let stored: StoredAlert
    public let person: CSM

    fileprivate init(stored: StoredAlert, person: CSM) {
        self.stored = stored
        self.person = person
    }
}

extension AlertMessages.Button {
    /// The action an attempt is audited as (`alert:<this>`); opening a modal is an attempt
    /// of its own, its submission another.
    public var auditAction: String {
        switch self {
        case .acknowledge: "acknowledge"
        case .viewTickets: "view_tickets"
        case .viewTicket: "view_ticket"
        case .viewCustomer: "view_customer"
        case .coordinate: "open_coordination"
        case .addNote: "open_note"
        case .requestEscalation: "open_escalation_request"
        case .draftResponse: "open_draft"
        case .warRoom: "war_room"
        case .snoozeHour, .snoozeDay, .snoozeWeek: "snooze"
        }
    }
}
