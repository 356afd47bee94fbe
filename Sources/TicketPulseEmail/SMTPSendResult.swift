/// What the server took: the message was accepted for `accepted` with its final 250.
public struct SMTPSendResult: Sendable, Hashable {
    /// The Message-ID sent (without angle brackets), the key for recognising the delivery.
    public var messageID: String
    public var accepted: [EmailAddress]
    /// Recipients refused while others were taken. Retry the transient ones alone, with
    /// the same Message-ID; the permanent ones will not get this message.
    public var refused: [SMTPRecipientRefusal]
    /// The server's answer to the end of DATA (often carries its queue id).
    public var reply: SMTPReply
}
