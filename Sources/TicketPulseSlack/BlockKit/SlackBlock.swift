/// One Block Kit block, encoded in Slack's JSON shape. Built by `BlockKitRenderer`, which
/// keeps every field within `SlackLimits`.
public enum SlackBlock: Sendable, Equatable, Encodable {
    /// plain_text header.
    case header(String)
    /// mrkdwn text, fields, or both.
    case section(text: String?, fields: [String])
    case divider
    /// mrkdwn elements.
    case context([String])
    /// Buttons, then at most one overflow ("…") menu for the actions that are not buttons.
    case actions(blockID: String?, elements: [SlackButton], overflow: SlackOverflow? = nil)
    case input(SlackInput)

    /// Characters this block puts into the message, for the whole-message budget.
    var textLength: Int {
        switch self {
        case .header(let text): SlackText.length(text)
        case .section(let text, let fields): SlackText.length(text ?? "") + fields.reduce(0) { $0 + SlackText.length($1) }
        case .divider: 0
        case .context(let elements): elements.reduce(0) { $0 + SlackText.length($1) }
        case .actions(_, let elements, let overflow):
            elements.reduce(0) { $0 + SlackText.length($1.text) + SlackText.length($1.value ?? "") }
                + (overflow?.options.reduce(0) { $0 + SlackText.length($1.text) + SlackText.length($1.value) } ?? 0)
        case .input(let input): SlackText.length(input.label) + SlackText.length(input.initialValue ?? "")
        }
    }

    private enum Keys: String, CodingKey {
        case type, text, fields, elements, blockID = "block_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .header(let text):
            try container.encode("header", forKey: .type)
            try container.encode(SlackTextObject.plain(text), forKey: .text)
        case .section(let text, let fields):
            try container.encode("section", forKey: .type)
            try container.encodeIfPresent(text.map(SlackTextObject.mrkdwn), forKey: .text)
            if !fields.isEmpty { try container.encode(fields.map(SlackTextObject.mrkdwn), forKey: .fields) }
        case .divider:
            try container.encode("divider", forKey: .type)
        case .context(let elements):
            try container.encode("context", forKey: .type)
            try container.encode(elements.map(SlackTextObject.mrkdwn), forKey: .elements)
        case .actions(let blockID, let elements, let overflow):
            try container.encode("actions", forKey: .type)
            try container.encodeIfPresent(blockID, forKey: .blockID)
            var list = container.nestedUnkeyedContainer(forKey: .elements)
            for element in elements { try list.encode(element) }
            if let overflow { try list.encode(overflow) }
        case .input(let input):
            try input.encode(to: encoder)
        }
    }
}

/// A Block Kit text object.
public struct SlackTextObject: Sendable, Equatable, Encodable {
    public var type: String
    public var text: String
    public var emoji: Bool?

    public static func plain(_ text: String) -> SlackTextObject { SlackTextObject(type: "plain_text", text: text, emoji: true) }
    public static func mrkdwn(_ text: String) -> SlackTextObject { SlackTextObject(type: "mrkdwn", text: text, emoji: nil) }
}

public struct SlackButton: Sendable, Equatable, Encodable {
    public enum Style: String, Sendable, Encodable { case primary, danger }

    public var text: String
    public var actionID: String
    public var value: String?
    public var style: Style?

    public init(text: String, actionID: String, value: String? = nil, style: Style? = nil) {
        self.text = text
        self.actionID = actionID
        self.value = value
        self.style = style
    }

    private enum Keys: String, CodingKey { case type, text, actionID = "action_id", value, style }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode("button", forKey: .type)
        try container.encode(SlackTextObject.plain(text), forKey: .text)
        try container.encode(actionID, forKey: .actionID)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(style, forKey: .style)
    }
}

/// An `overflow` element: Slack's "…" menu. Choosing an option sends a `block_actions`
/// with the menu's `action_id` and the option's `value` as `selected_option.value`.
public struct SlackOverflow: Sendable, Equatable, Encodable {
    public struct Option: Sendable, Equatable, Encodable {
        public var text: String
        public var value: String

        public init(text: String, value: String) {
            self.text = text
            self.value = value
        }

        private enum Keys: String, CodingKey { case text, value }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(SlackTextObject.plain(text), forKey: .text)
            try container.encode(value, forKey: .value)
        }
    }

    public var actionID: String
    public var options: [Option]

    public init(actionID: String, options: [Option]) {
        self.actionID = actionID
        self.options = options
    }

    private enum Keys: String, CodingKey { case type, actionID = "action_id", options }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode("overflow", forKey: .type)
        try container.encode(actionID, forKey: .actionID)
        try container.encode(options, forKey: .options)
    }
}

/// An input block holding a `plain_text_input`, the only input the modals need.
public struct SlackInput: Sendable, Equatable, Encodable {
    public var blockID: String
    public var actionID: String
    public var label: String
    public var placeholder: String?
    public var multiline: Bool
    public var maxLength: Int?
    public var initialValue: String?
    public var optional: Bool
    /// A single checkbox with this text instead of a text field: a deliberate yes (e.g.
    /// "Send as mike.chen@…") that a submit alone cannot give. Checked, the submission
    /// carries `SlackInput.checked` as the selected option's value.
    public var checkbox: String?

    public static let checked = "yes"

    public init(
        blockID: String, actionID: String, label: String, placeholder: String? = nil,
        multiline: Bool = false, maxLength: Int? = nil, initialValue: String? = nil, optional: Bool = false
    ) {
        self.blockID = blockID
        self.actionID = actionID
        self.label = label
        self.placeholder = placeholder
        self.multiline = multiline
        self.maxLength = maxLength
        self.initialValue = initialValue
        self.optional = optional
        checkbox = nil
    }

    /// An optional one-checkbox input (unchecked unless the person ticks it).
    public static func checkbox(blockID: String, actionID: String, label: String, text: String) -> SlackInput {
        var input = SlackInput(blockID: blockID, actionID: actionID, label: label, optional: true)
        input.checkbox = text
        return input
    }

    private enum Keys: String, CodingKey { case type, blockID = "block_id", label, element, optional }
    private enum ElementKeys: String, CodingKey {
        case type, actionID = "action_id", placeholder, multiline, maxLength = "max_length", initialValue = "initial_value", options
    }
    private struct Option: Encodable { var text: SlackTextObject; var value: String }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode("input", forKey: .type)
        try container.encode(blockID, forKey: .blockID)
        try container.encode(SlackTextObject.plain(label), forKey: .label)
        if optional { try container.encode(true, forKey: .optional) }
        var element = container.nestedContainer(keyedBy: ElementKeys.self, forKey: .element)
        if let checkbox {
            try element.encode("checkboxes", forKey: .type)
            try element.encode(actionID, forKey: .actionID)
            try element.encode([Option(text: .plain(SlackText.truncate(checkbox, to: 75)), value: Self.checked)], forKey: .options)
            return
        }
        try element.encode("plain_text_input", forKey: .type)
        try element.encode(actionID, forKey: .actionID)
        try element.encodeIfPresent(placeholder.map(SlackTextObject.plain), forKey: .placeholder)
        if multiline { try element.encode(true, forKey: .multiline) }
        try element.encodeIfPresent(maxLength, forKey: .maxLength)
        try element.encodeIfPresent(initialValue, forKey: .initialValue)
    }
}
