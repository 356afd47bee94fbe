/// A rendered message: blocks plus the fallback `text` Slack shows in notifications.
public struct SlackMessage: Sendable, Equatable, Encodable {
    public var text: String
    public var blocks: [SlackBlock]

    public init(text: String, blocks: [SlackBlock] = []) {
        self.text = text
        self.blocks = blocks
    }
}

/// A Home tab or a modal (`views.publish`, `views.open`).
public struct SlackView: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Encodable { case home, modal }

    public var type: Kind
    public var blocks: [SlackBlock]
    public var title: String?
    public var submit: String?
    public var close: String?
    public var callbackID: String?
    public var privateMetadata: String?

    public init(
        type: Kind, blocks: [SlackBlock], title: String? = nil, submit: String? = nil, close: String? = nil,
        callbackID: String? = nil, privateMetadata: String? = nil
    ) {
        self.type = type
        self.blocks = blocks
        self.title = title
        self.submit = submit
        self.close = close
        self.callbackID = callbackID
        self.privateMetadata = privateMetadata
    }

    private enum Keys: String, CodingKey {
        case type, blocks, title, submit, close, callbackID = "callback_id", privateMetadata = "private_metadata"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(type, forKey: .type)
        try container.encode(blocks, forKey: .blocks)
        try container.encodeIfPresent(title.map(SlackTextObject.plain), forKey: .title)
        try container.encodeIfPresent(submit.map(SlackTextObject.plain), forKey: .submit)
        try container.encodeIfPresent(close.map(SlackTextObject.plain), forKey: .close)
        try container.encodeIfPresent(callbackID, forKey: .callbackID)
        try container.encodeIfPresent(privateMetadata, forKey: .privateMetadata)
    }
}
