import Foundation
import Testing
import TicketPulseServer
import TicketPulseTestSupport

@Suite("Slack Socket Mode, live", .serialized)
struct SocketModeTests {
    typealias H = SocketModeHarness

    @Test("An app_mention over the socket is acknowledged with its envelope_id and answered once, in its thread")
    func mentionIsAcknowledgedAndAnswered() async throws {
        try await H.run { h in
            let connection = try await h.connect()
            try await connection.send(H.fixture("events_api_app_mention"))
            let ack = try #require(await connection.nextFrame())
            #expect(ack["envelope_id"] as? String == (try H.envelopeID("events_api_app_mention")))
            #expect(ack["payload"] == nil)
            await h.server.fake.waitForDelivered("chat.postMessage", count: 1)
            let post = try #require(h.server.fake.delivered("chat.postMessage").first)
            #expect(post.json["channel"] as? String == "C0ESC0001")
            #expect(post.json["thread_ts"] as? String == "1763478000.000100")
            #expect((post.json["text"] as? String)?.contains("Acme Corp") == true)
            #expect(post.authorization == "Bearer xoxb-test")
            // apps.connections.open is called with the app-level token, never the bot's.
            #expect(h.socket.openAuthorizations == ["Bearer \(H.appToken)"])
        }
    }

    @Test("An event redelivered on a new connection after a drop is acknowledged again and answered once")
    func redeliveredEventIsAnsweredOnce() async throws {
        try await H.run { h in
            let first = try await h.connect()
            try await first.send(H.fixture("events_api_app_mention"))
            _ = await first.nextFrame()
            // The acknowledgement was sent, but Slack lost it with the connection.
            first.drop()
            let second = try await h.connect()
            try await second.send(H.redelivery("events_api_app_mention"))
            let again = try #require(await second.nextFrame())
            #expect(again["envelope_id"] as? String == (try H.envelopeID("events_api_app_mention")))
            // One worker: had the redelivery been taken, its answer would come before this one's.
            try await second.send(H.fixture("events_api_message_im"))
            _ = await second.nextFrame()
            await h.server.fake.waitForDelivered("chat.postMessage", count: 2)
            #expect(h.server.fake.delivered("chat.postMessage").map { $0.json["thread_ts"] as? String } == ["1763478000.000100", "1763478060.000200"])
            // The first reconnection after a good connection goes at once.
            #expect(h.time.sleeps.isEmpty)
            // (When the fake notes the dropped socket races with the reconnection.)
            #expect(h.socket.log.filter { !$0.hasPrefix("closed") } == ["open 1", "connect 1", "open 2", "connect 2"])
        }
    }

    @Test("A slash command is acknowledged with its immediate reply as payload, answered once, and a redelivery gets the same reply")
    func slashCommandAckCarriesTheReply() async throws {
        try await H.run { h in
            let responseURL = h.server.slackURL.deletingLastPathComponent().appendingPathComponent("response/T0TEAM0001-socket").absoluteString
            let command = try H.fixture("slash_commands") { envelope in
                var payload = envelope["payload"] as? [String: Any] ?? [:]
                payload["response_url"] = responseURL
                envelope["payload"] = payload
            }
            let connection = try await h.connect()
            try await connection.send(command)
            let ack = try #require(await connection.nextFrame())
            #expect(ack["envelope_id"] as? String == (try H.envelopeID("slash_commands")))
            let payload = try #require(ack["payload"] as? [String: Any])
            #expect(payload["response_type"] as? String == "ephemeral")
            #expect(payload["text"] as? String == "Looking into “help”…")
            await h.server.fake.waitForDelivered("response_url", count: 1)
            let answer = try #require(h.server.fake.delivered("response_url").first)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("show support tickets for"))

            // Delivered again (Slack did not get the acknowledgement): the same reply, no second answer.
            try await connection.send(command)
            let again = try #require(await connection.nextFrame())
            #expect((again["payload"] as? [String: Any])?["text"] as? String == "Looking into “help”…")
            try await connection.send(H.fixture("events_api_message_im"))
            _ = await connection.nextFrame()
            await h.server.fake.waitForDelivered("chat.postMessage", count: 1)
            #expect(h.server.fake.delivered("response_url").count == 1)
        }
    }

    @Test("A button click is acknowledged with no payload, its question answered in the message's thread, and a redelivery not acted on")
    func blockActionsAreAcknowledgedAndAnsweredOnce() async throws {
        try await H.run { h in
            let connection = try await h.connect()
            try await connection.send(H.fixture("interactive_block_actions"))
            let ack = try #require(await connection.nextFrame())
            #expect(ack["envelope_id"] as? String == (try H.envelopeID("interactive_block_actions")))
            #expect(ack["payload"] == nil)
            try await connection.send(H.fixture("interactive_block_actions"))
            let again = try #require(await connection.nextFrame())
            #expect(again["envelope_id"] as? String == (try H.envelopeID("interactive_block_actions")))
            try await connection.send(H.fixture("events_api_message_im"))
            _ = await connection.nextFrame()
            await h.server.fake.waitForDelivered("chat.postMessage", count: 2)
            let posts = h.server.fake.delivered("chat.postMessage")
            #expect(posts.map { $0.json["thread_ts"] as? String } == ["1763478001.000400", "1763478060.000200"])
            #expect((posts[0].json["text"] as? String)?.contains("Acme Corp") == true)
        }
    }

