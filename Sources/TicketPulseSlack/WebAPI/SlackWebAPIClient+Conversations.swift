import Foundation

/// A message as `conversations.history` / `conversations.replies` return it: enough to
/// recognise TicketPulse's own messages by their metadata.
public struct SlackHistoryMessage: Sendable, Equatable, Decodable {
    public struct Metadata: Sendable, Equatable, Decodable {
        public var eventType: String?
        public var eventPayload: [String: String]?

        enum CodingKeys: String, CodingKey {
            case eventType = "event_type", eventPayload = "event_payload"
        }
    }

    public var ts: String
    public var threadTS: String?
    public var metadata: Metadata?

    public init(ts: String, threadTS: String? = nil, metadata: Metadata? = nil) {
        self.ts = ts
        self.threadTS = threadTS
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case ts, metadata
        case threadTS = "thread_ts"
    }
}

extension SlackWebAPIClient {
    public func history(channel: String, oldest: Date, threadTS: String?) async throws -> [SlackHistoryMessage] {
        var form = [("channel", channel), ("oldest", String(format: "%.6f", oldest.timeIntervalSince1970)),
                    ("include_all_metadata", "true"), ("limit", "200")]
        if let threadTS { form.append(("ts", threadTS)) }
        return try await call(threadTS == nil ? "conversations.history" : "conversations.replies", .form(form), as: HistoryAnswer.self).messages
    }

    public func createChannel(name: String) async throws -> String {
        try await call("conversations.create", .json(["name": name]), as: OpenedConversation.self).channel.id
    }

    public func invite(users: [String], to channel: String) async throws {
        _ = try await call("conversations.invite", .json(["channel": channel, "users": users.joined(separator: ",")]))
    }
}

struct HistoryAnswer: Decodable {
    var messages: [SlackHistoryMessage]
}
