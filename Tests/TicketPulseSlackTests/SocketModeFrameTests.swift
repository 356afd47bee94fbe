import Foundation
import Testing
import TicketPulseSlack

/// Socket Mode frames in Slack's shapes, read with the same decoders as the HTTP bodies.
@Suite struct SocketModeFrameTests {
    static func frame(_ text: String) throws -> SocketModeFrame {
        try SocketModeFrame.decode(Array(text.utf8))
    }

    static func envelope(_ text: String) throws -> SocketModeEnvelope {
        guard case .envelope(let envelope) = try frame(text) else { throw SlackDecodingError.missingField("envelope_id") }
        return envelope
    }

    @Test func helloAndDisconnect() throws {
        guard case .hello(let connections) = try Self.frame(#"{"type":"hello","num_connections":2,"debug_info":{"host":"applink-1"},"connection_info":{"app_id":"A0APP00001"}}"#) else {
            Issue.record("not hello")
            return
        }
        #expect(connections == 2)
        guard case .disconnect(let reason) = try Self.frame(#"{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"applink-1"}}"#) else {
            Issue.record("not disconnect")
            return
        }
        #expect(reason == "refresh_requested")
    }

    @Test func eventsAPIEnvelopeCarriesTheEventCallback() throws {
        let payload = String(decoding: try Fixtures.bytes("app_mention.json"), as: UTF8.self)
        let envelope = try Self.envelope(#"{"envelope_id":"e-1","type":"events_api","accepts_response_payload":false,"retry_attempt":1,"retry_reason":"timeout","payload":"# + payload + "}")
        #expect(envelope.id == "e-1")
        #expect(envelope.retryAttempt == 1)
        #expect(envelope.retryReason == "timeout")
        guard case .event(let body) = envelope.content else {
            Issue.record("not an event: \(envelope.content)")
            return
        }
        #expect(body.eventID == "Ev0MENTION001")
    }

    @Test func slashCommandFieldsAreStringsOrFlags() throws {
        let envelope = try Self.envelope(#"{"envelope_id":"e-2","type":"slash_commands","accepts_response_payload":true,"payload":{"command":"/pulse","text":"help","user_id":"U0CSM0001","channel_id":"C0ESC0001","is_enterprise_install":false,"response_url":"https://hooks.slack.com/commands/T/1/x"}}"#)
        guard case .command(let command) = envelope.content else {
            Issue.record("not a command: \(envelope.content)")
            return
        }
        #expect(command.text == "help")
        #expect(command.responseURL == "https://hooks.slack.com/commands/T/1/x")
        #expect(envelope.acceptsResponsePayload)
    }

    @Test func interactivePayloadIsTheInteractionJSON() throws {
        let envelope = try Self.envelope(#"{"envelope_id":"e-3","type":"interactive","accepts_response_payload":false,"payload":{"type":"block_actions","user":{"id":"U0CSM0001"},"actions":[{"action_id":"see_more","value":"show tickets"}]}}"#)
        guard case .interaction(let interaction) = envelope.content else {
            Issue.record("not an interaction: \(envelope.content)")
            return
        }
        #expect(interaction.actions.map(\.routeID) == ["see_more"])
    }

    @Test func unknownAndUnreadableEnvelopesAreStillAcknowledgeable() throws {
        guard case .unknown = try Self.envelope(#"{"envelope_id":"e-4","type":"workflow_step_execute","payload":{}}"#).content else {
            Issue.record("not unknown")
            return
        }
        guard case .unreadable(.missingField("event")) = try Self.envelope(#"{"envelope_id":"e-5","type":"events_api","payload":{"type":"event_callback","event_id":"Ev1"}}"#).content else {
            Issue.record("not unreadable")
            return
        }
        guard case .unreadable(.missingField("actions")) = try Self.envelope(#"{"envelope_id":"e-6","type":"interactive","payload":{"type":"block_actions","user":{"id":"U1"}}}"#).content else {
            Issue.record("not unreadable")
            return
        }
    }

    @Test func framesWithNothingToAcknowledgeThrow() {
        #expect(throws: SlackDecodingError.self) { try Self.frame("not json") }
        #expect(throws: SlackDecodingError.notAnObject) { try Self.frame("[1]") }
        #expect(throws: SlackDecodingError.missingField("type")) { try Self.frame(#"{"envelope_id":"e-7"}"#) }
        #expect(throws: SlackDecodingError.missingField("envelope_id")) { try Self.frame(#"{"type":"events_api","payload":{}}"#) }
    }

    @Test func acknowledgementCarriesThePayloadOnlyWhereSlackReadsIt() throws {
        let payload = Array(#"{"text":"Looking into “help”…"}"#.utf8)
        let command = SocketModeEnvelope(id: #"e-"8""#, type: "slash_commands", acceptsResponsePayload: true, content: .unknown)
        let ack = try #require(try JSONSerialization.jsonObject(with: Data(command.acknowledgement(payload: payload).utf8)) as? [String: Any])
        #expect(ack["envelope_id"] as? String == #"e-"8""#)
        #expect((ack["payload"] as? [String: Any])?["text"] as? String == "Looking into “help”…")
        let event = SocketModeEnvelope(id: "e-9", type: "events_api", content: .unknown)
        #expect(event.acknowledgement(payload: payload) == #"{"envelope_id":"e-9"}"#)
    }
}
