import Foundation
import TicketPulseCore
import TicketPulseStorage

/// In-app notifications (PRD-122 FR-3: "in-app notification always"): the alerts of the
/// person's customers, whatever reached them in Slack — a DM budget, a digest or quiet hours
/// never keep one off this list — newest first, those since their last look marked new,
/// each open one with the alert's own [Acknowledge] button, so a click there is the same
/// action as on the alert's message and updates every copy of it.
public struct NotificationList: Sendable {
    /// The list covers a week: older alerts are in the digests and the alert messages.
    public static let days = 7
    public static let limit = 10

    public init() {}

    /// The Home tab's section; `newSince` is when the person last looked (nil: never, so
    /// nothing is marked new: everything would be).
    public func blocks(_ alerts: [StoredAlert], newSince: Date?, timeZone: TimeZone) -> [ReplyBlock] {
        var blocks: [ReplyBlock] = [.divider, .section("*Recent alerts* (last \(Self.days) days)")]
        guard !alerts.isEmpty else {
            blocks.append(.context("No alerts for your accounts in the last \(Self.days) days."))
            return blocks
        }
        for stored in alerts.prefix(Self.limit) {
            let alert = stored.alert
            let isNew = newSince.map { alert.detectedAt > $0 } ?? false
            let what = alert.ticket.map { "#\($0.externalID) \($0.subject)" } ?? alert.explanation
            blocks.append(.section("\(isNew ? "🆕 " : "")\(alert.severity.emoji) *\(alert.title)* — \(alert.customerName)\n\(what)"))
            blocks.append(.context("\(AlertMessages.time(alert.detectedAt, in: timeZone)) · \(Self.status(stored))"))
            if stored.status == .open {
                let button = AlertMessages.Button.acknowledge
                blocks.append(.actions([ReplyAction(id: button.rawValue, label: button.label(for: alert.kind), value: String(stored.id))]))
            }
        }
        if alerts.count > Self.limit {
            blocks.append(.context("…and \(alerts.count - Self.limit) more: ask “show alerts” or see your digest."))
        }
        return blocks
    }

    static func status(_ stored: StoredAlert) -> String {
        switch stored.status {
        case .open: "open"
        case .acknowledged: "acknowledged" + (stored.acknowledgedBy.map { " by \($0)" } ?? "")
        case .resolved: "resolved"
        }
    }
}
