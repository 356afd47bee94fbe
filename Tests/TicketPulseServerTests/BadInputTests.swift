import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TicketPulseServer
import TicketPulseTestSupport

@Suite("Bad input never stops the service")
struct BadInputTests {
    @Test("Bad, missing and stale signatures get 401 with a JSON error; malformed bodies 400; oversized 413; unknown events 200")
    func badInput() async throws {
        try await ServerHarness.run { harness, client in
            let body = ServerHarness.appMention(eventID: "Ev100", ts: "1763478000.001000")
            var badSignature = harness.signedHeaders(body)
            badSignature[HTTPField.Name("X-Slack-Signature")!] = "v0=" + String(repeating: "0", count: 64)
            let bad = try await client.execute(uri: "/slack/events", method: .post, headers: badSignature, body: ByteBuffer(string: body))
            #expect(bad.status == .unauthorized)
            #expect(String(buffer: bad.body).contains("\"error\""))

            let missing = try await client.execute(uri: "/slack/commands", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "text=hi"))
            #expect(missing.status == .unauthorized)

            var stale = harness.signedHeaders(body)
            stale[HTTPField.Name("X-Slack-Request-Timestamp")!] = String(Int(ServerHarness.now.timeIntervalSince1970) - 301)
            #expect(try await client.execute(uri: "/slack/events", method: .post, headers: stale, body: ByteBuffer(string: body)).status == .unauthorized)

            let malformed = "{\"type\": \"event_callback\", "
            let malformedResponse = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(malformed), body: ByteBuffer(string: malformed))
            #expect(malformedResponse.status == .badRequest)
            #expect(String(buffer: malformedResponse.body).contains("malformed_json"))

            let badForm = "payload=%7Bnot-json"
            let badFormResponse = try await client.execute(uri: "/slack/interactions", method: .post,
                                                           headers: harness.signedHeaders(badForm, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: badForm))
            #expect(badFormResponse.status == .badRequest)

            let huge = String(repeating: "x", count: 1_048_577)
            #expect(try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(huge), body: ByteBuffer(string: huge)).status == .contentTooLarge)

            let unknown = #"{"type":"event_callback","event_id":"Ev101","event":{"type":"reaction_added","user":"U0CSM0001"}}"#
            #expect(try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(unknown), body: ByteBuffer(string: unknown)).status == .ok)

            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("ticketpulse_slack_signature_failures_total 3"))
            #expect(harness.fake.calls.isEmpty)
        }
    }

    @Test("/pulse is acknowledged at once and answered through response_url")
    func slashCommand() async throws {
        try await ServerHarness.run { harness, client in
            let responseURL = harness.slackURL.deletingLastPathComponent().appendingPathComponent("response/T0TEAM0001-1").absoluteString
            let escaped = responseURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let form = "token=x&team_id=T0TEAM0001&channel_id=C0ESC0001&user_id=U0CSM0001&command=%2Fpulse&text=show+support+tickets+for+Acme&response_url=\(escaped)&trigger_id=1.2.3"
            let ack = try await client.execute(uri: "/slack/commands", method: .post,
                                               headers: harness.signedHeaders(form, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: form))
            #expect(ack.status == .ok)
            #expect(String(buffer: ack.body).contains("ephemeral"))
            await harness.fake.waitForDelivered("response_url", count: 1)
            let answer = try #require(harness.fake.delivered("response_url").first)
            #expect((answer.json["text"] as? String)?.contains("Acme Corp") == true)
            #expect(answer.json["replace_original"] as? Bool == true)
        }
    }

    @Test("A 200 KB /pulse is acknowledged with at most 200 characters of it echoed back")
    func longCommandEcho() async throws {
        try await ServerHarness.run { harness, client in
            let question = String(repeating: "tickets for Acme ", count: 12_000)
            let text = question.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let form = "token=x&team_id=T0TEAM0001&channel_id=C0ESC0001&user_id=U0CSM0001&command=%2Fpulse&text=\(text)&trigger_id=1.2.3"
            let ack = try await client.execute(uri: "/slack/commands", method: .post,
                                               headers: harness.signedHeaders(form, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: form))
            #expect(ack.status == .ok)
            let reply = try JSONSerialization.jsonObject(with: Data(String(buffer: ack.body).utf8)) as? [String: Any]
            let echoed = try #require(reply?["text"] as? String)
            #expect(echoed.count < 260)
            #expect(echoed.hasPrefix("Looking into “tickets for Acme"))
        }
    }

    @Test("A JSON null or list as an event body gets a 400 that says what is wrong")
    func nonObjectBodies() async throws {
        try await ServerHarness.run { harness, client in
            for body in ["null", "[1,2]", "42"] {
                let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(body), body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                let text = String(buffer: response.body)
                #expect(text.contains("not an object"), "\(body): \(text)")
                #expect(!text.contains("``"))
            }
        }
    }
}
