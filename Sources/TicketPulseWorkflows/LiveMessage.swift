import Foundation
import TicketPulseCore

/// One customer's open incident as one person (or channel) sees it: the live message in
/// their DMs, or in the channel. `customerID` "*" is the person's board ("where your
/// accounts stand"), which takes what is over budget with no incident open to fold into.
public struct LiveMessage: Codable, Sendable, Equatable {
    /// The person's lowercased email, or `channel:<id>` for a channel's.
    public var email: String
    public var customerID: String
    public var customerName: String
    /// The outbox key of the post that is the message.
    public var postKey: String
    public var openedAt: Date
    public var pingedAt: Date
    public var lastItemAt: Date
    public var lastUpdateAt: Date
    /// Newest last; at most `LiveMessage.kept`.
    public var items: [Item]
    /// Every item ever folded in, by kind label, for the counts in the header.
    public var counts: [String: Int]
    /// Bumped at each update, so two updates in one second have distinct keys.
    public var revision = 0
    /// The alert that opened it (nil: the board): its updates are filed under that alert.
    public var openedBy: Int64?
    /// What the incident is about, when it is a customer-wide alert (a spike, a burst): its
    /// summary and facts (ARR, health now and before, the CSM) head the grouped view, as
    /// they head that alert's own message (PRD-087 §5.1).
    public var headline: Headline?

    public struct Headline: Codable, Sendable, Equatable {
        public var summary: String
        public var facts: [AlertFact]
    }

    public static let board = "*"
    static let kept = 20

    public struct Item: Codable, Sendable, Equatable {
        public var alertID: Int64
        public var customerName: String
        public var kind: AlertKind
        public var severity: AlertSeverity
        public var line: String
        public var at: Date
        public var resolved = false
        /// Who acknowledged the alert, as the message names them (a Slack mention or a
        /// name): the grouped view marks the item instead of giving way to the alert's own.
        public var acknowledgedBy: String?
        /// The item's ticket, for the kinds its solving settles: when it is solved or closed
        /// the item no longer needs anyone, and the message (the board above all) says so.
        public var ticket: AlertTicket?

        /// A new ticket or an escalation needs someone until the ticket is solved; a poor
        /// rating comes after it is (its follow-up is the point), and conditions end on
        /// their own (the pipeline resolves them).
        static func settlesWithTicket(_ kind: AlertKind) -> Bool { kind == .newTicket || kind == .escalation }
    }

    public var isBoard: Bool { customerID == Self.board }
    public var isChannel: Bool { Self.isChannel(email) }
    /// The outbox recipient of its post.
    public var recipient: String { isChannel ? email : "user:\(email)" }

    static func isChannel(_ recipient: String) -> Bool { recipient.hasPrefix("channel:") }

    mutating func add(_ item: Item) {
        items.removeAll { $0.alertID == item.alertID }
        items.append(item)
        if items.count > Self.kept { items.removeFirst(items.count - Self.kept) }
        counts[item.kind.label, default: 0] += 1
        lastItemAt = item.at
    }
}
