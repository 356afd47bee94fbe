import Foundation
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStorage
import TicketPulseWorkflows

/// The outbox's messages through the Slack Web API. Each message carries its idempotency
/// key in Slack message metadata (`ticketpulse_outbox`), which is how a resend after a
/// crash finds it in `conversations.history` instead of posting it again.
struct SlackAlertMessenger: AlertMessenger {
    static let metadataType = "ticketpulse_outbox"

    let store: any Store
    let slack: any SlackWebAPI
    let renderer = BlockKitRenderer()

    func channel(for recipient: String) async throws -> String {
        switch SubscriptionTarget(key: recipient) {
        case .channel(let id)?:
            return id
        case .person(let email)?:
            guard let userID = try await SlackUserDirectory(store: store, slack: slack).slackUserID(email: email) else {
                throw DeliveryFailure.permanent("no Slack member has the address \(email)")
            }
            return try await slack.openConversation(users: [userID])
        case nil:
            throw DeliveryFailure.permanent("unknown recipient '\(recipient)'")
        }
    }

    func post(_ message: Reply, channel: String, threadTS: String?, key: String, since: Date) async throws -> String {
        do {
            return try await slack.postOnce(channel: channel, message: renderer.message(message), threadTS: threadTS,
                                            metadata: Self.metadata(key: key), since: since)
        } catch SlackAPIError.slack(let code, _) where Self.permanentCodes.contains(code) {
            throw DeliveryFailure.permanent("Slack said \(code)")
        }
    }

    func update(channel: String, ts: String, with message: Reply) async throws {
        do {
            try await slack.update(channel: channel, ts: ts, message: renderer.message(message))
        } catch SlackAPIError.slack("message_not_found", _) {
            // Someone deleted it: the outbox posts the update as a new message instead.
            throw DeliveryFailure.messageGone
        } catch SlackAPIError.slack(let code, _) where Self.permanentCodes.contains(code) {
            throw DeliveryFailure.permanent("Slack said \(code)")
        }
    }

    func findPosted(key: String, channel: String, threadTS: String?, since: Date) async throws -> String? {
        try await slack.findPosted(Self.metadata(key: key), channel: channel, threadTS: threadTS, since: since)
    }

    static func metadata(key: String) -> SlackMessageMetadata {
        SlackMessageMetadata(eventType: metadataType, eventPayload: ["key": key])
    }

    /// Errors a retry cannot fix.
    static let permanentCodes: Set<String> = [
        "channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "msg_too_long", "cant_update_message",
        "message_not_found", "user_not_found", "users_not_found", "account_inactive", "invalid_auth", "not_authed",
    ]
}
