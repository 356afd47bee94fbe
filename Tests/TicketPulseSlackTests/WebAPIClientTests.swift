import AsyncHTTPClient
import Foundation
import Logging
import Testing
import TicketPulseTestSupport
import TicketPulseCore
import TicketPulseSlack

/// The real client against the in-process fake Slack; every wait goes to `FakeTime`.
@Suite struct WebAPIClientTests {
    static let message = SlackMessage(text: "Acme: 3 open tickets", blocks: [.section(text: "*Acme*", fields: [])])

    func client(_ url: URL, time: FakeTime, policy: SlackRetryPolicy = SlackRetryPolicy(random: { 0.5 })) -> SlackWebAPIClient {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return SlackWebAPIClient(
            token: "xoxb-test-token", baseURL: url, httpClient: .shared, retryPolicy: policy,
            sleeper: time.sleeper, now: time.now, logger: logger
        )
    }

    @Test func postsAMessageOnceWithSlacksWireFormat() async throws {
        try await FakeSlack.run { slack, url in
            let time = FakeTime(start: .now)
            let metadata = SlackMessageMetadata(eventType: "ticketpulse_alert", eventPayload: ["alert_id": "al_1"])
            let ts = try await client(url, time: time).postMessage(channel: "C0ESC0001", message: Self.message, threadTS: "1718200000.000100", metadata: metadata)
            #expect(ts.hasPrefix("1718200000."))
            let calls = slack.calls
            #expect(calls.count == 1)
            let call = try #require(calls.first)
            #expect(call.method == "chat.postMessage")
            #expect(call.authorization == "Bearer xoxb-test-token")
            #expect(call.contentType == "application/json; charset=utf-8")
            let json = call.json
            #expect(json["channel"] as? String == "C0ESC0001")
            #expect(json["thread_ts"] as? String == "1718200000.000100")
            #expect(json["text"] as? String == "Acme: 3 open tickets")
            #expect((json["blocks"] as? [[String: Any]])?.first?["type"] as? String == "section")
            #expect((json["metadata"] as? [String: Any])?["event_type"] as? String == "ticketpulse_alert")
            #expect(time.sleeps.isEmpty)
        }
    }

    @Test func rateLimitIsWaitedOutThenDeliveredOnce() async throws {
        try await FakeSlack.run { slack, url in
            slack.script("chat.postMessage", .rateLimited(retryAfter: "1"))
            let time = FakeTime(start: .now)
            _ = try await client(url, time: time).postMessage(channel: "C0ESC0001", message: Self.message)
            #expect(slack.calls("chat.postMessage").map(\.status) == [429, 200])
            // One second as Slack asked, plus half of the 250 ms jitter (random pinned at 0.5).
            #expect(time.sleeps == [.seconds(1) + .milliseconds(125)])
        }
    }

    @Test func missingRetryAfterFallsBackToTheDefault() async throws {
        try await FakeSlack.run { slack, url in
            slack.script("views.publish", .rateLimited(retryAfter: nil))
            let time = FakeTime(start: .now)
            try await client(url, time: time).publishView(userID: "U0CSM0001", view: SlackView(type: .home, blocks: []))
            #expect(slack.calls("views.publish").map(\.status) == [429, 200])
            #expect(time.sleeps == [.seconds(1) + .milliseconds(125)])
        }
    }

