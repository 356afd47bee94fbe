import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStore

/// What the alert buttons do, once the server knows who clicked: check the person may act
/// on the customer, record who did what and when, write back to the support system where
/// it applies, and update every copy of the alert in place (through the outbox).
public struct AlertActions: Sendable {
    let store: TicketStore
    let messages: AlertMessages
    let rules: RoutingRules
    let now: @Sendable () -> Date
    let onQueued: @Sendable () -> Void

    public init(store: TicketStore, messages: AlertMessages, rules: RoutingRules, now: @escaping @Sendable () -> Date, onQueued: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.messages = messages
        self.rules = rules
        self.now = now
        self.onQueued = onQueued
    }

    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case unknownAlert
        case outOfScope
        case noTicket
        case emptyText

        public var description: String {
            switch self {
            case .unknownAlert: "That alert no longer exists."
            case .outOfScope: "You can't act on this alert: the customer isn't in your accounts."
            case .noTicket: "This alert isn't about one ticket."
            case .emptyText: "Write something first."
            }
        }
    }

    /// The alert, if `person` may act on its customer.
    public func authorize(alertID: Int64, person: CSM) throws -> StoredAlert {
        guard let stored = try store.alert(id: alertID) else { throw Refusal.unknownAlert }
        guard try AccessScope.of(person, in: store).allows(stored.alert.customerID) else { throw Refusal.outOfScope }
        return stored
    }

    public func acknowledge(alertID: Int64, by person: CSM) throws {
        let stored = try authorize(alertID: alertID, person: person)
        guard stored.status == .open else { return }
        try record(stored, person, action: "acknowledge", status: .acknowledged)
    }

    public func snooze(alertID: Int64, for duration: TimeInterval, by person: CSM) throws {
        let stored = try authorize(alertID: alertID, person: person)
        var preferences = try store.preferences(email: person.email)
        let until = now().addingTimeInterval(duration)
        preferences.snoozes[stored.alert.customerID] = until
        try store.savePreferences(preferences, email: person.email, at: now())
        try record(stored, person, action: "snooze", detail: until.formatted(.iso8601))
    }

    /// A note on the alert's ticket, written back to the support system as an internal note.
    public func addNote(alertID: Int64, text: String, by person: CSM) throws {
        try ticketAction(alertID: alertID, text: text, kind: .note, by: person)
    }

    /// An escalation request on the alert's ticket, written back, and a coordination thread
    /// in the escalations channel.
    public func requestEscalation(alertID: Int64, reason: String, by person: CSM) throws {
        try ticketAction(alertID: alertID, text: reason, kind: .escalationRequest, by: person)
    }

    func ticketAction(alertID: Int64, text: String, kind: TicketAction.Kind, by person: CSM) throws {
        let stored = try authorize(alertID: alertID, person: person)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw Refusal.emptyText }
        guard let reference = stored.alert.ticket, let ticket = try store.ticket(source: reference.source, externalID: reference.externalID) else { throw Refusal.noTicket }
        try store.recordAction(TicketAction(kind: kind, actor: person.email, body: text, createdAt: now()), ticketID: ticket.id)
        var extra: [OutboxMessage] = []
        if kind == .escalationRequest, let channel = rules.escalationsChannel {
            let summary = "⬆️ *Escalation requested* by \(person.name) for *\(stored.alert.customerName)* — #\(reference.externalID) \(reference.subject)\n>\(text)\n\(stored.alert.explanation)"
            extra.append(OutboxMessage(key: "coordination/\(Self.stamp(now()))", kind: .post, recipient: "channel:\(channel)",
                                       message: Reply(blocks: [.section(summary)], fallbackText: "Escalation requested for \(stored.alert.customerName)")))
        }
        try record(stored, person, action: kind == .note ? "note" : "escalation_request", detail: text, extra: extra)
    }

    /// The email a CSM starts from: the workflow's draft if one was made, else the template
    /// for the alert's kind (PRD-087 §10.1 for spikes, the satisfaction follow-up for CSAT).
    public func draft(alertID: Int64, by person: CSM) throws -> EmailDraft {
        let stored = try authorize(alertID: alertID, person: person)
        if let saved = try store.emailDrafts(alertID: alertID).last {
            return EmailDraft(author: person.email, subject: saved.subject, body: saved.body)
        }
        let template = switch stored.alert.kind {
        case .spike, .burst: "spike_acknowledgment"
        case .csatLow, .csatDecline: "satisfaction_followup"
        default: "spike_acknowledgment"
        }
        guard let customer = try store.customer(id: stored.alert.customerID), let templates = messages.templates,
              let text = try? templates.render(template, AlertRouter.emailValues(stored.alert, customer: customer, csmName: person.name))
        else { return EmailDraft(author: person.email, subject: "About your support tickets", body: "") }
        let (subject, body) = AlertRouter.splitSubject(text)
        return EmailDraft(author: person.email, subject: subject, body: body)
    }

    public func saveDraft(alertID: Int64, subject: String, body: String, by person: CSM) throws {
        let stored = try authorize(alertID: alertID, person: person)
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Refusal.emptyText }
        try store.saveEmailDraft(alertID: alertID, customerID: stored.alert.customerID, author: person.email, subject: subject, body: body, at: now())
        try record(stored, person, action: "draft_email", detail: subject)
    }

    /// What a war room needs: a channel name, who joins, and the summary to post first.
    public func warRoom(alertID: Int64, by person: CSM) throws -> (name: String, members: [String], summary: Reply, alert: StoredAlert) {
        let stored = try authorize(alertID: alertID, person: person)
        let slug = stored.alert.customerName.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce(into: "") { $0.append($1) }
            .split(separator: "-").joined(separator: "-")
        let day = AlertMessages.utc.startOfDay(for: now()).formatted(.iso8601.year().month().day().dateSeparator(.omitted))
        let name = String("war-room-\(slug)-\(day)-\(alertID)".prefix(80))
        var members = [person.email]
        if let csm = try store.customer(id: stored.alert.customerID)?.csmEmail { members.append(csm.lowercased()) }
        if let lead = rules.supportLead { members.append(lead) }
        var seen = Set<String>()
        members = members.filter { seen.insert($0).inserted }
        let summary = Reply(header: "War room: \(stored.alert.title)", blocks: [
            .section(stored.alert.explanation.prefix(1).uppercased() + stored.alert.explanation.dropFirst()),
            .fields(stored.alert.facts.prefix(10).map { ReplyField($0.label, $0.value) }),
            .context("Started by \(person.name). Tickets: \(stored.alert.ticketIDs.prefix(15).map { "#\($0)" }.joined(separator: ", "))"),
        ], fallbackText: "War room: \(stored.alert.title)")
        return (name, members, summary, stored)
    }

    public func warRoomStarted(_ stored: StoredAlert, channel: String, by person: CSM) throws {
        try record(stored, person, action: "war_room", detail: channel)
    }

    /// Records the action and refreshes every copy of the alert with its status lines.
    func record(_ stored: StoredAlert, _ person: CSM, action: String, detail: String = "", status: AlertStatus? = nil, extra: [OutboxMessage] = []) throws {
        let at = now()
        var refreshed = stored
        if let status {
            refreshed.status = status
            if status == .acknowledged { refreshed.acknowledgedBy = person.email; refreshed.acknowledgedAt = at }
        }
        let previous = try store.alertActions(alertID: stored.id)
        let lines = (previous.map { ($0.actor, $0.action, $0.detail, $0.at) } + [(person.email, action, detail, at)]).map { try? statusLine(actor: $0.0, action: $0.1, detail: $0.2, at: $0.3) }.compactMap { $0 }
        let message = messages.message(refreshed, statusLines: lines)
        let stamp = Self.stamp(at)
        let updates = try store.postKeys(alertID: stored.id).map { postKey in
            OutboxMessage(key: "\(action)/\(stamp)/\(postKey)", kind: .update, recipient: "", parentKey: postKey, message: message)
        }
        try store.recordAlertAction(alertID: stored.id, actor: person.email, action: action, detail: detail, status: status, messages: updates + extra, at: at)
        try store.audit(AuditEntry(at: at, actor: person.email, action: "alert:\(action)", detail: "alert \(stored.id) \(stored.alert.dedupKey)\(stored.alert.ticket.map { " #\($0.externalID)" } ?? ""): \(detail)", customerIDs: [stored.alert.customerID]))
        onQueued()
    }

    func statusLine(actor: String, action: String, detail: String, at: Date) throws -> String {
        let name = try store.csm(email: actor).map { $0.slackUserID.map { "<@\($0)>" } ?? $0.name } ?? actor
        let time = AlertMessages.time(at)
        switch action {
        case "acknowledge": return "✅ Acknowledged by \(name) at \(time) UTC"
        case "note": return "📝 Note by \(name) at \(time) UTC: \(detail.prefix(200))"
        case "escalation_request": return "⬆️ Escalation requested by \(name) at \(time) UTC: \(detail.prefix(200))"
        case "draft_email": return "✉️ Email drafted by \(name) at \(time) UTC"
        case "war_room": return "🚨 War room <#\(detail)> started by \(name) at \(time) UTC"
        case "snooze": return "😴 Snoozed by \(name) until \(AlertMessages.time(ISO8601DateFormatter().date(from: detail) ?? at)) UTC"
        default: return "\(action) by \(name) at \(time) UTC"
        }
    }

    static func stamp(_ date: Date) -> String { String(format: "%.6f", date.timeIntervalSince1970) }
}
