/// The outer object of every Events API request.
public struct SlackEnvelope: Decodable, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case urlVerification(challenge: String)
        case eventCallback(SlackEvent)
        /// `app_rate_limited` and anything newer: acknowledge and ignore.
        case other(String)
    }

    public struct Authorization: Decodable, Sendable, Equatable {
        public var teamID: String?
        public var userID: String?
        public var isBot: Bool?

        enum CodingKeys: String, CodingKey {
            case teamID = "team_id", userID = "user_id", isBot = "is_bot"
        }

        public init(teamID: String? = nil, userID: String? = nil, isBot: Bool? = nil) {
            self.teamID = teamID
            self.userID = userID
            self.isBot = isBot
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            teamID = container.lenient(String.self, .teamID)
            userID = container.lenient(String.self, .userID)
            isBot = container.lenient(Bool.self, .isBot)
        }
    }

    public var type: String
    public var challenge: String?
    public var eventID: String?
    public var eventTime: Int?
    public var teamID: String?
    public var apiAppID: String?
    public var event: SlackEvent?
    public var authorizations: [Authorization]

    enum CodingKeys: String, CodingKey {
        case type, challenge, event, authorizations
        case eventID = "event_id", eventTime = "event_time", teamID = "team_id", apiAppID = "api_app_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        challenge = container.lenient(String.self, .challenge)
        eventID = container.lenient(String.self, .eventID)
        eventTime = container.lenient(Int.self, .eventTime)
        teamID = container.lenient(String.self, .teamID)
        apiAppID = container.lenient(String.self, .apiAppID)
        event = container.lenient(SlackEvent.self, .event)
        authorizations = container.lenient([Authorization].self, .authorizations) ?? []
    }

    /// Reads a raw Events API body.
    public static func decode(_ body: some Collection<UInt8>) throws(SlackDecodingError) -> SlackEnvelope {
        let envelope = try SlackJSON.decode(SlackEnvelope.self, from: body)
        switch envelope.type {
        case "url_verification" where envelope.challenge == nil:
            throw .missingField("challenge")
        case "event_callback" where envelope.event == nil:
            throw .missingField("event")
        case "event_callback" where envelope.eventID == nil:
            throw .missingField("event_id")
        default:
            return envelope
        }
    }

    public var kind: Kind {
        switch type {
        case "url_verification": .urlVerification(challenge: challenge ?? "")
        case "event_callback": event.map(Kind.eventCallback) ?? .other(type)
        default: .other(type)
        }
    }

    /// The bot's own user in this workspace, when Slack says which authorization is the bot.
    public var botUserID: String? {
        authorizations.first { $0.isBot == true }?.userID
    }
}
