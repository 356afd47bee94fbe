import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStore

/// Alerts as `Reply` messages: the formats of PRD-087 §5.1 (spike) and PRD-102 §5.1
/// (CSAT) from the `prompts/` templates, a plain one for the other kinds, the buttons, the
/// thread notes of a changing incident, and the daily digest.
public struct AlertMessages: Sendable {
    public var templates: PromptTemplates?

    public init(templates: PromptTemplates?) {
        self.templates = templates
    }

    /// Button action ids; the value is the alert id.
    public enum Button: String, CaseIterable, Sendable {
        case acknowledge = "alert_ack"
        case viewTickets = "alert_view_tickets"
        case addNote = "alert_add_note"
        case requestEscalation = "alert_request_escalation"
        case draftResponse = "alert_draft_response"
        case warRoom = "alert_war_room"
        case snoozeHour = "alert_snooze_1h"
        case snoozeDay = "alert_snooze_1d"
        case snoozeWeek = "alert_snooze_1w"

        public var label: String {
            switch self {
            case .acknowledge: "Acknowledge"
            case .viewTickets: "View tickets"
            case .addNote: "Add note"
            case .requestEscalation: "Request escalation"
            case .draftResponse: "Draft response"
            case .warRoom: "Start war room"
            case .snoozeHour: "Snooze 1 h"
            case .snoozeDay: "Snooze 1 day"
            case .snoozeWeek: "Snooze 1 week"
            }
        }

        public var snooze: TimeInterval? {
            switch self {
            case .snoozeHour: 3600
            case .snoozeDay: 86_400
            case .snoozeWeek: 7 * 86_400
            default: nil
            }
        }
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
        if stored.status != .resolved {
            var buttons: [Button] = [.acknowledge, .viewTickets]
            if alert.ticket != nil { buttons += [.addNote, .requestEscalation] }
            buttons += [.draftResponse, .warRoom, .snoozeHour, .snoozeDay, .snoozeWeek]
            if stored.status == .acknowledged { buttons.removeAll { $0 == .acknowledge } }
            blocks.append(.actions(buttons.map { ReplyAction(id: $0.rawValue, label: $0.label, value: String(stored.id), style: $0 == .acknowledge ? .primary : .normal) }))
        }
        return Reply(header: header, blocks: blocks, fallbackText: "\(header): \(alert.explanation)")
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
    public func digest(_ alerts: [StoredAlert], for name: String, at now: Date) -> Reply {
        let shown = alerts.prefix(40)
        let rows = shown.map { stored -> [String] in
            let alert = stored.alert
            return [alert.severity.emoji, alert.customerName, alert.kind.label, alert.ticket.map { "#\($0.externalID) \($0.subject)" } ?? alert.explanation, Self.time(alert.detectedAt)]
        }
        let header = "Your TicketPulse digest: \(alerts.count) item\(alerts.count == 1 ? "" : "s")"
        let counts = Dictionary(grouping: alerts, by: \.alert.kind.label).map { "\($0.value.count) \($0.key.lowercased())" }.sorted().joined(separator: ", ")
        return Reply(header: header, blocks: [
            .section("Good morning \(name). Routine items since your last digest: \(counts)."),
            .table(ReplyTable(columns: ["", "Customer", "What", "Detail", "When (UTC)"], rows: rows, omittedRows: alerts.count - shown.count)),
            .context("P3/P4 tickets, resolved tickets and weekly CSAT trends come here; urgent alerts still DM you at once. Change with “notify me at 8am”."),
        ], fallbackText: "\(header) — \(counts)")
    }

    static func time(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC")!).locale(Locale(identifier: "en_US_POSIX")))
    }
}
