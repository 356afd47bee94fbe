import Foundation

extension SlackWebAPIClient {
    public func postMessage(channel: String, message: SlackMessage, threadTS: String?, metadata: SlackMessageMetadata?) async throws -> String {
        try await pace(channel: channel)
        let body = MessageBody(channel: channel, message: message, threadTS: threadTS, metadata: metadata)
        return try await call("chat.postMessage", .json(body), as: PostedMessage.self, repeatable: false).ts
    }

    public func update(channel: String, ts: String, message: SlackMessage) async throws {
        let body = MessageBody(channel: channel, message: message, ts: ts)
        _ = try await call("chat.update", .json(body))
    }

    public func postEphemeral(channel: String, user: String, message: SlackMessage, threadTS: String?) async throws {
        let body = MessageBody(channel: channel, message: message, threadTS: threadTS, user: user)
        _ = try await call("chat.postEphemeral", .json(body))
    }

    public func openConversation(users: [String]) async throws -> String {
        try await call("conversations.open", .json(["users": users.joined(separator: ",")]), as: OpenedConversation.self).channel.id
    }

    public func openView(triggerID: String, view: SlackView) async throws {
        _ = try await call("views.open", .json(ViewBody(triggerID: triggerID, userID: nil, view: view)))
    }

    public func publishView(userID: String, view: SlackView) async throws {
        _ = try await call("views.publish", .json(ViewBody(triggerID: nil, userID: userID, view: view)))
    }

    // users.* are read methods, which take form arguments rather than JSON bodies.
    public func userInfo(id: String) async throws -> SlackUser {
        try await call("users.info", .form([("user", id)]), as: UserAnswer.self).user
    }

    public func lookupUserByEmail(_ email: String) async throws -> SlackUser? {
        do {
            return try await call("users.lookupByEmail", .form([("email", email)]), as: UserAnswer.self).user
        } catch SlackAPIError.slack(code: "users_not_found", method: _) {
            return nil
        }
    }

    public func postToResponseURL(_ url: URL, message: SlackMessage, replaceOriginal: Bool, ephemeral: Bool) async throws {
        let body = ResponseURLBody(message: message, replaceOriginal: replaceOriginal, ephemeral: ephemeral)
        // The URL is Slack's own capability: it needs no token, and the token must not
        // travel to whatever host a payload names.
        let bytes = try await send(url: url.absoluteString, label: "response_url", body: .json(body), authorized: false)
        if let code = Self.errorCode(in: bytes), code != "ok" {
            throw SlackAPIError.slack(code: code, method: "response_url")
        }
    }
}

struct MessageBody: Encodable, Sendable {
    var channel: String
    var message: SlackMessage
    var threadTS: String?
    var metadata: SlackMessageMetadata?
    var user: String?
    var ts: String?

    enum CodingKeys: String, CodingKey {
        case channel, text, blocks, metadata, user, ts
        case threadTS = "thread_ts", unfurlLinks = "unfurl_links"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(channel, forKey: .channel)
        try container.encode(message.text, forKey: .text)
        // chat.update with blocks omitted keeps the old ones; an empty list clears them.
        if !message.blocks.isEmpty || ts != nil { try container.encode(message.blocks, forKey: .blocks) }
        try container.encodeIfPresent(threadTS, forKey: .threadTS)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(ts, forKey: .ts)
        // Ticket links would otherwise unfurl into large previews under every answer.
        if ts == nil { try container.encode(false, forKey: .unfurlLinks) }
    }
}

struct ViewBody: Encodable, Sendable {
    var triggerID: String?
    var userID: String?
    var view: SlackView

    enum CodingKeys: String, CodingKey {
        case view
        case triggerID = "trigger_id", userID = "user_id"
    }
}

struct ResponseURLBody: Encodable, Sendable {
    var message: SlackMessage
    var replaceOriginal: Bool
    var ephemeral: Bool

    enum CodingKeys: String, CodingKey {
        case text, blocks
        case replaceOriginal = "replace_original", responseType = "response_type"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(message.text, forKey: .text)
        if !message.blocks.isEmpty { try container.encode(message.blocks, forKey: .blocks) }
        try container.encode(replaceOriginal, forKey: .replaceOriginal)
        try container.encode(ephemeral ? "ephemeral" : "in_channel", forKey: .responseType)
    }
}

struct PostedMessage: Decodable {
    var ts: String
}

struct OpenedConversation: Decodable {
    struct Channel: Decodable { var id: String }
    var channel: Channel
}

struct UserAnswer: Decodable {
    var user: SlackUser
}
