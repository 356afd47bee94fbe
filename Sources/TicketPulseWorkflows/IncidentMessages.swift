import Foundation
import TicketPulseCore
import TicketPulseStore

/// The grouped DMs: one live message per customer incident and person (header, counts,
/// the newest items, buttons for the most serious alert), its thread notes, and the
/// person's board, "where your accounts stand". A message with a single item is that
/// alert's own message, so one alert looks as it always did.
public struct IncidentMessages: Sendable {
    public var alerts: AlertMessages

    public init(alerts: AlertMessages) {
        self.alerts = alerts
    }

    static let newest = 6

    /// The first message of an incident: the alert's own.
    public func first(_ alert: Alert, alertID: Int64) -> Reply {
        alerts.message(StoredAlert(id: alertID, alert: alert, status: .open, updatedAt: alert.detectedAt))
    }

    /// The detail of an item, in the live message's thread.
    public func threadNote(_ alert: Alert) -> Reply {
        let text = "\(alert.severity.emoji) *\(alert.title)*: \(alert.explanation)"
        return Reply(blocks: [.section(String(text.prefix(2900)))], fallbackText: "\(alert.title): \(alert.explanation)")
    }

    /// One line for the newest-items list.
    static func line(_ alert: Alert) -> String {
        if let ticket = alert.ticket, alert.kind != .spike, alert.kind != .burst {
            return "\(alert.kind.label): #\(ticket.externalID) \(ticket.priority.rawValue) \(ticket.subject)"
        }
        return "\(alert.kind.label): \(alert.explanation)"
    }

    /// The live message as it stands.
    public func live(_ live: LiveMessage) -> Reply {
        live.isBoard ? board(live) : incident(live)
    }

    func incident(_ live: LiveMessage) -> Reply {
        let open = live.items.filter { !$0.resolved }
        let worst = (open.isEmpty ? live.items : open).max { $0.severity < $1.severity }
        let severity = worst?.severity ?? .low
        let counts = Self.counts(live.counts)
        let header = "\(severity.emoji) \(live.customerName): \(open.count) open · \(counts)"
        // The customer-wide items (spike, burst) head the list, as what the incident is
        // about; then the newest others.
        let headline = live.items.filter { $0.kind.isCustomerWide }
        let shown = (headline.reversed() + live.items.filter { !$0.kind.isCustomerWide }.reversed()).prefix(Self.newest)
        var blocks: [ReplyBlock] = [
            .section(shown.map { "\($0.resolved ? "✅" : $0.severity.emoji) \($0.line)" }.joined(separator: "\n")),
            .context("Updated in place as things change; each item's detail is in the thread. Since \(AlertMessages.time(live.openedAt)) UTC."),
        ]
        if let worst, !open.isEmpty { blocks.append(Self.buttons(alertID: worst.alertID, kind: worst.kind)) }
        return Reply(header: header, blocks: blocks, fallbackText: "\(header). Newest: \(live.items.last?.line ?? "")")
    }

    /// The buttons and menu of the most serious open alert, as its own message has them.
    static func buttons(alertID: Int64, kind: AlertKind) -> ReplyBlock {
        let (buttons, menu) = AlertMessages.layout(kind)
        return AlertMessages.actionsBlock(buttons: buttons, menu: menu, kind: kind, value: String(alertID))
    }

    static func counts(_ counts: [String: Int]) -> String {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.value) \($0.key.lowercased())" }.joined(separator: ", ")
    }

    /// The board: customers needing attention, most serious first, with a button each.
    public func board(_ live: LiveMessage) -> Reply {
        let byCustomer = Dictionary(grouping: live.items.filter { !$0.resolved }, by: \.customerName)
        let ranked = byCustomer.sorted { lhs, rhs in
            let left = lhs.value.map(\.severity).max() ?? .low, right = rhs.value.map(\.severity).max() ?? .low
            return left != right ? left > right : lhs.key < rhs.key
        }
        let header = "Where your accounts stand: \(ranked.count) customer\(ranked.count == 1 ? "" : "s") need\(ranked.count == 1 ? "s" : "") attention"
        var blocks: [ReplyBlock] = []
        for (name, items) in ranked.prefix(10) {
            let worst = items.max { $0.severity < $1.severity }!
            let kinds = Self.counts(Dictionary(grouping: items, by: \.kind.label).mapValues(\.count))
            blocks.append(.section("\(worst.severity.emoji) *\(name)*: \(kinds)\n\(worst.line)"))
            blocks.append(.actions([ReplyAction(id: AlertMessages.Button.viewTickets.rawValue, label: "View \(name)", value: String(worst.alertID))]))
        }
        if ranked.count > 10 { blocks.append(.context("…and \(ranked.count - 10) more; ask “show my portfolio” for all of them.")) }
        if ranked.isEmpty { blocks.append(.section("Nothing needs your attention right now.")) }
        blocks.append(.context("These were already open when TicketPulse started watching, or came in while your alerts were paused for the day; this message is kept up to date in place."))
        return Reply(header: header, blocks: blocks, fallbackText: header)
    }
}
