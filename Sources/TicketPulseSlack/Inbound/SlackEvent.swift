import Foundation

/// The inner `event` of an `event_callback`: `app_mention`, `message`, `app_home_opened`,
/// or any other type (kept with its `type` so it can be ignored).
public struct SlackEvent: Decodable, Sendable, Equatable {
    public var type: String
    public var user: String?
    public var text: String?
    public var channel: String?
    public var channelType: String?
    public var ts: String?
    public var threadTS: String?
    public var eventTS: String?
    public var subtype: String?
    public var botID: String?
    /// `app_home_opened`: "home" or "messages".
    public var tab: String?
    public var team: String?

    enum CodingKeys: String, CodingKey {
        case type, user, text, channel, ts, subtype, tab, team
        case channelType = "channel_type", threadTS = "thread_ts", eventTS = "event_ts", botID = "bot_id"
    }

    public init(
        type: String, user: String? = nil, text: String? = nil, channel: String? = nil,
        channelType: String? = nil, ts: String? = nil, threadTS: String? = nil, eventTS: String? = nil,
        subtype: String? = nil, botID: String? = nil, tab: String? = nil, team: String? = nil
    ) {
        self.type = type
        self.user = user
        self.text = text
        self.channel = channel
        self.channelType = channelType
        self.ts = ts
        self.threadTS = threadTS
        self.eventTS = eventTS
        self.subtype = subtype
        self.botID = botID
        self.tab = tab
        self.team = team
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        user = container.lenient(String.self, .user)
        text = container.lenient(String.self, .text)
        channel = container.lenient(String.self, .channel)
        channelType = container.lenient(String.self, .channelType)
        ts = container.lenient(String.self, .ts)
        threadTS = container.lenient(String.self, .threadTS)
        eventTS = container.lenient(String.self, .eventTS)
        subtype = container.lenient(String.self, .subtype)
        botID = container.lenient(String.self, .botID)
        tab = container.lenient(String.self, .tab)
        team = container.lenient(String.self, .team)
    }

    /// Bots (ourselves included) and edits, deletes, joins… are not questions; answering
    /// them would loop or answer twice.
    public func shouldIgnore(botUserID: String?) -> Bool {
        if botID != nil || subtype != nil { return true }
        if let botUserID, user == botUserID { return true }
        return false
    }

    /// Answers go in the thread the question came from, or start one under it.
    public var replyThreadTS: String? { threadTS ?? ts }

    public var isDirectMessage: Bool { type == "message" && channelType == "im" }

    /// The text with the leading bot mention (`<@U0BOT>`) removed: what the parser reads.
    /// Read by Unicode scalar, without Foundation's `range(of:)` and `trimmingCharacters`:
    /// every question goes through here on the acknowledgement's path.
    public func question(botUserID: String?) -> String {
        var rest = (text ?? "")[...].unicodeScalars
        while true {
            let mention = rest.drop(while: Self.isWhitespace)
            guard mention.starts(with: "<@".unicodeScalars), let end = mention.firstIndex(of: ">") else { break }
            let id = mention[mention.index(mention.startIndex, offsetBy: 2)..<end]
            if let botUserID, !id.elementsEqual(botUserID.unicodeScalars) { break }
            rest = mention[mention.index(after: end)...]
        }
        let start = rest.drop(while: Self.isWhitespace)
        guard let last = start.lastIndex(where: { !Self.isWhitespace($0) }) else { return "" }
        return String(Substring(start[...last]))
    }

    /// Foundation's `whitespacesAndNewlines` (Unicode's White_Space), ASCII answered at once.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }
}
