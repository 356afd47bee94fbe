import Foundation
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStorage

/// Maps a Slack user to a member of the CS team: by the roster's `slack_user_id`; else by
/// the email Slack has for them (`users.info`); else, when Slack shows no email (the app
/// lacks `users:read.email`, or the profile hides it), by asking `users.lookupByEmail` for
/// the roster members whose Slack id is still unknown. A match is written back to the
/// roster, so each person costs Slack calls once, and so is their time zone (`tz`): quiet
/// hours and digests follow their own clock.
struct SlackUserDirectory: Sendable {
    let store: any Store
    let slack: any SlackWebAPI

    func person(slackUserID: String) async throws -> CSM? {
        if let known = try await store.csm(slackUserID: slackUserID) { return known }
        let user = try await slack.userInfo(id: slackUserID)
        if user.isBot || user.deleted { return nil }
        if let email = user.email {
            guard let csm = try await store.csm(email: email) else { return nil }
            return try await remember(csm, as: slackUserID, timeZone: user.timeZone)
        }
        for csm in try await store.csms() where csm.slackUserID == nil {
            guard let found = try await slack.lookupUserByEmail(csm.email) else { continue }
            let mapped = try await remember(csm, as: found.id, timeZone: found.timeZone)
            if found.id == slackUserID { return mapped }
        }
        return nil
    }

    /// The Slack member id of a roster email: the roster's, else `users.lookupByEmail`'s
    /// (remembered for a roster member); nil when no member has the address.
    func slackUserID(email: String) async throws -> String? {
        let csm = try await store.csm(email: email)
        if let known = csm?.slackUserID { return known }
        guard let found = try await slack.lookupUserByEmail(email) else { return nil }
        if let csm { _ = try await remember(csm, as: found.id, timeZone: found.timeZone) }
        return found.id
    }

    /// A zone from the roster file wins over Slack's: an admin set it on purpose.
    private func remember(_ csm: CSM, as slackUserID: String, timeZone: String?) async throws -> CSM {
        var csm = csm
        csm.slackUserID = slackUserID
        if csm.timeZone == nil, let timeZone, TimeZone(identifier: timeZone) != nil { csm.timeZone = timeZone }
        try await store.upsertCSMs([csm])
        return csm
    }

    static func unknownUserReply(_ slackUserID: String) -> Reply {
        let text = "I don't know you yet, so I can't show customer data. Ask a TicketPulse admin to add you to the roster (your Slack user id is \(slackUserID)) with `ticketpulse import csms`."
        return Reply(blocks: [.section(text)], fallbackText: text)
    }
}
