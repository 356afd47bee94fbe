/// A button click (`block_actions`) or a modal submission (`view_submission`), sent as a
/// form with one field, `payload`, holding JSON.
public struct SlackInteraction: Decodable, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case blockActions
        case viewSubmission
        case other(String)
    }

    public struct User: Decodable, Sendable, Equatable {
        public var id: String
        public var username: String?
        public var teamID: String?

        enum CodingKeys: String, CodingKey {
            case id, username
            case teamID = "team_id"
        }
    }

    public struct Container: Decodable, Sendable, Equatable {
        public var type: String?
        public var messageTS: String?
        public var channelID: String?
        public var viewID: String?
        public var isEphemeral: Bool?

        enum CodingKeys: String, CodingKey {
            case type
            case messageTS = "message_ts", channelID = "channel_id", viewID = "view_id", isEphemeral = "is_ephemeral"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = container.lenient(String.self, .type)
            messageTS = container.lenient(String.self, .messageTS)
            channelID = container.lenient(String.self, .channelID)
            viewID = container.lenient(String.self, .viewID)
            isEphemeral = container.lenient(Bool.self, .isEphemeral)
        }
    }

    public struct Message: Decodable, Sendable, Equatable {
        public var ts: String?
        public var threadTS: String?
        public var text: String?

        enum CodingKeys: String, CodingKey {
            case ts, text
            case threadTS = "thread_ts"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ts = container.lenient(String.self, .ts)
            threadTS = container.lenient(String.self, .threadTS)
            text = container.lenient(String.self, .text)
        }
    }

    public struct Action: Decodable, Sendable, Equatable {
        /// As sent; a repeated id carries a `#n` suffix (see `BlockKitRenderer.uniqueActionID`).
        public var actionID: String
        public var blockID: String?
        public var value: String?
        public var type: String?
        public var actionTS: String?
        /// An overflow menu's chosen option (`selected_option.value`), as sent.
        public var selectedOption: String?

        enum CodingKeys: String, CodingKey {
            case value, type
            case actionID = "action_id", blockID = "block_id", actionTS = "action_ts", selectedOption = "selected_option"
        }

        struct SelectedOption: Decodable {
            var value: String?
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            actionID = try container.decode(String.self, forKey: .actionID)
            blockID = container.lenient(String.self, .blockID)
            value = container.lenient(String.self, .value)
            type = container.lenient(String.self, .type)
            actionTS = container.lenient(String.self, .actionTS)
            selectedOption = container.lenient(SelectedOption.self, .selectedOption)?.value
            // A menu choice is the action it names, with that action's value: handlers see
            // the same route and value as for the button it stands in for.
            if let choice = selectedOption.flatMap(BlockKitRenderer.menuChoice) {
                menuRouteID = choice.id
                value = choice.value
            }
        }

        private var menuRouteID: String?

        /// The id to dispatch on: `ReplyAction.id` as the handler wrote it (for an overflow
        /// menu, the chosen option's).
        public var routeID: String { menuRouteID ?? BlockKitRenderer.routeID(ofActionID: actionID) }
    }

    public struct View: Decodable, Sendable, Equatable {
        public struct InputValue: Decodable, Sendable, Equatable {
            public var type: String?
            public var value: String?
            /// A checkboxes element's ticked options, by value.
            public var selected: [String]

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                type = container.lenient(String.self, .type)
                value = container.lenient(String.self, .value)
                selected = container.lenient([Selected].self, .selectedOptions)?.compactMap(\.value) ?? []
            }

            struct Selected: Decodable { var value: String? }

            enum CodingKeys: String, CodingKey { case type, value, selectedOptions = "selected_options" }
        }

        public var id: String?
        public var type: String?
        public var callbackID: String?
        public var privateMetadata: String?
        /// `state.values[block_id][action_id]`.
        public var values: [String: [String: InputValue]]

        enum CodingKeys: String, CodingKey {
            case id, type, state
            case callbackID = "callback_id", privateMetadata = "private_metadata"
        }

        enum StateKeys: String, CodingKey { case values }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = container.lenient(String.self, .id)
            type = container.lenient(String.self, .type)
            callbackID = container.lenient(String.self, .callbackID)
            privateMetadata = container.lenient(String.self, .privateMetadata)
            let state = try? container.nestedContainer(keyedBy: StateKeys.self, forKey: .state)
            values = state?.lenient([String: [String: InputValue]].self, .values) ?? [:]
        }

        public func value(block blockID: String, action actionID: String) -> String? {
            values[blockID]?[actionID]?.value
        }

        /// Whether a `SlackInput.checkbox` was ticked.
        public func isChecked(block blockID: String, action actionID: String) -> Bool {
            values[blockID]?[actionID]?.selected.contains(SlackInput.checked) ?? false
        }
    }

    public var type: String
    public var user: User
    public var teamID: String?
    public var apiAppID: String?
    public var triggerID: String?
    public var responseURL: String?
    public var container: Container?
    public var channelID: String?
    public var message: Message?
    public var actions: [Action]
    public var view: View?

    enum CodingKeys: String, CodingKey {
        case type, user, team, container, channel, message, actions, view
        case apiAppID = "api_app_id", triggerID = "trigger_id", responseURL = "response_url"
    }

    private struct Identified: Decodable { var id: String }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        user = try container.decode(User.self, forKey: .user)
        teamID = container.lenient(Identified.self, .team)?.id
        apiAppID = container.lenient(String.self, .apiAppID)
        triggerID = container.lenient(String.self, .triggerID)
        responseURL = container.lenient(String.self, .responseURL)
        self.container = container.lenient(Container.self, .container)
        channelID = container.lenient(Identified.self, .channel)?.id
        message = container.lenient(Message.self, .message)
        actions = container.lenient([Action].self, .actions) ?? []
        view = container.lenient(View.self, .view)
    }

    public var kind: Kind {
        switch type {
        case "block_actions": .blockActions
        case "view_submission": .viewSubmission
        default: .other(type)
        }
    }

    /// The message a clicked button sits in, for `chat.update`.
    public var messageTS: String? { container?.messageTS ?? message?.ts }
    public var messageChannelID: String? { container?.channelID ?? channelID }

    /// Reads a raw form body (`payload=<JSON>`), as the HTTP request URL receives it.
    public static func decode(_ body: some Collection<UInt8>) throws(SlackDecodingError) -> SlackInteraction {
        let form = try SlackForm(parsing: body)
        guard let payload = form["payload"], !payload.isEmpty else { throw .missingField("payload") }
        return try decode(json: Array(payload.utf8))
    }

    /// Reads the payload's JSON itself, as a Socket Mode envelope carries it.
    public static func decode(json: some Collection<UInt8>) throws(SlackDecodingError) -> SlackInteraction {
        let interaction = try SlackJSON.decode(SlackInteraction.self, from: json)
        if interaction.kind == .blockActions, interaction.actions.isEmpty { throw .missingField("actions") }
        if interaction.kind == .viewSubmission, interaction.view == nil { throw .missingField("view") }
        return interaction
    }
}
