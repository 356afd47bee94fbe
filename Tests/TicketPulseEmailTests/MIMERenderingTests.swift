import Foundation
import Testing
@testable import TicketPulseEmail

/// The message as RFC 5322 / MIME text, checked without a server.
@Suite("MIME rendering")
struct MIMERenderingTests {
    static let date = Date(timeIntervalSince1970: 1_795_014_000)  // 2026-11-18 15:00:00 UTC

    static func message(subject: String = "Daily digest", text: String = "Hello", html: String? = "<p>Hello</p>", to: [EmailAddress]? = nil) throws -> EmailMessage {
        EmailMessage(
            from: try EmailAddress("ticketpulse@example.com", name: "TicketPulse"),
            to: try to ?? [EmailAddress("maria.lopez@example.com", name: "María López")],
            subject: subject, text: text, html: html, messageID: "<digest-1@example.com>", date: date
        )
    }

    static func headers(_ rendered: String) -> String {
        String(rendered[..<rendered.range(of: "\r\n\r\n")!.lowerBound])
    }

    /// RFC 2047 words decoded, folding removed, as a reader would show the header.
    static func decodedHeader(_ name: String, in rendered: String) -> String? {
        let unfolded = headers(rendered).replacingOccurrences(of: "\r\n ", with: " ")
        guard let line = unfolded.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("\(name): ") }) else { return nil }
        var value = String(line.dropFirst(name.count + 2))
        // Whitespace between two encoded words is not part of the text.
        value = value.replacingOccurrences(of: "?= =?", with: "?==?")
        var decoded = ""
        while let start = value.range(of: "=?UTF-8?B?"), let end = value.range(of: "?=", range: start.upperBound..<value.endIndex) {
            decoded += value[..<start.lowerBound]
            decoded += Data(base64Encoded: String(value[start.upperBound..<end.lowerBound])).map { String(decoding: $0, as: UTF8.self) } ?? "<bad base64>"
            value = String(value[end.upperBound...])
        }
        return decoded + value
    }

    @Test("Headers: Date in RFC 5322 form, Message-ID in brackets, MIME-Version, multipart/alternative with the boundary")
    func headerBlock() throws {
        let rendered = try Self.message().rendered(boundary: "=_b")
        let headers = Self.headers(rendered).replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
        #expect(headers.contains("Date: Wed, 18 Nov 2026 15:00:00 +0000"))
        #expect(headers.contains("Message-ID: <digest-1@example.com>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Type: multipart/alternative; boundary=\"=_b\""))
        #expect(headers.contains("From: TicketPulse <ticketpulse@example.com>"))
        #expect(headers.contains("Subject: Daily digest"))
    }

    @Test("Body: text/plain then text/html, UTF-8 quoted-printable, closed by the final boundary")
    func parts() throws {
        let rendered = try Self.message(text: "Zoë", html: "<p>Zoë</p>").rendered(boundary: "=_b")
        let body = String(rendered[rendered.range(of: "\r\n\r\n")!.upperBound...])
        #expect(body == """
        --=_b\r
        Content-Type: text/plain; charset=UTF-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Zo=C3=AB\r
        --=_b\r
        Content-Type: text/html; charset=UTF-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        <p>Zo=C3=AB</p>\r
        --=_b--\r

        """)
    }

    @Test("Without HTML the message is a single text/plain part")
    func textOnly() throws {
        let rendered = try Self.message(html: nil).rendered()
        #expect(!rendered.contains("multipart"))
        #expect(Self.headers(rendered).contains("Content-Type: text/plain; charset=UTF-8"))
    }

    @Test("The boundary is new for every message and cannot occur in a quoted-printable body")
    func boundary() throws {
        let a = EmailMessage.makeBoundary(), b = EmailMessage.makeBoundary()
        #expect(a != b)
        #expect(a.hasPrefix("=_"))
        // Even a body that quotes a boundary-like text is encoded so it cannot match.
        let tricky = "--" + a + "\n" + a
        let rendered = try Self.message(text: tricky, html: tricky).rendered(boundary: a)
        let delimiters = rendered.components(separatedBy: "\r\n").filter { $0.hasPrefix("--" + a) }
        #expect(delimiters == ["--" + a, "--" + a, "--" + a + "--"])
    }

    @Test("A non-ASCII subject and display names are RFC 2047 encoded words that decode back", arguments: [
        "Résumé: Acme Corp's tickets ✅",
        "Очень длинная тема письма о тикетах клиента, которая не помещается в одну строку заголовка",
        "日本語の件名",
        "Spike at Acme — 12 tickets in 24 h 🚨🔥",
    ])
    func encodedSubject(subject: String) throws {
        let rendered = try Self.message(subject: subject).rendered()
        let headers = Self.headers(rendered)
        #expect(headers.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(headers.contains("=?UTF-8?B?"))
        #expect(Self.decodedHeader("Subject", in: rendered) == subject)
        #expect(Self.decodedHeader("To", in: rendered) == "María López <maria.lopez@example.com>")
        // RFC 2047 §2: a line with an encoded word is at most 76 characters.
        for line in headers.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76, "\(line)") }
    }

    @Test("An ASCII subject that looks like an encoded word is itself encoded")
    func subjectLookingEncoded() throws {
        let rendered = try Self.message(subject: "=?UTF-8?B?SGk=?=").rendered()
        #expect(Self.decodedHeader("Subject", in: rendered) == "=?UTF-8?B?SGk=?=")
        #expect(!Self.headers(rendered).contains("Subject: =?UTF-8?B?SGk=?=\r\n"))
    }

    @Test("Long ASCII subjects fold at spaces and unfold to the same text")
    func foldedSubject() throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let rendered = try Self.message(subject: subject).rendered()
        #expect(Self.headers(rendered).contains("\r\n "))
        #expect(Self.decodedHeader("Subject", in: rendered) == subject)
    }

    @Test("Display names with specials are quoted; several recipients fold after their commas")
    func addresses() throws {
        let to = try [EmailAddress("mike.chen@example.com", name: "Chen, Mike"), EmailAddress("ops@example.com"), EmailAddress("a.very.long.address.for.folding@customer-success.example.com", name: "Someone \"Quoted\"")]
        let rendered = try Self.message(to: to).rendered()
        #expect(Self.decodedHeader("To", in: rendered) == "\"Chen, Mike\" <mike.chen@example.com>, ops@example.com, \"Someone \\\"Quoted\\\"\" <a.very.long.address.for.folding@customer-success.example.com>")
        for line in Self.headers(rendered).components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
    }

    @Test("No line is longer than 998 octets (76 in the bodies), whatever the input", arguments: [
        String(repeating: "x", count: 5000),
        String(repeating: "é", count: 3000),
        String(repeating: "<td>Acme</td>", count: 400) + " \t",
        String(repeating: "word ", count: 1000),
    ])
    func lineLengths(body: String) throws {
        let rendered = try Self.message(subject: body, text: body, html: body).rendered()
        let lines = rendered.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        let bodyLines = String(rendered[rendered.range(of: "\r\n\r\n")!.upperBound...]).components(separatedBy: "\r\n")
        #expect(bodyLines.allSatisfy { $0.utf8.count <= 76 })
        #expect(rendered.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
    }

    @Test("Quoted-printable: '=' and non-ASCII escaped, trailing whitespace encoded, soft breaks at 76")
    func quotedPrintable() {
        #expect(QuotedPrintable.encode("a=b") == "a=3Db")
        #expect(QuotedPrintable.encode("tail \nnext\t") == "tail=20\r\nnext=09")
        #expect(QuotedPrintable.encode("é") == "=C3=A9")
        #expect(QuotedPrintable.encode("a\r\nb\rc\n") == "a\r\nb\r\nc\r\n")
        let long = QuotedPrintable.encode(String(repeating: "a", count: 100))
        #expect(long == String(repeating: "a", count: 75) + "=\r\n" + String(repeating: "a", count: 25))
        // An escape is never split by a soft break.
        let escapes = QuotedPrintable.encode(String(repeating: "é", count: 40)).components(separatedBy: "\r\n")
        #expect(escapes.allSatisfy { $0.utf8.count <= 76 && ($0.hasSuffix("=") ? $0.dropLast().utf8.count % 3 == 0 : $0.utf8.count % 3 == 0) })
    }

    @Test("Dot-stuffing: a line starting with '.' gets a second one, and the data ends with CRLF.CRLF")
    func dotStuffing() {
        let wire = String(decoding: SMTPData.encode("Subject: x\r\n\r\n.\r\n..two\r\nend.\r\n.start"), as: UTF8.self)
        #expect(wire == "Subject: x\r\n\r\n..\r\n...two\r\nend.\r\n..start\r\n.\r\n")
        #expect(String(decoding: SMTPData.encode("bare\nlf\n"), as: UTF8.self) == "bare\r\nlf\r\n.\r\n")
    }

    @Test("Rendering refuses what would break the message: no recipient, reserved or broken headers, a bad Message-ID")
    func refusals() throws {
        var message = try Self.message()
        message.to = []
        #expect(throws: EmailMessageError.self) { try message.rendered() }
        message = try Self.message()
        message.headers = [("Subject", "again")]
        #expect(throws: EmailMessageError.self) { try message.rendered() }
        message.headers = [("X-Note", "one\r\nBcc: victim@example.com")]
        #expect(throws: EmailMessageError.self) { try message.rendered() }
        message.headers = [("Bad Name", "x")]
        #expect(throws: EmailMessageError.self) { try message.rendered() }
        message.headers = []
        message.messageID = "no at sign"
        #expect(throws: EmailMessageError.self) { try message.rendered() }
    }

    @Test("Extra headers are written in order, encoded when not ASCII")
    func extraHeaders() throws {
        var message = try Self.message()
        message.headers = [("List-Unsubscribe", "<https://pulse.example.com/settings>"), ("X-TicketPulse-Digest", "Zoë's digest")]
        let rendered = try message.rendered()
        #expect(Self.headers(rendered).contains("List-Unsubscribe: <https://pulse.example.com/settings>"))
        #expect(Self.decodedHeader("X-TicketPulse-Digest", in: rendered) == "Zoë's digest")
    }

    @Test("A new message gets a unique Message-ID at the sender's domain; a given one is kept")
    func messageIDs() throws {
        let from = try EmailAddress("ticketpulse@pulse.example.com")
        let a = EmailMessage(from: from, to: [from], subject: "", text: "")
        let b = EmailMessage(from: from, to: [from], subject: "", text: "")
        #expect(a.messageID != b.messageID)
        #expect(a.messageID.hasSuffix("@pulse.example.com"))
        #expect(EmailMessage(from: from, to: [from], subject: "", text: "", messageID: "<outbox-42@pulse.example.com>").messageID == "outbox-42@pulse.example.com")
    }
}
