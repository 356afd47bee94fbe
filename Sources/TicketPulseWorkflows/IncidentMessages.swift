import Foundation
import TicketPulseCore
import TicketPulseStorage

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

    /// A customer-wide alert's summary and facts, to head its incident's grouped view.
    func headline(_ alert: Alert) -> LiveMessage.Headline? {
        guard alert.kind.isCustomerWide else { return nil }
        return LiveMessage.Headline(summary: alerts.body(alert), facts: Array(alert.facts.prefix(10)))
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
        let acknowledged = open.filter { $0.acknowledgedBy != nil }.count
        let header = "\(severity.emoji) \(live.customerName): \(open.count) open\(acknowledged > 0 ? " (\(acknowledged) acknowledged)" : "") · \(counts)"
        // The customer-wide items (spike, burst) head the list, as what the incident is
        // about; then the newest others.
        let headline = live.items.filter { $0.kind.isCustomerWide }
        let shown = (headline.reversed() + live.items.filter { !$0.kind.isCustomerWide }.reversed()).prefix(Self.newest)
        var blocks: [ReplyBlock] = []
        if let headline = live.headline {
            blocks += [.section(headline.summary), .fields(headline.facts.map { ReplyField($0.label, $0.value) })]
        }
        blocks += [
            .section(shown.map(Self.row).joined(separator: "\n")),
            .context("Updated in place as things change; each item's detail is in the thread. Since \(AlertMessages.time(live.openedAt)) UTC."),
        ]
        // The buttons act for the most serious item nobody has taken yet; once all are
        // acknowledged, for the most serious one, without a second Acknowledge.
        let untaken = open.filter { $0.acknowledgedBy == nil }
        if let target = (untaken.isEmpty ? open : untaken).max(by: { $0.severity < $1.severity }) {
            blocks.append(Self.buttons(alertID: target.alertID, kind: target.kind, acknowledged: target.acknowledgedBy != nil))
        }
        return Reply(header: header, blocks: blocks, fallbackText: "\(header). Newest: \(live.items.last?.line ?? "")")
    }

    /// One item of the newest-items list: resolved ✅, acknowledged ☑️ with who took it.
    static func row(_ item: LiveMessage.Item) -> String {
        if item.resolved { return "✅ \(item.line)" }
        if let who = item.acknowledgedBy { return "☑️ \(item.line) · acknowledged by \(who)" }
        return "\(item.severity.emoji) \(item.line)"
    }

    /// The buttons and menu of the most serious open alert, as its own message has them.
    static func buttons(alertID: Int64, kind: AlertKind, acknowledged: Bool = false) -> ReplyBlock {
        let (buttons, menu) = AlertMessages.layout(kind)
        let offered = { (list: [AlertMessages.Button]) in acknowledged ? list.filter { $0 != .acknowledge } : list }
        return AlertMessages.actionsBlock(buttons: offered(buttons), menu: offered(menu), kind: kind, value: String(alertID))
    }

    static func counts(_ counts: [String: Int]) -> String {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.value) \($0.key.lowercased())" }.joined(separator: ", ")
    }

    /// The board: customers needing attention, most serious first, with a button each. A
    /// customer whose every open item someone acknowledged is in hand, named at the end.
    public func board(_ live: LiveMessage) -> Reply {
        let byCustomer = Dictionary(grouping: live.items.filter { !$0.resolved }, by: \.customerName)
        let inHand = byCustomer.filter { $0.value.allSatisfy { $0.acknowledgedBy != nil } }.keys.sorted()
        let ranked = byCustomer.filter { !inHand.contains($0.key) }.sorted { lhs, rhs in
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
        if !inHand.isEmpty { blocks.append(.context("☑️ In hand (acknowledged): \(inHand.joined(separator: ", "))")) }
        blocks.append(.context("These were already open when TicketPulse started watching, or came in while your alerts were paused for the day; "
            + "this message is kept up to date in place (last \(AlertMessages.time(live.lastUpdateAt)) UTC): a customer leaves it when what needed attention is solved or over."))
        return Reply(header: header, blocks: blocks, fallbackText: header)
    }
}
