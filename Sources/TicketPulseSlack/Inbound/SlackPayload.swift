/// A request body Slack sends (event envelope, slash command, interaction), decoded from
/// its raw bytes after the signature over them has been checked.
public protocol SlackPayload {
    static func decode(_ body: some Collection<UInt8>) throws(SlackDecodingError) -> Self
}

extension SlackEnvelope: SlackPayload {}
extension SlackSlashCommand: SlackPayload {}
extension SlackInteraction: SlackPayload {}
