import Foundation
import TicketPulseTemplates
import TicketPulseCore
import TicketPulseStorage

/// Alerts as `Reply` messages: the formats of PRD-087 §5.1 (spike) and PRD-102 §5.1
/// (CSAT) from the `prompts/` templates, a plain one for the other kinds, the buttons, the
/// thread notes of a changing incident, and the daily digest.
public struct AlertMessages: Sendable {
    public var templates: PromptTemplates?
    /// The web dashboard's address (`web.public_url`): an alert then links its customer's
    /// page. nil: no link, as Slack cannot open a page it cannot reach.
    public var dashboardURL: URL?

    public init(templates: PromptTemplates?, dashboardURL: URL? = nil) {
        self.templates = templates
        self.dashboardURL = dashboardURL
    }

    /// "View customer": the customer's dashboard page, when the dashboard has a public address.
    public func customerPageLink(_ customerID: String) -> String? {
        guard var base = dashboardURL?.absoluteString else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        let id = customerID.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_"))) ?? customerID
        return "<\(base)/app/customers/\(id)|View customer>"
    }

    /// Action ids of the alert's buttons and of its overflow ("…") menu, one list for
    /// both: a menu option carries the same id as the button it stands in for, so a click
    /// and a menu choice reach the same handler and the same audit. The value is the alert id.
    public enum Button: String, CaseIterable, Sendable {
        case acknowledge = "alert_ack"
        case viewTickets = "alert_view_tickets"
        case viewTicket = "alert_view_ticket"
        case viewCustomer = "alert_view_customer"
        case addNote = "alert_add_note"
        case requestEscalation = "alert_request_escalation"
        case coordinate = "alert_coordinate"
        case draftResponse = "alert_draft_response"
        case warRoom = "alert_war_room"
        case snoozeHour = "alert_snooze_1h"
        case snoozeDay = "alert_snooze_1d"
        case snoozeWeek = "alert_snooze_1w"

        public var label: String {
            switch self {
            case .acknowledge: "Acknowledge"
            case .viewTickets: "View tickets"
            case .viewTicket: "View ticket"
            case .viewCustomer: "View customer"
            case .addNote: "Add note"
            case .requestEscalation: "Request escalation"
            case .coordinate: "Coordinate with support"
            case .draftResponse: "Draft response"
            case .warRoom: "Start war room"
            case .snoozeHour: "Snooze 1 h"
            case .snoozeDay: "Snooze 1 day"
            case .snoozeWeek: "Snooze 1 week"
            }
        }

        /// The label on an alert of `kind`: PRD-102 §5.1 calls the poor rating's draft a
        /// follow-up email.
        public func label(for kind: AlertKind) -> String {
            self == .draftResponse && (kind == .csatLow || kind == .csatDecline) ? "Send follow-up email" : label
        }

        public var snooze: TimeInterval? {
            switch self {
            case .snoozeHour: 3600
            case .snoozeDay: 86_400
            case .snoozeWeek: 7 * 86_400
            default: nil
            }
        }

        /// Buttons that act on the alert's one ticket.
        var needsTicket: Bool { [.viewTicket, .addNote, .requestEscalation, .coordinate].contains(self) }
    }

    /// At most this many buttons on an alert; the rest go in its overflow menu. Nine
    /// buttons made every alert a wall of choices (issue 13).
    public static let maxButtons = 4

    /// The buttons and menu of an alert of `kind`: the four that matter most for it (PRD-087
    /// §5.1 for spikes, PRD-102 §5.1 for poor ratings), then the rest, at most five
    /// (Slack's menu limit).
    public static func layout(_ kind: AlertKind) -> (buttons: [Button], menu: [Button]) {
        switch kind {
        case .spike:
            ([.viewTickets, .draftResponse, .warRoom, .viewCustomer], [.acknowledge, .snoozeHour, .snoozeDay, .snoozeWeek])
        case .burst:
            ([.acknowledge, .viewTickets, .viewCustomer, .draftResponse], [.warRoom, .snoozeHour, .snoozeDay, .snoozeWeek])
        case .csatLow:
            ([.draftResponse, .viewTicket, .coordinate], [.acknowledge, .addNote, .snoozeHour, .snoozeDay, .snoozeWeek])
        case .csatDecline:
            ([.acknowledge, .viewCustomer, .draftResponse, .viewTickets], [.coordinate, .snoozeDay, .snoozeWeek])
        case .escalation:
            ([.acknowledge, .viewTicket, .addNote, .warRoom], [.coordinate, .draftResponse, .snoozeHour, .snoozeDay, .snoozeWeek])
        case .slaBreach, .slaAtRisk, .aging:
            ([.acknowledge, .viewTicket, .addNote, .requestEscalation], [.coordinate, .warRoom, .snoozeHour, .snoozeDay, .snoozeWeek])
        case .newTicket:
            ([.acknowledge, .viewTicket, .addNote, .requestEscalation], [.draftResponse, .warRoom, .snoozeHour, .snoozeDay, .snoozeWeek])
        case .ticketResolved:
            ([.acknowledge, .viewTicket, .addNote], [.draftResponse, .snoozeDay, .snoozeWeek])
        }
    }