    @Test func longRetryAfterIsHandedBackInsteadOfBlocking() async throws {
        try await FakeSlack.run { slack, url in
            slack.script("chat.postMessage", .rateLimited(retryAfter: "600"))
            let time = FakeTime(start: .now)
            await #expect(throws: SlackAPIError.rateLimited(method: "chat.postMessage", retryAfter: .seconds(600))) {
                try await client(url, time: time).postMessage(channel: "C1", message: Self.message)
            }
            #expect(slack.calls.count == 1)
            #expect(time.sleeps.isEmpty)
        }
    }

    @Test func persistentRateLimitGivesUpAfterBoundedAttempts() async throws {
        try await FakeSlack.run { slack, url in
            slack.script("chat.update", .rateLimited(retryAfter: "2"), .rateLimited(retryAfter: "2"), .rateLimited(retryAfter: "2"))
            let time = FakeTime(start: .now)
            let policy = SlackRetryPolicy(maxAttempts: 3, random: { 0 })
            await #expect(throws: SlackAPIError.rateLimited(method: "chat.update", retryAfter: .seconds(2))) {
                try await client(url, time: time, policy: policy).update(channel: "C1", ts: "1.2", message: Self.message)
            }
            #expect(slack.calls.count == 3)
            #expect(time.sleeps == [.seconds(2), .seconds(2)])
        }
    }

    @Test func okFalseBecomesATypedErrorWithoutRetry() async throws {
        try await FakeSlack.run { slack, url in
            slack.script("chat.postMessage", .slackError("channel_not_found"))
            let time = FakeTime(start: .now)
            await #expect(throws: SlackAPIError.slack(code: "channel_not_found", method: "chat.postMessage")) {
                try await client(url, time: time).postMessage(channel: "C0GONE", message: Self.message)
            }
            #expect(slack.calls.count == 1)
            #expect(time.sleeps.isEmpty)
        }
    }

    @Test func serverErrorsAreRetriedWithBackoff() async throws {
        try await FakeSlack.run { slack, url in
            slack.script("chat.update", .serverError(503), .serverError(500))
            let time = FakeTime(start: .now)
            try await client(url, time: time).update(channel: "C0ESC0001", ts: "1718200000.000100", message: Self.message)
            #expect(slack.calls.map(\.status) == [503, 500, 200])
            #expect(time.sleeps == [.milliseconds(625), .milliseconds(1125)])
        }
    }

    /// A post is not repeated blindly: Slack may have made it before the answer was lost.
    @Test(arguments: [FakeSlack.Answer.doneThenReset, .doneThenServerError(502), .serverError(503)])
    func aPostWhoseAnswerIsLostIsUncertainNotRetried(fault: FakeSlack.Answer) async throws {
        try await FakeSlack.run { slack, url in
            slack.script("chat.postMessage", fault)
            let time = FakeTime(start: .now)
            do {
                _ = try await client(url, time: time).postMessage(channel: "C0ESC0001", message: Self.message)
                Issue.record("expected an uncertain post")
            } catch SlackAPIError.uncertain(method: "chat.postMessage", _) {}
            #expect(slack.calls("chat.postMessage").count == 1)
            #expect(time.sleeps.isEmpty)
        }
    }

    @Test func aPostWhoseAnswerComesTooLateIsUncertain() async throws {
        try await FakeSlack.run { slack, url in
            slack.script("chat.postMessage", .doneThenSilence)
            let time = FakeTime(start: .now)
            let policy = SlackRetryPolicy(requestTimeout: .milliseconds(300), random: { 0 })
            do {
                _ = try await client(url, time: time, policy: policy).postMessage(channel: "C0ESC0001", message: Self.message)
                Issue.record("expected an uncertain post")
            } catch SlackAPIError.uncertain(method: "chat.postMessage", _) {}
            #expect(slack.calls("chat.postMessage").count == 1)
        }
    }

    /// `postOnce` after each kind of fault: the message exists exactly once, and where Slack
    /// had already made it, the lookup found it instead of a second post.
    @Test(arguments: [FakeSlack.Answer.doneThenReset, .doneThenServerError(500), .serverError(503), .rateLimited(retryAfter: "1")])
    func postOnceLeavesExactlyOneMessage(fault: FakeSlack.Answer) async throws {
        try await FakeSlack.run { slack, url in
            slack.script("chat.postMessage", fault)
            let time = FakeTime(start: .now)
            let metadata = SlackMessageMetadata(eventType: "ticketpulse_answer", eventPayload: ["key": "Ev0001"])
            let api = client(url, time: time)
            let ts = try await api.postOnce(channel: "C0ESC0001", message: Self.message, threadTS: "1718200000.000100",
                                            metadata: metadata, since: Date(timeIntervalSince1970: 1_718_199_000))
            let posted = slack.messages.filter { $0.metadataKey == "Ev0001" }
            #expect(posted.count == 1)
            #expect(posted.first?.ts == ts)
            // Asked again, as a restarted worker would: found, not posted.
            let again = try await api.postOnce(channel: "C0ESC0001", message: Self.message, threadTS: "1718200000.000100",
                                               metadata: metadata, since: Date(timeIntervalSince1970: 1_718_199_000), lookFirst: true)
            #expect(again == ts)
            #expect(slack.messages.filter { $0.metadataKey == "Ev0001" }.count == 1)
        }
    }

    @Test func serverErrorsGiveUpAfterBoundedAttempts() async throws {
        try await FakeSlack.run { slack, url in
            slack.script("conversations.open", .serverError(502), .serverError(502))
            let time = FakeTime(start: .now)
            let policy = SlackRetryPolicy(maxAttempts: 2, random: { 0 })
            await #expect(throws: SlackAPIError.http(status: 502, method: "conversations.open")) {
                try await client(url, time: time, policy: policy).openConversation(users: ["U1"])
            }
            #expect(slack.calls.count == 2)
            #expect(time.sleeps == [.milliseconds(500)])
        }
    }

    @Test func unreachableSlackIsRetriedThenATransportError() async throws {
        let time = FakeTime(start: .now)
        // AsyncHTTPClient keeps retrying a refused connection until the deadline, so a short
        // one keeps this test fast.
        let policy = SlackRetryPolicy(maxAttempts: 2, requestTimeout: .milliseconds(200), random: { 0 })
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let api = client(URL(string: "http://127.0.0.1:1/api")!, time: time, policy: policy)
        do {
            _ = try await api.openConversation(users: ["U1"])
            Issue.record("expected a transport error")
        } catch let error as SlackAPIError {
            guard case .transport(method: "conversations.open", _) = error else {
                Issue.record("expected transport, got \(error)")
                return
            }
        }
        #expect(time.sleeps == [.milliseconds(500)])
    }

    @Test func postsToOneChannelAreSpacedASecondApart() async throws {
        try await FakeSlack.run { slack, url in
            let time = FakeTime(start: .now)
            let api = client(url, time: time)
            _ = try await api.postMessage(channel: "C0ESC0001", message: Self.message)
            _ = try await api.postMessage(channel: "C0ESC0001", message: Self.message)
            #expect(time.sleeps == [.seconds(1)])
            #expect(slack.calls("chat.postMessage").count == 2)
        }
    }

    @Test func postsToDifferentChannelsAreNotPaced() async throws {
        try await FakeSlack.run { slack, url in
            let time = FakeTime(start: .now)
            let api = client(url, time: time)
            _ = try await api.postMessage(channel: "C0ESC0001", message: Self.message)
            _ = try await api.postMessage(channel: "C0OTHER01", message: Self.message)
            _ = try await api.update(channel: "C0ESC0001", ts: "1.1", message: Self.message)
            #expect(time.sleeps.isEmpty)
            #expect(slack.calls.count == 3)
        }
    }

    @Test func otherMethodsSpeakSlacksFormats() async throws {
        try await FakeSlack.run { slack, url in
            let time = FakeTime(start: .now)
            let api = client(url, time: time)

            #expect(try await api.openConversation(users: ["U0CSM0001", "U0MGR0001"]) == "D0DM000001")
            #expect(slack.calls("conversations.open").first?.json["users"] as? String == "U0CSM0001,U0MGR0001")

            try await api.postEphemeral(channel: "C0ESC0001", user: "U0CSM0001", message: Self.message)
            let ephemeral = try #require(slack.calls("chat.postEphemeral").first).json
            #expect(ephemeral["user"] as? String == "U0CSM0001")
            #expect(ephemeral["channel"] as? String == "C0ESC0001")

            try await api.update(channel: "C0ESC0001", ts: "1718200001.000400", message: Self.message)
            let update = try #require(slack.calls("chat.update").first).json
            #expect(update["ts"] as? String == "1718200001.000400")

            try await api.openView(triggerID: "trig.1", view: BlockKitRenderer().addNoteModal(privateMetadata: "zendesk:1"))
            let open = try #require(slack.calls("views.open").first).json
            #expect(open["trigger_id"] as? String == "trig.1")
            #expect((open["view"] as? [String: Any])?["callback_id"] as? String == "add_note")

            try await api.publishView(userID: "U0CSM0001", view: BlockKitRenderer().homeView(Reply(header: "Your accounts", fallbackText: "home")))
            let publish = try #require(slack.calls("views.publish").first).json
            #expect(publish["user_id"] as? String == "U0CSM0001")
            #expect((publish["view"] as? [String: Any])?["type"] as? String == "home")

            let user = try await api.userInfo(id: "U0CSM0001")
            #expect(user == SlackUser(
                id: "U0CSM0001", teamID: "T0TEAM0001", name: "mike.chen", realName: "Mike Chen", displayName: "mike",
                email: "mike.chen@example.com", timeZone: "Europe/London"
            ))
            let info = try #require(slack.calls("users.info").first)
            #expect(info.contentType == "application/x-www-form-urlencoded")
            #expect(info.form?["user"] == "U0CSM0001")

            #expect(try await api.lookupUserByEmail("mike.chen@example.com")?.id == "U0CSM0001")
            #expect(try await api.lookupUserByEmail("nobody@example.com") == nil)

            #expect(slack.calls.allSatisfy { $0.authorization == "Bearer xoxb-test-token" })
        }
    }

    @Test func responseURLPostsWithoutTheToken() async throws {
        try await FakeSlack.run { slack, url in
            let time = FakeTime(start: .now)
            let responseURL = url.deletingLastPathComponent().appendingPathComponent("response/T0TEAM0001-1")
            try await client(url, time: time).postToResponseURL(responseURL, message: Self.message, replaceOriginal: true, ephemeral: true)
            let call = try #require(slack.calls("response_url").first)
            #expect(call.authorization == nil)
            #expect(call.json["replace_original"] as? Bool == true)
            #expect(call.json["response_type"] as? String == "ephemeral")
            #expect(call.json["text"] as? String == "Acme: 3 open tickets")
        }
    }

    @Test func renderedHugeReplyIsAcceptedByTheFake() async throws {
        try await FakeSlack.run { slack, url in
            let time = FakeTime(start: .now)
            let message = BlockKitRenderer().message(BlockKitLimitTests.huge, moreActionValue: "more")
            _ = try await client(url, time: time).postMessage(channel: "C0ESC0001", message: message)
            #expect(slack.calls.map(\.status) == [200])
        }
    }
}
