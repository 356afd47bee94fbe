import Foundation
import Logging
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseSlack
import TicketPulseStore

/// Does one job: who is asking, what they asked, the answer, and posting it to Slack.
struct SlackJobHandler: Sendable {
    let store: TicketStore
    let slack: any SlackWebAPI
    let parsers: ParserProvider
    let settings: AnswerSettings
    let metrics: ServerMetrics
    let now: @Sendable () -> Date
    let logger: Logger
    let renderer = BlockKitRenderer()

    var people: SlackUserDirectory { SlackUserDirectory(store: store, slack: slack) }

    func handle(_ job: SlackJob) async {
        do {
            switch job {
            case .question(let user, let channel, let threadTS, let text):
                let reply = try await answer(text, slackUser: user)
                _ = try await slack.postMessage(channel: channel, message: renderer.message(reply, moreActionValue: text), threadTS: threadTS, metadata: nil)
            case .slashCommand(let command):
                let reply = try await answer(command.text, slackUser: command.userID)
                let message = renderer.message(reply, moreActionValue: command.text)
                if let url = command.responseURL.flatMap(URL.init(string:)) {
                    try await slack.postToResponseURL(url, message: message, replaceOriginal: true, ephemeral: true)
                } else {
                    try await slack.postEphemeral(channel: command.channelID, user: command.userID, message: message, threadTS: nil)
                }
            case .homeOpened(let user):
                try await slack.publishView(userID: user, view: renderer.homeView(try await homeReply(slackUser: user)))
            case .refreshMessage(let user, let channel, let ts, let text):
                try await slack.update(channel: channel, ts: ts, message: renderer.message(try await answer(text, slackUser: user)))
            case .buttonQuestion(let user, let channel, let threadTS, let responseURL, let text, let expanded):
                let reply = try await answer(text, slackUser: user, listLimit: expanded ? Self.expandedListLimit : nil)
                let message = expanded ? renderer.message(reply, expandTables: true) : renderer.message(reply, moreActionValue: text)
                if let channel {
                    _ = try await slack.postMessage(channel: channel, message: message, threadTS: threadTS, metadata: nil)
                } else if let url = responseURL.flatMap(URL.init(string:)) {
                    try await slack.postToResponseURL(url, message: message, replaceOriginal: false, ephemeral: true)
                }
            }
        } catch {
            metrics.answerFailures.increment()
            logger.error("slack job failed", metadata: ["error": "\(error)"])
        }
    }

    /// Rows asked for by "See all": about what three table sections of a message hold.
    static let expandedListLimit = 120

    /// The reply to `text` from `slackUser`, or a polite note when they are not in the roster.
    func answer(_ text: String, slackUser: String, listLimit: Int? = nil) async throws -> Reply {
        guard let person = try await people.person(slackUserID: slackUser) else { return SlackUserDirectory.unknownUserReply(slackUser) }
        var settings = settings
        if let listLimit { settings.listLimit = listLimit }
        let engine = AnswerEngine(store: store, parser: try await parsers.parser(), settings: settings)
        let answer = try engine.answer(text, asker: person, now: now())
        metrics.questionsAnswered.increment()
        return answer.reply
    }

    /// PRD-156 §7.1: the user's dashboard.
    func homeReply(slackUser: String) async throws -> Reply {
        guard let person = try await people.person(slackUserID: slackUser) else { return SlackUserDirectory.unknownUserReply(slackUser) }
        let at = now()
        return try PortfolioSummaryAnswer(builder: settings.snapshotBuilder).reply(for: person, store: store, period: .trailing(days: 30, endingAt: at), now: at)
    }
}
