import Foundation
import TicketPulseCore

/// Where the outbox's messages go: Slack in the server (`SlackAlertMessenger`), fakes in tests.
public protocol AlertMessenger: Sendable {
    /// The channel to post to for `user:<email>` (a DM) or `channel:<id>`.
    func channel(for recipient: String) async throws -> String
    /// Posts with `key` in the message's metadata, once (an attempt whose answer was lost
    /// is looked for by `key` before another); returns the message `ts`. `since`: when the
    /// first attempt at this message could have been made.
    func post(_ message: Reply, channel: String, threadTS: String?, key: String, since: Date) async throws -> String
    func update(channel: String, ts: String, with message: Reply) async throws
    /// The `ts` of a message posted with `key` since `since`, if Slack has it: how a resend
    /// after a crash avoids posting twice.
    func findPosted(key: String, channel: String, threadTS: String?, since: Date) async throws -> String?
}

/// Why a send failed, as the outbox needs to know it.
public enum DeliveryFailure: Error, Sendable {
    /// Retrying cannot help (a channel that does not exist, a person not in Slack).
    case permanent(String)
    /// The message to update no longer exists (deleted in Slack, `message_not_found`).
    case messageGone
}