    /// The actions an alert offers in its state: without a ticket, "View ticket" becomes
    /// "View tickets" and the ticket's note, escalation and coordination go; an
    /// acknowledged alert offers no second Acknowledge.
    public static func actions(for alert: Alert, status: AlertStatus) -> (buttons: [Button], menu: [Button]) {
        var (buttons, menu) = layout(alert.kind)
        func fit(_ list: [Button]) -> [Button] {
            var seen = Set<Button>()
            return list.map { alert.ticket == nil && $0 == .viewTicket ? .viewTickets : $0 }
                .filter { !(alert.ticket == nil && $0.needsTicket) && !(status == .acknowledged && $0 == .acknowledge) && seen.insert($0).inserted }
        }
        buttons = fit(buttons)
        menu = fit(menu).filter { !buttons.contains($0) }
        return (buttons, menu)
    }

    /// An alert's buttons and overflow menu, the first button primary: one rendering for an
    /// alert's own message and for a grouped message that stands for it.
    static func actionsBlock(buttons: [Button], menu: [Button], kind: AlertKind, value: String) -> ReplyBlock {
        .actions(
            buttons.map { ReplyAction(id: $0.rawValue, label: $0.label(for: kind), value: value, style: $0 == buttons.first ? .primary : .normal) }
                + menu.map { ReplyAction(id: $0.rawValue, label: $0.label(for: kind), value: value, inMenu: true) }
        )
    }

    /// The alert's message; `status` lines ("Acknowledged by …") go under the facts.
    public func message(_ stored: StoredAlert, statusLines: [String] = []) -> Reply {
        let alert = stored.alert
        let header = "\(alert.severity.emoji) \(alert.title)"
        var blocks: [ReplyBlock] = [.section(body(alert))]
        blocks.append(.fields(alert.facts.prefix(10).map { ReplyField($0.label, $0.value) }))
        let state: String = switch stored.status {
        case .open: "Open"
        case .acknowledged: "Acknowledged"
        case .resolved: "Resolved"
        }
        blocks.append(.context("\(alert.severity.rawValue.capitalized) · \(alert.kind.label) · \(state) · detected \(Self.time(alert.detectedAt)) UTC"))
        blocks += statusLines.map { ReplyBlock.context($0) }
        if let link = customerPageLink(alert.customerID) { blocks.append(.context(link)) }
        if stored.status != .resolved {
            let (buttons, menu) = Self.actions(for: alert, status: stored.status)
            // A planned alert (id 0) is not stored yet; the store fills in its id.
            let value = stored.id == 0 ? OutboxMessage.alertIDPlaceholder : String(stored.id)
            blocks.append(Self.actionsBlock(buttons: buttons, menu: menu, kind: alert.kind, value: value))
        }
        return Reply(header: header, blocks: blocks, fallbackText: "\(header): \(alert.explanation)")
    }

    /// Labels of the account facts `withAccountContext` adds.
    static let accountFactLabels: Set<String> = ["ARR", "Health score", "CSM"]

    /// The alert with what PRD-087 §5.1 shows about the account beside a spike: ARR, the
    /// health score now and before this alert's own adjustment ("63 (was 78)"), and the
    /// CSM. Routing knows the adjustment and the CSM, so the router calls this; the facts
    /// are stored with the alert, so every later update of the message keeps them.
    public func withAccountContext(_ alert: Alert, customer: Customer, csm: CSM?, healthDelta: Double?) -> Alert {
        guard alert.kind == .spike || alert.kind == .burst || alert.kind == .csatDecline else { return alert }
        var alert = alert
        var facts: [AlertFact] = []
        if !alert.facts.contains(where: { $0.label == "ARR" }) { facts.append(AlertFact("ARR", AlertDetectors.money(customer.arr))) }
        if let before = customer.healthScore {
            let now = min(100, max(0, before + (healthDelta ?? 0)))
            alert.numbers["health_score"] = now
            alert.numbers["health_before"] = before
            facts.append(AlertFact("Health score", now == before ? String(format: "%.0f", now) : String(format: "%.0f (was %.0f)", now, before)))
        }
        if let name = csm?.name ?? customer.csmEmail { facts.append(AlertFact("CSM", name)) }
        alert.facts.removeAll { Self.accountFactLabels.contains($0.label) && $0.label != "ARR" }
        alert.facts += facts
        return alert
    }

