import Foundation

/// Why a message cannot be rendered (a permanent problem: sending it again will not help).
public struct EmailMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension EmailMessage {
    /// Headers the renderer writes itself; an extra header of the same name would contradict them.
    static let reservedHeaders: Set<String> = [
        "from", "sender", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version",
        "content-type", "content-transfer-encoding",
    ]

    /// The message as RFC 5322 text: ASCII, CRLF line ends, no line over 998 octets.
    /// With `html` it is multipart/alternative (text/plain first, as RFC 2046 §5.1.4 orders
    /// the plainer part first), both UTF-8 quoted-printable.
    public func rendered() throws(EmailMessageError) -> String {
        try rendered(boundary: Self.makeBoundary())
    }

    /// `=_` cannot occur in quoted-printable (`=` is always followed by two hex digits) nor
    /// in base64, so a boundary starting with it never collides with an encoded body.
    static func makeBoundary() -> String {
        "=_TicketPulse_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    func rendered(boundary: String) throws(EmailMessageError) -> String {
        guard !to.isEmpty else { throw EmailMessageError("a message needs at least one recipient") }
        guard Self.isValidMessageID(messageID) else {
            throw EmailMessageError("Message-ID '\(messageID)' is not of the form left@right (printable ASCII, no spaces or <>)")
        }
        var lines: [String] = [
            "Date: \(RFC5322Date.format(date))",
            HeaderEncoding.fold(name: "From", tokens: Self.mailboxTokens([from])),
            HeaderEncoding.fold(name: "To", tokens: Self.mailboxTokens(to)),
            HeaderEncoding.fold(name: "Subject", tokens: HeaderEncoding.unstructuredTokens(subject)),
            "Message-ID: <\(messageID)>",
        ]
        // RFC 5322 §3.6.2: who transmitted it, when that is not the author.
        if let sender, sender != from { lines.insert(HeaderEncoding.fold(name: "Sender", tokens: Self.mailboxTokens([sender])), at: 2) }
        for header in headers {
            guard !header.name.isEmpty, header.name.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != ":" }) else {
                throw EmailMessageError("header name '\(header.name)' is not printable ASCII without ':'")
            }
            guard !Self.reservedHeaders.contains(header.name.lowercased()) else {
                throw EmailMessageError("header \(header.name) is written from the message's own fields")
            }
            guard !header.value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw EmailMessageError("header \(header.name) has a line break in its value")
            }
            lines.append(HeaderEncoding.fold(name: header.name, tokens: HeaderEncoding.unstructuredTokens(header.value)))
        }
        lines.append("MIME-Version: 1.0")
        if let html {
            lines += [
                // Folded: with the boundary the line would pass 78 characters.
                "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"",
                "",
                "--\(boundary)",
            ]
            lines += Self.part(type: "text/plain", body: text)
            lines.append("--\(boundary)")
            lines += Self.part(type: "text/html", body: html)
            lines.append("--\(boundary)--")
        } else {
            lines += Self.part(type: "text/plain", body: text)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func part(type: String, body: String) -> [String] {
        [
            "Content-Type: \(type); charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            QuotedPrintable.encode(body),
        ]
    }

    private static func mailboxTokens(_ mailboxes: [EmailAddress]) -> [String] {
        var tokens: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            let separator = index < mailboxes.count - 1 ? "," : ""
            if let name = mailbox.name {
                tokens += HeaderEncoding.phraseTokens(name)
                tokens.append("<\(mailbox.address)>" + separator)
            } else {
                tokens.append(mailbox.address + separator)
            }
        }
        return tokens
    }

    static func isValidMessageID(_ id: String) -> Bool {
        let parts = id.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && id.utf8.count <= 900
            && id.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != "<" && $0 != ">" }
    }
}
