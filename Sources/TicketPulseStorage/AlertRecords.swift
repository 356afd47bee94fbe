import Foundation
import TicketPulseCore

/// An alert as stored, with its lifecycle.
public struct StoredAlert: Sendable, Equatable {
    public var id: Int64
    public var alert: Alert
    public var status: AlertStatus
    public var acknowledgedBy: String?
    public var acknowledgedAt: Date?
    public var updatedAt: Date

    public init(id: Int64, alert: Alert, status: AlertStatus, acknowledgedBy: String? = nil, acknowledgedAt: Date? = nil, updatedAt: Date) {
        self.id = id
        self.alert = alert
        self.status = status
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.updatedAt = updatedAt
    }
}

/// One message to send, as the router decided it. `key` is the idempotency key: unique in
/// the outbox, carried in the Slack message's metadata, so a resend after a crash can find
/// what was already posted. For an alert's messages, keys are relative ("post/user:…") and
/// the store prefixes them with the alert's id.
public struct OutboxMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A new message to a person (DM) or channel.
        case post
        /// A reply in the thread of the parent's message.
        case thread
        /// A `chat.update` of the parent's message.
        case update
        /// An email to `email:<address>` (a digest), sent over SMTP with `messageID`.
        case email
    }

    public var key: String
    public var kind: Kind
    /// `user:<email>` or `channel:<id>` (`SubscriptionTarget.key`).
    public var recipient: String
    /// The key of the post this threads under or updates.
    public var parentKey: String?
    public var message: Reply
    /// Not sent before this time (a grouped message's `group_wait` or `group_interval`).
    public var notBefore: Date?
    /// An email's Message-ID (without angle brackets), fixed here, when it is queued: every
    /// attempt sends the same one, so a copy that an attempt with a lost reply let through
    /// is recognisable downstream as the same message. Nil for Slack messages.
    public var messageID: String?
    /// An email's author when it is a person ("Mike Chen <mike.chen@…>", an outreach email
    /// sent From them); nil: the server's `email.from` (digests).
    public var emailAuthor: String?

    /// What an action's value says until the alert it belongs to has an id: a new alert's
    /// messages are planned before it is stored, and `apply` puts the id in their place in
    /// the same transaction. Without it, the first post's buttons carried alert 0.
    public static let alertIDPlaceholder = "$alert_id"

    /// The message with the alert's id in every action that waits for it.
    package func message(forAlert alertID: Int64) -> Reply {
        var reply = message
        reply.blocks = reply.blocks.map { block in
            guard case .actions(let actions) = block else { return block }
            return .actions(actions.map { action in
                var action = action
                if action.value == Self.alertIDPlaceholder { action.value = String(alertID) }
                return action
            })
        }
        return reply
    }

    public init(key: String, kind: Kind, recipient: String, parentKey: String? = nil, message: Reply, notBefore: Date? = nil, messageID: String? = nil,
                emailAuthor: String? = nil) {
        self.key = key
        self.kind = kind
        self.recipient = recipient
        self.parentKey = parentKey
        self.message = message
        self.notBefore = notBefore
        self.messageID = messageID
        self.emailAuthor = emailAuthor
    }

    /// `email:<address>`: the recipient of an email row.
    public static func emailRecipient(_ address: String) -> String { "email:" + address.lowercased() }
}

/// An outbox row for the delivery worker.
public struct OutboxRow: Sendable, Equatable {
    public enum State: String, Sendable { case pending, inFlight = "in_flight", sent, failed }

    public var id: Int64
    public var key: String
    public var alertID: Int64?
    public var kind: OutboxMessage.Kind
    public var recipient: String
    public var parentID: Int64?
    public var message: Reply
    public var state: State
    public var attempts: Int
    public var inFlightSince: Date?
    public var channel: String?
    public var ts: String?
    public var createdAt: Date
    /// An email row's Message-ID, as queued (`OutboxMessage.messageID`).
    public var messageID: String?
    /// Why the last attempt failed (the SMTP server's words for a refused recipient).
    public var lastError: String?
    /// An email row's author (`OutboxMessage.emailAuthor`).
    public var emailAuthor: String?

    public init(id: Int64, key: String, alertID: Int64?, kind: OutboxMessage.Kind, recipient: String, parentID: Int64?, message: Reply,
                state: State, attempts: Int, inFlightSince: Date?, channel: String?, ts: String?, createdAt: Date, messageID: String? = nil, lastError: String? = nil,
                emailAuthor: String? = nil) {
        self.id = id
        self.key = key
        self.alertID = alertID
        self.kind = kind
        self.recipient = recipient
        self.parentID = parentID
        self.message = message
        self.state = state
        self.attempts = attempts
        self.inFlightSince = inFlightSince
        self.channel = channel
        self.ts = ts
        self.createdAt = createdAt
        self.messageID = messageID
        self.lastError = lastError
        self.emailAuthor = emailAuthor
    }
}

/// A task a workflow created ("Review ticket spike for Acme", due in 4 h).
public struct AlertTask: Sendable, Equatable {
    public var title: String
    public var assignee: String?
    public var dueAt: Date

    public init(title: String, assignee: String?, dueAt: Date) {
        self.title = title
        self.assignee = assignee
        self.dueAt = dueAt
    }
}

/// What one detector pass decided about one alert, written atomically with its messages.
public struct AlertPlan: Sendable {
    public enum Change: Sendable {
        case open(Alert)
        /// The same incident changed (count, severity): new numbers, thread note, header update.
        case update(id: Int64, Alert)
        /// The condition is gone.
        case resolve(id: Int64)
    }

    public var change: Change
    public var messages: [OutboxMessage]
    /// People who get the alert in their next digest instead of at once.
    public var digestFor: [String]
    public var tasks: [AlertTask]
    /// A health-score adjustment the workflow makes (PRD-087: −15 on a spike).
    public var healthDelta: Double?
    /// Emails the workflow drafted for the CSM to edit (PRD-087 §10.1).
    public var drafts: [EmailDraft]
    /// People the alert goes to by DM, grouped per customer into live messages after the
    /// alert is stored (`pending_dms`), so the grouping can name the alert by its id.
    public var dms: [String] = []
    /// A new ticket during an open spike: folded into the customer's open live messages only.
    public var heldBack = false
    /// Recorded, not announced: a condition older than TicketPulse's first look at the customer.
    public var silent = false

    public init(change: Change, messages: [OutboxMessage] = [], digestFor: [String] = [], tasks: [AlertTask] = [], healthDelta: Double? = nil, drafts: [EmailDraft] = []) {
        self.change = change
        self.messages = messages
        self.digestFor = digestFor
        self.tasks = tasks
        self.healthDelta = healthDelta
        self.drafts = drafts
    }
}

/// An email drafted for a CSM to edit and send themselves.
public struct EmailDraft: Sendable, Equatable {
    public var author: String
    public var subject: String
    public var body: String

    public init(author: String, subject: String, body: String) {
        self.author = author
        self.subject = subject
        self.body = body
    }
}
