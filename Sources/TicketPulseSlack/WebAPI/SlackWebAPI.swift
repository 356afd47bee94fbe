import Foundation

/// The Slack Web API calls TicketPulse makes. `SlackWebAPIClient` is the real one; the
/// server's and workflows' tests use fakes.
public protocol SlackWebAPI: Sendable {
    /// `chat.postMessage`; returns the message `ts`.
    func postMessage(channel: String, message: SlackMessage, threadTS: String?, metadata: SlackMessageMetadata?) async throws -> String
    /// `chat.update`.
    func update(channel: String, ts: String, message: SlackMessage) async throws
    /// `chat.postEphemeral`.
    func postEphemeral(channel: String, user: String, message: SlackMessage, threadTS: String?) async throws
    /// `conversations.open`; returns the DM (or group DM) channel id.
    func openConversation(users: [String]) async throws -> String
    /// `views.open`: must run within 3 s of the `trigger_id`'s interaction.
    func openView(triggerID: String, view: SlackView) async throws
    /// `views.publish` of a Home tab.
    func publishView(userID: String, view: SlackView) async throws
    /// `users.info`.
    func userInfo(id: String) async throws -> SlackUser
    /// `users.lookupByEmail`; nil when no member has that address.
    func lookupUserByEmail(_ email: String) async throws -> SlackUser?
    /// Answers a slash command or an interaction through its `response_url`.
    func postToResponseURL(_ url: URL, message: SlackMessage, replaceOriginal: Bool, ephemeral: Bool) async throws
    /// `conversations.history` (or `conversations.replies` with a thread) since `oldest`,
    /// with metadata.
    func history(channel: String, oldest: Date, threadTS: String?) async throws -> [SlackHistoryMessage]
    /// `conversations.create` of a public channel; returns its id.
    func createChannel(name: String) async throws -> String
    /// `conversations.invite`.
    func invite(users: [String], to channel: String) async throws
}

extension SlackWebAPI {
    @discardableResult
    public func postMessage(channel: String, message: SlackMessage, threadTS: String? = nil) async throws -> String {
        try await postMessage(channel: channel, message: message, threadTS: threadTS, metadata: nil)
    }

    public func postEphemeral(channel: String, user: String, message: SlackMessage) async throws {
        try await postEphemeral(channel: channel, user: user, message: message, threadTS: nil)
    }
}

/// Slack message metadata: lets TicketPulse recognise its own messages (an alert id, an
/// idempotency key) when they come back in events or interactions.
public struct SlackMessageMetadata: Sendable, Equatable, Encodable {
    public var eventType: String
    public var eventPayload: [String: String]

    public init(eventType: String, eventPayload: [String: String]) {
        self.eventType = eventType
        self.eventPayload = eventPayload
    }

    enum CodingKeys: String, CodingKey {
        case eventType = "event_type", eventPayload = "event_payload"
    }
}

/// What TicketPulse needs of a Slack member: enough to map them to a CSM.
public struct SlackUser: Sendable, Equatable, Decodable {
    public var id: String
    public var teamID: String?
    public var name: String?
    public var realName: String?
    public var displayName: String?
    public var email: String?
    public var timeZone: String?
    public var isBot: Bool
    public var deleted: Bool

    public init(
        id: String, teamID: String? = nil, name: String? = nil, realName: String? = nil, displayName: String? = nil,
        email: String? = nil, timeZone: String? = nil, isBot: Bool = false, deleted: Bool = false
    ) {
        self.id = id
        self.teamID = teamID
        self.name = name
        self.realName = realName
        self.displayName = displayName
        self.email = email
        self.timeZone = timeZone
        self.isBot = isBot
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey {
        case id, name, deleted, profile
        case teamID = "team_id", realName = "real_name", timeZone = "tz", isBot = "is_bot"
    }

    enum ProfileKeys: String, CodingKey {
        case email
        case realName = "real_name", displayName = "display_name"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let profile = try? container.nestedContainer(keyedBy: ProfileKeys.self, forKey: .profile)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            teamID: container.lenient(String.self, .teamID),
            name: container.lenient(String.self, .name),
            realName: container.lenient(String.self, .realName) ?? profile?.lenient(String.self, .realName),
            displayName: profile?.lenient(String.self, .displayName),
            email: profile?.lenient(String.self, .email),
            timeZone: container.lenient(String.self, .timeZone),
            isBot: container.lenient(Bool.self, .isBot) ?? false,
            deleted: container.lenient(Bool.self, .deleted) ?? false
        )
    }
}
