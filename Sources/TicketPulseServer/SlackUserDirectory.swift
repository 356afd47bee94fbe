import Foundation
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStore

/// Maps a Slack user to a member of the CS team: by the roster's `slack_user_id`, else by
/// the email Slack has for them (`users.info`), matched against the roster.
struct SlackUserDirectory: Sendable {
    let store: TicketStore
    let slack: any SlackWebAPI

    func person(slackUserID: String) async throws -> CSM? {
        if let known = try store.csm(slackUserID: slackUserID) { return known }
        guard let email = try await slack.userInfo(id: slackUserID).email else { return nil }
        return try store.csm(email: email)
    }

    static func unknownUserReply(_ slackUserID: String) -> Reply {
        let text = "I don't know you yet, so I can't show customer data. Ask a TicketPulse admin to add you to the roster (your Slack user id is \(slackUserID)) with `ticketpulse import csms`."
        return Reply(blocks: [.section(text)], fallbackText: text)
    }
}
