/// The one message model of TicketPulse: every answer and every alert is a `Reply`, and
/// Block Kit, terminal text and email are renderers of it. No handler writes Block Kit.
public struct Reply: Codable, Sendable, Equatable {
    public var header: String?
    public var blocks: [ReplyBlock]
    /// The plain-text version every Slack message carries (notifications, screen readers).
    public var fallbackText: String

    public init(header: String? = nil, blocks: [ReplyBlock] = [], fallbackText: String) {
        self.header = header
        self.blocks = blocks
        self.fallbackText = fallbackText
    }
}

public enum ReplyBlock: Codable, Sendable, Equatable {
    /// Text with light emphasis: `*bold*`, `_italic_`.
    case section(String)
    case fields([ReplyField])
    case table(ReplyTable)
    case barChart(BarChart)
    /// Small print: where the data comes from and how fresh it is.
    case context(String)
    case divider
    case actions([ReplyAction])
}

public struct ReplyField: Codable, Sendable, Equatable {
    public var label: String
    public var value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

public struct ReplyTable: Codable, Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]
    /// Rows that matched but are not shown ("…and N more").
    public var omittedRows: Int

    public init(columns: [String], rows: [[String]], omittedRows: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.omittedRows = omittedRows
    }
}

public struct BarChart: Codable, Sendable, Equatable {
    public struct Bar: Codable, Sendable, Equatable {
        public var label: String
        public var value: Double
        /// What to print beside the bar ("42", "87%").
        public var display: String

        public init(label: String, value: Double, display: String) {
            self.label = label
            self.value = value
            self.display = display
        }
    }

    public var title: String
    public var bars: [Bar]
    /// The value of a full bar; nil scales to the largest bar.
    public var maximum: Double?

    public init(title: String, bars: [Bar], maximum: Double? = nil) {
        self.title = title
        self.bars = bars
        self.maximum = maximum
    }
}

public struct ReplyAction: Codable, Sendable, Equatable {
    public enum Style: String, Codable, Sendable { case normal, primary, danger }

    /// Routes the click (Slack `action_id`).
    public var id: String
    public var label: String
    /// Carried back on click (Slack button `value`).
    public var value: String
    public var style: Style
    /// Offered in the message's "…" menu (Slack's overflow) rather than as a button: a
    /// message shows its few main actions, and the rest stay one click away.
    public var inMenu: Bool

    public init(id: String, label: String, value: String, style: Style = .normal, inMenu: Bool = false) {
        self.id = id
        self.label = label
        self.value = value
        self.style = style
        self.inMenu = inMenu
    }

    private enum CodingKeys: String, CodingKey { case id, label, value, style, inMenu }

    // Replies queued in the outbox before `inMenu` existed decode as buttons.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        label = try container.decode(String.self, forKey: .label)
        value = try container.decode(String.self, forKey: .value)
        style = try container.decode(Style.self, forKey: .style)
        inMenu = try container.decodeIfPresent(Bool.self, forKey: .inMenu) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(label, forKey: .label)
        try container.encode(value, forKey: .value)
        try container.encode(style, forKey: .style)
        if inMenu { try container.encode(inMenu, forKey: .inMenu) }
    }
}
