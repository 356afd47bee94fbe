import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketPulseServer
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

@Suite("Slack events, live", .serialized)
struct SlackEventsLiveTests {
    @Test("A signed app_mention is acknowledged and answered exactly once, in its thread, with valid blocks")
    func mentionIsAnsweredInThread() async throws {
        try await ServerHarness.run { harness, client in
            let body = ServerHarness.appMention(eventID: "Ev001", ts: "1763478000.000100")
            let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            let post = try #require(harness.fake.delivered("chat.postMessage").first)
            #expect(post.json["channel"] as? String == "C0ESC0001")
            #expect(post.json["thread_ts"] as? String == "1763478000.000100")
            #expect((post.json["text"] as? String)?.contains("Acme Corp") == true)
            let blocks = post.json["blocks"] as? [[String: Any]] ?? []
            #expect(!blocks.isEmpty && blocks.count <= 50)
            #expect(post.authorization == "Bearer xoxb-test")
        }
    }

    @Test("The same event retried with X-Slack-Retry-Num produces no second answer")
    func retryIsDeduplicated() async throws {
        try await ServerHarness.run { harness, client in
            let first = ServerHarness.appMention(eventID: "Ev002", ts: "1763478000.000200")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(first), body: ByteBuffer(string: first))
            let retry = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(first, retry: 1), body: ByteBuffer(string: first))
            #expect(retry.status == .ok)
            // A different event afterwards: with one worker, its answer comes after any answer to the retry.
            let second = ServerHarness.appMention(eventID: "Ev003", ts: "1763478000.000300", text: "<@U0BOT0001> help")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(second), body: ByteBuffer(string: second))
            await harness.fake.waitForDelivered("chat.postMessage", count: 2)
            let threads = harness.fake.delivered("chat.postMessage").map { $0.json["thread_ts"] as? String }
            #expect(threads == ["1763478000.000200", "1763478000.000300"])
        }
    }

    @Test("A retry that arrives after a restart is still recognised: the ids are kept in the store")
    func retryAfterRestartIsDeduplicated() async throws {
        let store = try ServerHarness.makeStore()
        let event = ServerHarness.appMention(eventID: "Ev005", ts: "1763478000.000500")
        try await ServerHarness.run(store: store) { harness, client in
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(event), body: ByteBuffer(string: event))
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
        }
        #expect(try store.slackEventIDs(since: ServerHarness.now.addingTimeInterval(-60)).map(\.id) == ["Ev005"])
        try await ServerHarness.run(store: store) { harness, client in
            let retry = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(event, retry: 2), body: ByteBuffer(string: event))
            #expect(retry.status == .ok)
            let next = ServerHarness.appMention(eventID: "Ev006", ts: "1763478000.000600", text: "<@U0BOT0001> help")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(next), body: ByteBuffer(string: next))
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            // One worker: had the retry been taken, its answer would have come first.
            #expect(harness.fake.delivered("chat.postMessage").map { $0.json["thread_ts"] as? String } == ["1763478000.000600"])
        }
    }

    @Test("A 429 with Retry-After: 1 is waited out and the message delivered once")
    func rateLimitIsHonoured() async throws {
        try await ServerHarness.run { harness, client in
            harness.fake.script("chat.postMessage", .rateLimited(retryAfter: "1"))
            let body = ServerHarness.appMention(eventID: "Ev004", ts: "1763478000.000400")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            #expect(harness.fake.calls("chat.postMessage").map(\.status) == [429, 200])
            #expect(harness.time.sleeps.contains { $0 >= .seconds(1) })
        }
    }

    @Test("A question that fails after the acknowledgement gets a short apology in its thread")
    func failedQuestionIsApologisedFor() async throws {
        try await ServerHarness.run { harness, client in
            // Not in the roster by Slack id, and Slack refuses to say who it is: the job fails.
            harness.fake.script("users.info", .slackError("fatal_error"))
            let body = ServerHarness.appMention(eventID: "Ev030", ts: "1763478000.003000", user: "U0NEWCOMER")
            let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            let post = try #require(harness.fake.delivered("chat.postMessage").first)
            #expect(post.json["channel"] as? String == "C0ESC0001")
            #expect(post.json["thread_ts"] as? String == "1763478000.003000")
            let text = try #require(post.json["text"] as? String)
            #expect(text.hasPrefix("Sorry, something went wrong"))
            #expect(text.contains("try again"))
            #expect(!text.contains("fatal_error"))
        }
    }

    @Test("When Slack refuses the answer itself, the apology follows in the same thread")
    func refusedAnswerIsApologisedFor() async throws {
        try await ServerHarness.run { harness, client in
            harness.fake.script("chat.postMessage", .slackError("invalid_blocks"))
            let body = ServerHarness.appMention(eventID: "Ev031", ts: "1763478000.003100")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            await harness.fake.waitForDelivered("chat.postMessage", count: 2)
            let posts = harness.fake.delivered("chat.postMessage")
            #expect((posts[0].json["text"] as? String)?.contains("Acme Corp") == true)
            #expect(posts[1].json["thread_ts"] as? String == "1763478000.003100")
            #expect((posts[1].json["text"] as? String)?.hasPrefix("Sorry, something went wrong") == true)
            #expect(posts.count == 2)
        }
    }

    @Test("url_verification is answered with the challenge")
    func urlVerification() async throws {
        try await ServerHarness.run { harness, client in
            let body = #"{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
            let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
        }
    }

    @Test("A member not yet mapped is found by users.lookupByEmail when users.info hides the email, and remembered")
    func unmappedMemberIsFoundByEmailLookup() async throws {
        try await ServerHarness.run { harness, client in
            var mike = ServerHarness.mike
            mike.slackUserID = nil
            try harness.store.upsertCSMs([mike])
            harness.fake.script("users.info", .user(email: nil))
            let body = ServerHarness.appMention(eventID: "Ev010", ts: "1763478000.001000")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            #expect(harness.fake.calls("users.lookupByEmail").map { $0.form?["email"] } == ["mike.chen@example.com"])
            #expect((harness.fake.delivered("chat.postMessage").first?.json["text"] as? String)?.contains("Acme Corp") == true)
            #expect(try harness.store.csm(slackUserID: "U0CSM0001")?.email == mike.email)
        }
    }

    @Test("Someone not in the roster gets a polite answer saying how to be added, and no customer data")
    func unknownMemberIsToldHowToBeAdded() async throws {
        try await ServerHarness.run { harness, client in
            harness.fake.script("users.info", .user(email: "stranger@example.com"))
            let body = ServerHarness.appMention(eventID: "Ev011", ts: "1763478000.001100", user: "U0STRANGER")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            let text = try #require(harness.fake.delivered("chat.postMessage").first?.json["text"] as? String)
            #expect(text.contains("ticketpulse import csms"))
            #expect(!text.contains("Acme"))
        }
    }

    @Test("Opening the Home tab publishes the user's dashboard, within the 100-block limit")
    func homeTabPublishesTheDashboard() async throws {
        try await ServerHarness.run { harness, client in
            let body = #"{"token":"x","team_id":"T0TEAM0001","api_app_id":"A0APP0001","type":"event_callback","event_id":"Ev020","event_time":1763478000,"event":{"type":"app_home_opened","user":"U0CSM0001","channel":"D0DM00001","tab":"home","event_ts":"1763478000.002000"},"authorizations":[{"team_id":"T0TEAM0001","user_id":"U0BOT0001","is_bot":true}]}"#
            let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            await harness.fake.waitForDelivered("views.publish", count: 1)
            let publish = try #require(harness.fake.delivered("views.publish").first)
            #expect(publish.json["user_id"] as? String == "U0CSM0001")
            let view = try #require(publish.json["view"] as? [String: Any])
            #expect(view["type"] as? String == "home")
            let blocks = view["blocks"] as? [[String: Any]] ?? []
            #expect(!blocks.isEmpty && blocks.count <= 100)
            let text = String(decoding: publish.body, as: UTF8.self)
            #expect(text.contains("Acme Corp"))
        }
    }

    @Test("/pulse help answers with what the bot can do")
    func pulseHelp() async throws {
        try await ServerHarness.run { harness, client in
            let responseURL = harness.slackURL.deletingLastPathComponent().appendingPathComponent("response/T0TEAM0001-2").absoluteString
            let escaped = responseURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let form = "token=x&team_id=T0TEAM0001&channel_id=C0ESC0001&user_id=U0CSM0001&command=%2Fpulse&text=help&response_url=\(escaped)&trigger_id=1.2.3"
            let ack = try await client.execute(uri: "/slack/commands", method: .post,
                                               headers: harness.signedHeaders(form, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: form))
            #expect(ack.status == .ok)
            await harness.fake.waitForDelivered("response_url", count: 1)
            let answer = try #require(harness.fake.delivered("response_url").first)
            let text = String(decoding: answer.body, as: UTF8.self)
            #expect(text.contains("show support tickets for"))
            #expect(answer.json["response_type"] as? String == "ephemeral")
        }
    }
}

