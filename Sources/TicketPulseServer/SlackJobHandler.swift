import Foundation
import Logging
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseSlack
import TicketPulseStorage
import TicketPulseWorkflows

/// Does one job: who is asking, what they asked, the answer, and posting it to Slack.
struct SlackJobHandler: Sendable {
    let store: any Store
    let slack: any SlackWebAPI
    let parsers: ParserProvider
    let settings: AnswerSettings
    let metrics: ServerMetrics
    let now: @Sendable () -> Date
    let logger: Logger
    let renderer = BlockKitRenderer()

    var people: SlackUserDirectory { SlackUserDirectory(store: store, slack: slack) }

    /// The metadata type of answers posted in a conversation; the key is the job's id.
    static let answerMetadataType = "ticketpulse_answer"

    /// Does `item`'s job; when it fails after Slack was answered, the asker is told so where
    /// they asked (a short apology in the thread, the command's response, the Home tab),
    /// since otherwise they would wait for an answer that never comes.
    func handle(_ item: SlackWorkItem) async {
        let job = item.job
        do {
            try await run(job, answer: AnswerPost(item: item))
        } catch is CancellationError {
            logger.warning("slack job cancelled")
        } catch {
            metrics.answerFailures.increment()
            logger.error("slack job failed", metadata: ["job": "\(job.kind)", "error": "\(error)"])
            await apologize(for: job)
        }
    }

    /// How an answer in a conversation is posted exactly once: with the job's id as its
    /// metadata key, looked for first when the job comes back from the journal (the process
    /// may have died after posting it and before finishing the job).
    struct AnswerPost {
        var metadata: SlackMessageMetadata
        var since: Date
        var lookFirst: Bool

        init(item: SlackWorkItem) {
            metadata = SlackMessageMetadata(eventType: SlackJobHandler.answerMetadataType, eventPayload: ["key": item.id])
            since = item.receivedAt.addingTimeInterval(-60)
            lookFirst = item.recovered
        }
    }

    func run(_ job: SlackJob, answer post: AnswerPost) async throws {
        switch job {
        case .question(let user, let channel, let threadTS, let text):
            if post.lookFirst, try await slack.findPosted(post.metadata, channel: channel, threadTS: threadTS, since: post.since) != nil { return }
            let reply = try await answer(text, slackUser: user)
            _ = try await slack.postOnce(channel: channel, message: renderer.message(reply, moreActionValue: text), threadTS: threadTS,
                                         metadata: post.metadata, since: post.since)
        case .slashCommand(let command):
            let reply = try await answer(command.text, slackUser: command.userID)
            try await respond(to: command, with: renderer.message(reply, moreActionValue: command.text))
        case .homeOpened(let user):
            try await slack.publishView(userID: user, view: renderer.homeView(try await homeReply(slackUser: user)))
        case .refreshMessage(let user, let channel, let ts, let text):
            try await slack.update(channel: channel, ts: ts, message: renderer.message(try await answer(text, slackUser: user)))
        case .buttonQuestion(let user, let channel, let threadTS, let responseURL, let text, let expanded):
            let reply = try await answer(text, slackUser: user, listLimit: expanded ? Self.expandedListLimit : nil)
            let message = expanded ? renderer.message(reply, expandTables: true) : renderer.message(reply, moreActionValue: text)
            if let channel {
                _ = try await slack.postOnce(channel: channel, message: message, threadTS: threadTS, metadata: post.metadata, since: post.since)
            } else {
                try await self.post(message, channel: nil, threadTS: threadTS, responseURL: responseURL)
            }
        case .answerButton(let user, let channel, let messageTS, let threadTS, let responseURL, let button, let value):
            try await answerButton(user: user, channel: channel, messageTS: messageTS, threadTS: threadTS, responseURL: responseURL,
                                   button: button, value: value, post: post)
        }
    }

    /// A click on an answer's button, answered for the clicker from what the button carries.
    private func answerButton(user: String, channel: String?, messageTS: String?, threadTS: String?, responseURL: String?,
                              button routeID: String, value: String, post: AnswerPost) async throws {
        guard let person = try await people.person(slackUserID: user) else {
            return try await tellOnly(user, renderer.message(SlackUserDirectory.unknownUserReply(user)), channel: channel, threadTS: threadTS, responseURL: responseURL)
        }
        let answer: ButtonAnswer
        if let button = AnswerButton(rawValue: routeID) {
            let engine = AnswerEngine(store: store, parser: try await parsers.parser(), settings: settings)
            answer = try await engine.click(button, value: value, by: person, now: now())
            metrics.questionsAnswered.increment()
        } else {
            answer = .notice("I don't know that button: it may come from an older version of TicketPulse. Ask the question again.")
        }
        let message = renderer.message(answer.reply)
        if answer.ephemeral {
            try await tellOnly(user, message, channel: channel, threadTS: threadTS, responseURL: responseURL)
        } else if answer.replacesMessage, let channel, let messageTS {
            try await slack.update(channel: channel, ts: messageTS, message: message)
        } else if answer.replacesMessage, let url = responseURL.flatMap(URL.init(string:)) {
            try await slack.postToResponseURL(url, message: message, replaceOriginal: true, ephemeral: true)
        } else if let channel {
            _ = try await slack.postOnce(channel: channel, message: message, threadTS: threadTS, metadata: post.metadata, since: post.since)
        } else {
            try await self.post(message, channel: nil, threadTS: threadTS, responseURL: responseURL)
        }
    }

