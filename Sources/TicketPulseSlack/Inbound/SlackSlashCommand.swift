/// A slash command (`/pulse …`), sent form-encoded.
public struct SlackSlashCommand: Codable, Sendable, Equatable {
    public var command: String
    public var text: String
    public var userID: String
    public var channelID: String
    public var responseURL: String?
    public var triggerID: String?
    public var teamID: String?
    public var apiAppID: String?

    enum CodingKeys: String, CodingKey {
        case command, text
        case userID = "user_id", channelID = "channel_id", responseURL = "response_url"
        case triggerID = "trigger_id", teamID = "team_id", apiAppID = "api_app_id"
    }

    public init(
        command: String, text: String, userID: String, channelID: String, responseURL: String? = nil,
        triggerID: String? = nil, teamID: String? = nil, apiAppID: String? = nil
    ) {
        self.command = command
        self.text = text
        self.userID = userID
        self.channelID = channelID
        self.responseURL = responseURL
        self.triggerID = triggerID
        self.teamID = teamID
        self.apiAppID = apiAppID
    }

    public init(form: SlackForm) throws(SlackDecodingError) {
        try self.init(field: { form[$0] })
    }

    /// The same fields as a JSON object of strings, as a Socket Mode envelope carries them.
    public init(fields: [String: String]) throws(SlackDecodingError) {
        try self.init(field: { fields[$0] })
    }

    private init(field: (String) -> String?) throws(SlackDecodingError) {
        func required(_ key: CodingKeys) throws(SlackDecodingError) -> String {
            guard let value = field(key.rawValue), !value.isEmpty else { throw .missingField(key.rawValue) }
            return value
        }
        func optional(_ key: CodingKeys) -> String? {
            field(key.rawValue).flatMap { $0.isEmpty ? nil : $0 }
        }
        self.init(
            command: try required(.command),
            text: field(CodingKeys.text.rawValue) ?? "",
            userID: try required(.userID),
            channelID: try required(.channelID),
            responseURL: optional(.responseURL),
            triggerID: optional(.triggerID),
            teamID: optional(.teamID),
            apiAppID: optional(.apiAppID)
        )
    }

    /// Reads a raw form body.
    public static func decode(_ body: some Collection<UInt8>) throws(SlackDecodingError) -> SlackSlashCommand {
        try SlackSlashCommand(form: SlackForm(parsing: body))
    }
}
