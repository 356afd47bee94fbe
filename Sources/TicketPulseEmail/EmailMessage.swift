import Foundation

/// One email: what the digest and the outreach drafts hand to `SMTPClient.send`.
///
/// `messageID` is fixed when the message is made and travels with it: a send that is retried
/// (after a greylisting 451 or a dropped connection) must carry the same id, because the id
/// is how a delivery is recognised downstream as one message, not two. Store it with the
/// outbox row and rebuild the message with it; never let a retry make a new one.
public struct EmailMessage: Sendable, Equatable {
    public var from: EmailAddress
    /// The envelope sender (`MAIL FROM`, where bounces go) when it is not `from`: a CSM's
    /// email sent through TicketPulse's account has the CSM in From, and the account in the
    /// envelope, since submission servers refuse a MAIL FROM that is not the account's.
    public var sender: EmailAddress?
    public var to: [EmailAddress]
    /// Any Unicode; RFC 2047-encoded in the header when it is not plain ASCII.
    public var subject: String
    /// The text/plain part, always present (readers that show no HTML, and accessibility).
    public var text: String
    /// The text/html part; with it the message is multipart/alternative.
    public var html: String?
    /// Without angle brackets: `id-left@id-right`.
    public var messageID: String
    public var date: Date
    /// More headers (`Reply-To`, `List-Unsubscribe`, `X-…`), in order. The ones the renderer
    /// writes itself (From, To, Subject, Date, Message-ID, MIME-Version, Content-*) are refused.
    public var headers: [(name: String, value: String)]

    public init(
        from: EmailAddress, to: [EmailAddress], subject: String, text: String, html: String? = nil,
        messageID: String? = nil, date: Date = Date(), headers: [(name: String, value: String)] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID.map(Self.strippingBrackets) ?? Self.makeMessageID(domain: from.domain)
        self.date = date
        self.headers = headers
    }

    /// What `MAIL FROM` names.
    public var envelopeSender: EmailAddress { sender ?? from }

    /// A new globally unique id: a random UUID (122 random bits) at the sender's domain.
    public static func makeMessageID(domain: some StringProtocol) -> String {
        "\(UUID().uuidString.lowercased())@\(domain)"
    }

    static func strippingBrackets(_ id: String) -> String {
        var id = id.trimmingWhitespace()
        if id.hasPrefix("<"), id.hasSuffix(">") { id = String(id.dropFirst().dropLast()) }
        return id
    }

    public static func == (lhs: EmailMessage, rhs: EmailMessage) -> Bool {
        lhs.from == rhs.from && lhs.sender == rhs.sender && lhs.to == rhs.to && lhs.subject == rhs.subject && lhs.text == rhs.text
            && lhs.html == rhs.html && lhs.messageID == rhs.messageID && lhs.date == rhs.date
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}