    /// A re-detected incident keeps the account facts its first message showed.
    public func keepingAccountContext(of old: Alert, in new: Alert) -> Alert {
        var new = new
        let kept = old.facts.filter { Self.accountFactLabels.contains($0.label) && !new.facts.map(\.label).contains($0.label) }
        new.facts += kept
        for key in ["health_score", "health_before"] where new.numbers[key] == nil { new.numbers[key] = old.numbers[key] }
        return new
    }

    /// The section text: the PRD formats from `prompts/`, else the explanation.
    func body(_ alert: Alert) -> String {
        var values: [String: Any] = ["customerName": alert.customerName, "explanation": alert.explanation]
        let template: String
        switch alert.kind {
        case .spike:
            template = "spike_alert"
            values["count"] = Int(alert.numbers["count"] ?? 0)
            values["multiple"] = String(format: "%.1f×", alert.numbers["multiple"] ?? 0)
            values["baseline"] = String(format: "%.1f", alert.numbers["baseline_per_day"] ?? 0)
            let hours = alert.numbers["window_hours"] ?? 24
            values["window"] = hours == 24 ? "24 hours" : hours.truncatingRemainder(dividingBy: 24) == 0 ? "\(Int(hours / 24)) days" : "\(Int(hours)) hours"
            if !alert.themes.isEmpty { values["themes"] = alert.themes.joined(separator: ", ") }
        case .csatLow:
            template = "csat_alert"
            values["ticketID"] = alert.ticket?.externalID ?? ""
            if let subject = alert.ticket?.subject, !subject.isEmpty { values["subject"] = subject }
            values["rating"] = Int(alert.numbers["rating"] ?? 0)
            if let comment = alert.facts.first(where: { $0.label == "Comment" })?.value { values["comment"] = comment.trimmingCharacters(in: CharacterSet(charactersIn: "“”")) }
            if alert.facts.contains(where: { $0.label == "Pattern" }) { values["secondLow"] = true }
        default:
            return alert.explanation.prefix(1).uppercased() + alert.explanation.dropFirst()
        }
        guard let templates, let text = try? templates.render(template, values) else {
            return alert.explanation.prefix(1).uppercased() + alert.explanation.dropFirst()
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A thread note when the incident changes ("Now 18 tickets in 24 h…").
    public func changeNote(from old: Alert, to new: Alert) -> Reply {
        var text = "Update: \(new.explanation)"
        if new.severity != old.severity { text += " — severity \(old.severity.rawValue) → *\(new.severity.rawValue)*" }
        return Reply(blocks: [.section(text)], fallbackText: text)
    }

    /// A new ticket held back by an open spike alert, noted in the spike's thread instead.
    public func inhibitedNote(_ alert: Alert) -> Reply {
        let text = "\(alert.kind.label) during this spike: \(alert.ticket.map { "#\($0.externalID) \($0.priority.rawValue) \($0.subject)" } ?? alert.title)"
        return Reply(blocks: [.context(text)], fallbackText: text)
    }

    public func resolvedNote(_ alert: Alert) -> Reply {
        let text = "✅ Resolved: \(alert.title) no longer holds."
        return Reply(blocks: [.context(text)], fallbackText: text)
    }

    /// The daily digest of routine items, grouped by what they are.
    /// Times are shown in `timeZone`, the reader's.
    public func digest(_ alerts: [StoredAlert], for name: String, at now: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> Reply {
        let shown = alerts.prefix(40)
        let rows = shown.map { stored -> [String] in
            let alert = stored.alert
            return [alert.severity.emoji, alert.customerName, alert.kind.label, alert.ticket.map { "#\($0.externalID) \($0.subject)" } ?? alert.explanation,
                    Self.time(alert.detectedAt, in: timeZone)]
        }
        let header = "Your TicketPulse digest: \(alerts.count) item\(alerts.count == 1 ? "" : "s")"
        let counts = Dictionary(grouping: alerts, by: \.alert.kind.label).map { "\($0.value.count) \($0.key.lowercased())" }.sorted().joined(separator: ", ")
        return Reply(header: header, blocks: [
            .section("Good morning \(name). Routine items since your last digest: \(counts)."),
            .table(ReplyTable(columns: ["", "Customer", "What", "Detail", "When (\(NotificationPreferences.name(of: timeZone)))"], rows: rows, omittedRows: alerts.count - shown.count)),
            .context("P3/P4 tickets, resolved tickets and weekly CSAT trends come here; urgent alerts still DM you at once. Change with “notify me at 8am”."),
        ], fallbackText: "\(header) — \(counts)")
    }

    static func time(_ date: Date, in timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: timeZone).locale(Locale(identifier: "en_US_POSIX")))
    }
}
