import Foundation
import TicketPulseCore

/// One text frame Slack sends on a Socket Mode connection.
public enum SocketModeFrame: Sendable {
    /// The connection is ready. Slack delivers nothing on it before this.
    case hello(connections: Int?)
    /// Slack is about to close this connection (`refresh_requested`, `warning`,
    /// `link_disabled`, …): open another before it does.
    case disconnect(reason: String)
    /// Work that must be acknowledged with its `envelope_id` within 3 s, or Slack delivers
    /// it again.
    case envelope(SocketModeEnvelope)

    /// Reads a frame. A frame that is not a JSON object with a `type`, or an envelope
    /// without its `envelope_id`, throws: there is nothing to acknowledge it with.
    public static func decode(_ text: some Collection<UInt8>) throws(SlackDecodingError) -> SocketModeFrame {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(text)) as? [String: Any] else { throw SlackDecodingError.notAnObject }
            object = parsed
        } catch let error as SlackDecodingError {
            throw error
        } catch {
            throw .malformedJSON(String(describing: error))
        }
        guard let type = object["type"] as? String else { throw .missingField("type") }
        switch type {
        case "hello":
            return .hello(connections: object["num_connections"] as? Int)
        case "disconnect":
            return .disconnect(reason: object["reason"] as? String ?? "unknown")
        default:
            guard let id = object["envelope_id"] as? String, !id.isEmpty else { throw .missingField("envelope_id") }
            return .envelope(SocketModeEnvelope(id: id, type: type, object: object))
        }
    }
}

/// An `events_api`, `interactive` or `slash_commands` delivery (or one of a type this
/// build does not know), with its payload decoded as the HTTP endpoints decode theirs.
public struct SocketModeEnvelope: Sendable {
    public enum Content: Sendable {
        /// `events_api`: the Events API's `event_callback` body.
        case event(SlackEnvelope)
        /// `interactive`: block_actions, view_submission, … as the interactions URL gets them.
        case interaction(SlackInteraction)
        /// `slash_commands`: the command's fields, as strings.
        case command(SlackSlashCommand)
        /// A type this build does not know: acknowledged so Slack stops sending it, and ignored.
        case unknown
        /// A known type whose payload does not decode: acknowledged all the same (a payload
        /// that fails once fails on every redelivery), and logged.
        case unreadable(SlackDecodingError)
    }

    public var id: String
    public var type: String
    /// Slack reads a `payload` in the acknowledgement: slash commands, view submissions.
    public var acceptsResponsePayload: Bool
    /// 0 for a first delivery; Slack counts its redeliveries of an unacknowledged event.
    public var retryAttempt: Int
    public var retryReason: String?
    public var content: Content

    public init(id: String, type: String, acceptsResponsePayload: Bool = false, retryAttempt: Int = 0, retryReason: String? = nil, content: Content) {
        self.id = id
        self.type = type
        self.acceptsResponsePayload = acceptsResponsePayload
        self.retryAttempt = retryAttempt
        self.retryReason = retryReason
        self.content = content
    }

    init(id: String, type: String, object: [String: Any]) {
        let retryReason = (object["retry_reason"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        self.init(id: id, type: type, acceptsResponsePayload: object["accepts_response_payload"] as? Bool ?? false,
                  retryAttempt: object["retry_attempt"] as? Int ?? 0, retryReason: retryReason,
                  content: Self.content(type: type, payload: object["payload"]))
    }

    private static func content(type: String, payload: Any?) -> Content {
        guard ["events_api", "interactive", "slash_commands"].contains(type) else { return .unknown }
        guard let payload = payload as? [String: Any] else { return .unreadable(.missingField("payload")) }
        do throws(SlackDecodingError) {
            switch type {
            case "events_api":
                return .event(try SlackEnvelope.decode(try json(payload)))
            case "interactive":
                return .interaction(try SlackInteraction.decode(json: try json(payload)))
            default:
                // Socket Mode sends the command's form fields as a JSON object of strings;
                // a flag may come as a JSON boolean.
                var fields: [String: String] = [:]
                for (name, value) in payload {
                    switch value {
                    case let text as String: fields[name] = text
                    case let number as NSNumber: fields[name] = number.stringValue
                    default: continue
                    }
                }
                return .command(try SlackSlashCommand(fields: fields))
            }
        } catch {
            return .unreadable(error)
        }
    }

    private static func json(_ object: [String: Any]) throws(SlackDecodingError) -> [UInt8] {
        do {
            return Array(try JSONSerialization.data(withJSONObject: object))
        } catch {
            throw .malformedJSON(String(describing: error))
        }
    }

    /// The acknowledgement frame: `{"envelope_id": …}`, with `payload` (a JSON object's
    /// bytes) when there is one and Slack reads it for this envelope.
    public func acknowledgement(payload: [UInt8]?) -> String {
        // The id escaped as a JSON string, whatever it holds.
        let quoted = (try? StreamingJSONEncoder().encode(id)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        guard let payload, acceptsResponsePayload else { return "{\"envelope_id\":\(quoted)}" }
        return "{\"envelope_id\":\(quoted),\"payload\":\(String(decoding: payload, as: UTF8.self))}"
    }
}