    /// A reply for the clicker alone, in the conversation of the button.
    private func tellOnly(_ user: String, _ message: SlackMessage, channel: String?, threadTS: String?, responseURL: String?) async throws {
        if let channel {
            try await slack.postEphemeral(channel: channel, user: user, message: message, threadTS: threadTS)
        } else if let url = responseURL.flatMap(URL.init(string:)) {
            try await slack.postToResponseURL(url, message: message, replaceOriginal: false, ephemeral: true)
        }
    }

    private func respond(to command: SlackSlashCommand, with message: SlackMessage) async throws {
        if let url = command.responseURL.flatMap(URL.init(string:)) {
            try await slack.postToResponseURL(url, message: message, replaceOriginal: true, ephemeral: true)
        } else {
            try await slack.postEphemeral(channel: command.channelID, user: command.userID, message: message, threadTS: nil)
        }
    }

    private func post(_ message: SlackMessage, channel: String?, threadTS: String?, responseURL: String?) async throws {
        if let channel {
            _ = try await slack.postMessage(channel: channel, message: message, threadTS: threadTS, metadata: nil)
        } else if let url = responseURL.flatMap(URL.init(string:)) {
            try await slack.postToResponseURL(url, message: message, replaceOriginal: false, ephemeral: true)
        }
    }

    static let apologyText = "Sorry, something went wrong on my side and I couldn't finish that. Please try again in a minute; if it keeps happening, let your TicketPulse admin know."

    /// One attempt to tell the asker; if Slack refuses this too (the failure was Slack's),
    /// it is logged and left there.
    func apologize(for job: SlackJob) async {
        let reply = Reply(blocks: [.section(Self.apologyText)], fallbackText: Self.apologyText)
        let message = renderer.message(reply)
        do {
            switch job {
            case .question(_, let channel, let threadTS, _):
                _ = try await slack.postMessage(channel: channel, message: message, threadTS: threadTS, metadata: nil)
            case .slashCommand(let command):
                try await respond(to: command, with: message)
            case .homeOpened(let user):
                try await slack.publishView(userID: user, view: renderer.homeView(reply))
            case .refreshMessage(let user, let channel, _, _):
                try await slack.postEphemeral(channel: channel, user: user, message: message, threadTS: nil)
            case .buttonQuestion(_, let channel, let threadTS, let responseURL, _, _):
                try await post(message, channel: channel, threadTS: threadTS, responseURL: responseURL)
            case .answerButton(let user, let channel, _, let threadTS, let responseURL, _, _):
                try await tellOnly(user, message, channel: channel, threadTS: threadTS, responseURL: responseURL)
            }
        } catch {
            logger.error("could not tell the user a slack job failed", metadata: ["job": "\(job.kind)", "error": "\(error)"])
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
        let answer = try await engine.answer(text, asker: person, now: now())
        metrics.questionsAnswered.increment()
        return answer.reply
    }

    /// Answers the common questions once for a roster member and renders and encodes the
    /// replies as a post would, recording nothing (`AnswerEngine.warmUp`): a restarted
    /// server answers its first question as fast as its hundredth.
    func warmUp(parser: IntentParser) async {
        let team = (try? await store.csms()) ?? []
        guard let asker = team.first(where: { $0.role == .csm }) ?? team.first else { return }
        var customer: Customer?
        if let ids = try? await store.customerIDs(visibleTo: asker), let id = ids.first { customer = try? await store.customer(id: id) }
        let engine = AnswerEngine(store: store, parser: parser, settings: settings)
        for reply in await engine.warmUp(asker: asker, customer: customer, now: now()) {
            _ = try? StreamingJSONEncoder().encode(renderer.message(reply, moreActionValue: "warm-up"))
        }
    }

    /// PRD-156 §7.1: the user's dashboard, with their in-app notifications under it.
    func homeReply(slackUser: String) async throws -> Reply {
        guard let person = try await people.person(slackUserID: slackUser) else { return SlackUserDirectory.unknownUserReply(slackUser) }
        let at = now()
        var reply = try await PortfolioSummaryAnswer(builder: settings.snapshotBuilder).reply(for: person, store: store, period: .trailing(days: 30, endingAt: at), now: at)
        reply.blocks += try await notifications(for: person, at: at)
        return reply
    }

    /// The person's recent alerts, within their scope, marked seen by this look; the read
    /// is audited with the customers it showed.
    func notifications(for person: CSM, at: Date) async throws -> [ReplyBlock] {
        let scope = try await AccessScope.of(person, in: store)
        let since = at.addingTimeInterval(-Double(NotificationList.days) * 86_400)
        let alerts = try await store.recentAlerts(customerIDs: scope.queryIDs, since: since, limit: 100)
        // Seen up to the newest shown, should it carry a later time than this clock's.
        let seenBefore = try await store.markNotificationsSeen(email: person.email, at: max(at, alerts.first?.alert.detectedAt ?? at))
        try await store.audit(AuditEntry(at: at, actor: person.email, action: "home:notifications", detail: "\(alerts.count) alerts",
                                         customerIDs: Array(Set(alerts.map(\.alert.customerID))).sorted()))
        let zone = person.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        return NotificationList().blocks(alerts, newSince: seenBefore, timeZone: zone)
    }
}
