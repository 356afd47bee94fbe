import Testing
@testable import TicketPulseEmail

/// Replies, capabilities and the transient/permanent split, without a server.
@Suite("SMTP replies and errors")
struct SMTPReplyTests {
    @Test("A multi-line reply is one reply with every line's text")
    func multiLine() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.feed("250-smtp.test Hello") == nil)
        #expect(parser.isInsideReply)
        #expect(try parser.feed("250-AUTH PLAIN LOGIN") == nil)
        #expect(try parser.feed("250-STARTTLS") == nil)
        let reply = try #require(try parser.feed("250 HELP"))
        #expect(reply == SMTPReply(code: 250, lines: ["smtp.test Hello", "AUTH PLAIN LOGIN", "STARTTLS", "HELP"]))
        #expect(!parser.isInsideReply)
        // The parser starts afresh for the next reply; a bare code is a reply too.
        #expect(try parser.feed("354") == SMTPReply(code: 354, lines: [""]))
    }

    @Test("Lines that are not SMTP are refused", arguments: ["HTTP/1.1 400 Bad Request", "25", "2500 x", "650 no such class", "250_x"])
    func malformed(line: String) {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyParser.Malformed.self) { try parser.feed(line) }
    }

    @Test("A multi-line reply whose codes differ is refused")
    func mixedCodes() throws {
        var parser = SMTPReplyParser()
        _ = try parser.feed("250-first")
        #expect(throws: SMTPReplyParser.Malformed.self) { try parser.feed("251 second") }
    }

    @Test("Enhanced status codes are read from the first line")
    func enhancedStatus() {
        #expect(SMTPReply(code: 550, lines: ["5.1.1 <x@y>: no such user"]).enhancedStatus == "5.1.1")
        #expect(SMTPReply(code: 250, lines: ["OK"]).enhancedStatus == nil)
    }

    @Test("EHLO keywords, with AUTH mechanisms in both the standard and the old '=' form")
    func capabilities() {
        let standard = SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["smtp.test", "SIZE 35882577", "auth login Plain", "STARTTLS"]))
        #expect(standard.has("STARTTLS"))
        #expect(standard.authMechanisms == ["LOGIN", "PLAIN"])
        let old = SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["smtp.test", "AUTH=LOGIN"]))
        #expect(old.authMechanisms == ["LOGIN"])
        #expect(!SMTPCapabilities(ehloReply: nil).has("STARTTLS"))
    }

    @Test("Transient: 4xx, timeouts, dropped and refused connections; permanent: 5xx and what no retry fixes")
    func classification() {
        let greylist = SMTPReply(code: 451, lines: ["4.7.1 greylisted"])
        let unknown = SMTPReply(code: 550, lines: ["5.1.1 unknown"])
        let recipient = try! EmailAddress("a@example.com")
        let transient: [SMTPError] = [
            .connectFailed(host: "h", port: 587, reason: "refused"), .timedOut(.greeting), .connectionClosed(.dataTermination),
            .rejected(.mailFrom, greylist), .rejected(.greeting, SMTPReply(code: 421, lines: ["busy"])),
            .recipientsRefused([SMTPRecipientRefusal(recipient: recipient, reply: greylist), SMTPRecipientRefusal(recipient: recipient, reply: unknown)]),
        ]
        let permanent: [SMTPError] = [
            .rejected(.authentication, SMTPReply(code: 535, lines: ["5.7.8 bad credentials"])), .rejected(.dataTermination, SMTPReply(code: 554, lines: ["spam"])),
            .recipientsRefused([SMTPRecipientRefusal(recipient: recipient, reply: unknown)]), .startTLSUnavailable, .tls("bad certificate"),
            .noSupportedAuthMechanism(advertised: ["CRAM-MD5"]), .insecureAuthentication(host: "smtp.example.com"), .protocolViolation("x"), .invalidMessage("x"),
        ]
        for error in transient { #expect(error.isTransient, "\(error)") }
        for error in permanent { #expect(error.isPermanent, "\(error)") }
    }
}

@Suite("Email addresses")
struct EmailAddressTests {
    @Test("Parsed from how people write them")
    func parsing() throws {
        #expect(try EmailAddress(parsing: "TicketPulse <bot@example.com>") == EmailAddress("bot@example.com", name: "TicketPulse"))
        #expect(try EmailAddress(parsing: "\"Chen, Mike\" <mike@example.com>").name == "Chen, Mike")
        #expect(try EmailAddress(parsing: " bot@example.com ") == EmailAddress("bot@example.com"))
        #expect(try EmailAddress("bot@example.com").domain == "example.com")
    }

    @Test("Refused when they could break a header or a command", arguments: [
        "no-at-sign", "two@@example.com", "a@b@c", "space in@example.com", "crlf@example.com\r\nRCPT TO:<x@y>",
        "zoë@example.com", "<a@example.com>", "a@.example.com", "a@example..com", "@example.com", "a@",
    ])
    func refused(address: String) {
        #expect(throws: EmailAddressError.self) { try EmailAddress(address) }
    }

    @Test("A display name with a line break is refused")
    func nameWithNewline() {
        #expect(throws: EmailAddressError.self) { try EmailAddress("a@example.com", name: "x\r\nBcc: y@example.com") }
    }
}