    @Test("A modal submission that is refused gets its response_action errors in the acknowledgement")
    func viewSubmissionErrorsAreInTheAck() async throws {
        try await H.run { h in
            let connection = try await h.connect()
            try await connection.send(H.fixture("interactive_view_submission"))
            let ack = try #require(await connection.nextFrame())
            #expect(ack["envelope_id"] as? String == (try H.envelopeID("interactive_view_submission")))
            let payload = try #require(ack["payload"] as? [String: Any])
            #expect(payload["response_action"] as? String == "errors")
            #expect((payload["errors"] as? [String: String])?["note"] == "Write the note first.")
        }
    }

    @Test("refresh_requested opens a second connection before the first is closed; what the first still carries is acknowledged")
    func refreshOverlapsConnections() async throws {
        try await H.run { h in
            // No hello yet: not connected, and /healthz says so.
            #expect(try await h.health() == (false, "degraded"))
            let first = try await h.connect()
            try await first.send(H.fixture("disconnect_refresh_requested"))
            let second = try #require(await h.socket.nextConnection())
            // The second is open but has not said hello: the first still delivers.
            try await first.send(H.fixture("events_api_app_mention"))
            let ack = try #require(await first.nextFrame())
            #expect(ack["envelope_id"] as? String == (try H.envelopeID("events_api_app_mention")))
            try await second.send(H.fixture("hello"))
            await first.waitUntilClosed()
            #expect(h.socket.log == ["open 1", "connect 1", "open 2", "connect 2", "closed 1"])
            #expect(try await h.health() == (true, "ok"))
            try await second.send(H.fixture("events_api_message_im"))
            let onSecond = try #require(await second.nextFrame())
            #expect(onSecond["envelope_id"] as? String == (try H.envelopeID("events_api_message_im")))
            await h.server.fake.waitForDelivered("chat.postMessage", count: 2)
            #expect(h.server.fake.delivered("chat.postMessage").map { $0.json["thread_ts"] as? String } == ["1763478000.000100", "1763478060.000200"])
            #expect(h.time.sleeps.isEmpty)
        }
    }

    @Test("A dropped connection is reopened, waiting longer each time apps.connections.open fails")
    func dropReconnectsWithBackoff() async throws {
        try await H.run { h in
            let first = try await h.connect()
            h.socket.script(.slackError("internal_error"), .slackError("internal_error"))
            first.drop()
            let second = try await h.connect()
            // At once, then 1 s, then 2 s: the injected clock records the waits.
            #expect(h.time.sleeps == [.seconds(1), .seconds(2)])
            #expect(h.socket.log.filter { !$0.hasPrefix("closed") } == ["open 1", "connect 1", "refused", "refused", "open 2", "connect 2"])
            try await second.send(H.fixture("events_api_app_mention"))
            _ = await second.nextFrame()
            await h.server.fake.waitForDelivered("chat.postMessage", count: 1)
        }
    }

    @Test("Malformed frames, unknown envelope types and unreadable payloads are logged and never end the connection")
    func badFramesAreSurvived() async throws {
        try await H.run { h in
            let connection = try await h.connect()
            try await connection.send("this is not JSON{")
            try await connection.send(#"{"type":"events_api","payload":{}}"#)
            try await connection.send(#"[1, 2, 3]"#)
            try await connection.send(#"{"envelope_id":"e-unknown","type":"workflow_step_execute","payload":{},"accepts_response_payload":false}"#)
            try await connection.send(#"{"envelope_id":"e-unreadable","type":"events_api","payload":{"type":"event_callback"},"accepts_response_payload":false}"#)
            try await connection.send(#"{"envelope_id":"e-no-payload","type":"slash_commands","accepts_response_payload":true}"#)
            try await connection.send(H.fixture("events_api_app_mention"))
            var acknowledged: Set<String> = []
            for _ in 0..<4 {
                let ack = try #require(await connection.nextFrame())
                acknowledged.insert(try #require(ack["envelope_id"] as? String))
                #expect(ack["payload"] == nil)
            }
            #expect(acknowledged == ["e-unknown", "e-unreadable", "e-no-payload", try H.envelopeID("events_api_app_mention")])
            await h.server.fake.waitForDelivered("chat.postMessage", count: 1)
            #expect(h.socket.log == ["open 1", "connect 1"])
        }
    }
}
