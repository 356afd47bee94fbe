import Foundation

/// Posting a message exactly once over a network that can lose Slack's answer.
///
/// Slack's `chat.postMessage` has no idempotency key of its own; message metadata is the
/// nearest thing. Every message TicketPulse must not double carries a key in its metadata,
/// and whenever an earlier attempt may have reached Slack (`SlackAPIError.uncertain`, or a
/// process that died mid-send) the key is looked for in the conversation before anything
/// is sent again.
extension SlackWebAPI {
    /// Posts `message` with `metadata`, unless a message with the same metadata key is
    /// already in the conversation. `lookFirst`: an earlier attempt (before a crash) may have
    /// posted it. `since`: the earliest such an attempt could have been made.
    public func postOnce(channel: String, message: SlackMessage, threadTS: String?, metadata: SlackMessageMetadata,
                         since: Date, lookFirst: Bool = false, attempts: Int = 3) async throws -> String {
        var mayExist = lookFirst
        var attempt = 0
        while true {
            attempt += 1
            if mayExist, let ts = try await findPosted(metadata, channel: channel, threadTS: threadTS, since: since) {
                return ts
            }
            do {
                return try await postMessage(channel: channel, message: message, threadTS: threadTS, metadata: metadata)
            } catch SlackAPIError.uncertain(let method, let description) {
                guard attempt < attempts else { throw SlackAPIError.uncertain(method: method, description: description) }
                mayExist = true
            }
        }
    }

    /// The `ts` of a message in `channel` (or `threadTS`'s thread) since `since` whose
    /// metadata has `metadata`'s type and key.
    public func findPosted(_ metadata: SlackMessageMetadata, channel: String, threadTS: String?, since: Date) async throws -> String? {
        let key = metadata.eventPayload["key"]
        return try await history(channel: channel, oldest: since, threadTS: threadTS).first {
            $0.metadata?.eventType == metadata.eventType && $0.metadata?.eventPayload?["key"] == key
        }?.ts
    }
}
