import Foundation
import NIOSSL
import TicketPulseTestSupport
import Testing
@testable import TicketPulseEmail
import TicketPulseTestSupport

/// The client against a real SMTP server (aiosmtpd) on loopback. Skipped, with this
/// reason shown, where python3 cannot import aiosmtpd; `.ci/run` installs it, so CI runs them.
@Suite(
    "SMTP delivery to a real server on loopback",
    .enabled(if: LoopbackSMTPServer.isAvailable, "needs python3 with aiosmtpd (pip install aiosmtpd; .ci/run installs it)")
)
struct SMTPDeliveryTests {
    static let from = try! EmailAddress("ticketpulse@example.com", name: "TicketPulse")

    static func message(to recipients: [String], messageID: String? = nil) throws -> EmailMessage {
        EmailMessage(
            from: from,
            to: try recipients.map { try EmailAddress($0) },
            subject: "Daily digest — Acme Corp: 3 tickets ✅",
            text: "Good morning Zoë,\n.\n.hidden line starting with a dot\n..two dots\nCSAT 4.2 → 3.1",
            html: "<p>Good morning Zoë,</p>\n.\n<p>CSAT 4.2 &rarr; 3.1 ✅</p>",
            messageID: messageID
        )
    }

    static func client(_ server: LoopbackSMTPServer, security: SMTPConfiguration.Security = .none, credentials: SMTPConfiguration.Credentials? = nil, trust: Bool = true) throws -> SMTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if trust, security != .none { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(server.certificatePath)) }
        // Short timeouts: a hang is a failure here, not something to wait out.
        let timeouts = SMTPConfiguration.Timeouts(connect: .seconds(10), reply: .seconds(10), dataTermination: .seconds(10))
        return try SMTPClient(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: server.port, security: security, credentials: credentials,
            heloName: "client.test", timeouts: timeouts, tls: tls
        ))
    }

    static func lines(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n") }

    @Test("A message arrives once, with its text and HTML parts and its encoded subject and names")
    func deliversOnce() async throws {
        try await LoopbackSMTPServer.with { server in
            let message = try Self.message(to: ["maria.lopez@example.com"])
            let result = try await Self.client(server).send(message)
            #expect(result.accepted.map(\.address) == ["maria.lopez@example.com"])
            #expect(result.refused.isEmpty)
            #expect(result.messageID == message.messageID)
            #expect(result.reply.code == 250)

            let received = try server.received()
            try #require(received.count == 1)
            let mail = received[0]
            #expect(mail.mail_from == "ticketpulse@example.com")
            #expect(mail.rcpt_tos == ["maria.lopez@example.com"])
            #expect(mail.subject == message.subject)
            #expect(mail.from == "TicketPulse <ticketpulse@example.com>")
            #expect(mail.message_id == "<\(message.messageID)>")
            #expect(mail.content_type == "multipart/alternative")
            #expect(mail.parts.map(\.content_type) == ["text/plain", "text/html"])
            #expect(mail.parts.allSatisfy { $0.charset == "utf-8" && $0.transfer_encoding == "quoted-printable" })
            // Dot-stuffed on the wire, unstuffed by the server: the lines that start with a
            // dot arrive as written, and the lone "." did not end the message early.
            #expect(Self.lines(mail.parts[0].content) == message.text)
            #expect(Self.lines(mail.parts[1].content) == message.html!)
            #expect(mail.defects.isEmpty)
            #expect(mail.max_line_length <= 998)
            #expect(!mail.tls)
        }
    }

    @Test("A refused recipient is reported on its own; the others still get the message")
    func refusedRecipient() async throws {
        try await LoopbackSMTPServer.with { server in
            let message = try Self.message(to: ["a@example.com", "refuse@example.com", "b@example.com"])
            let result = try await Self.client(server).send(message)
            #expect(result.accepted.map(\.address) == ["a@example.com", "b@example.com"])
            try #require(result.refused.count == 1)
            #expect(result.refused[0].recipient.address == "refuse@example.com")
            #expect(result.refused[0].reply.code == 550)
            #expect(result.refused[0].reply.enhancedStatus == "5.1.1")
            #expect(!result.refused[0].isTransient)
            let received = try server.received()
            #expect(received.count == 1)
            #expect(received.first?.rcpt_tos == ["a@example.com", "b@example.com"])
        }
    }

    @Test("Every recipient refused permanently: a permanent error and nothing sent")
    func allRefused() async throws {
        try await LoopbackSMTPServer.with { server in
            let error = await #expect(throws: SMTPError.self) {
                try await Self.client(server).send(try Self.message(to: ["refuse@example.com"]))
            }
            guard case .recipientsRefused(let refusals)? = error else { Issue.record("expected recipientsRefused, got \(String(describing: error))"); return }
            #expect(refusals.map(\.reply.code) == [550])
            #expect(error?.isPermanent == true)
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test("Greylisting's 451 is transient; the retry with the same Message-ID delivers exactly once")
    func greylisted() async throws {
        try await LoopbackSMTPServer.with { server in
            let client = try Self.client(server)
            let message = try Self.message(to: ["greylist@example.com"])
            let error = await #expect(throws: SMTPError.self) { try await client.send(message) }
            #expect(error?.isTransient == true)
            guard case .recipientsRefused(let refusals)? = error else { Issue.record("expected recipientsRefused, got \(String(describing: error))"); return }
            #expect(refusals.first?.reply.code == 451)
            let stored = try server.received()
            #expect(stored.isEmpty)

            let result = try await client.send(message)
            #expect(result.accepted.map(\.address) == ["greylist@example.com"])
            let received = try server.received()
            #expect(received.count == 1)
            #expect(received.map(\.message_id) == ["<\(message.messageID)>"])
        }
    }

    @Test("A recipient greylisted while another is taken is retried alone, with the same Message-ID")
    func partlyGreylisted() async throws {
        try await LoopbackSMTPServer.with { server in
            let client = try Self.client(server)
            var message = try Self.message(to: ["a@example.com", "greylist@example.com"])
            let first = try await client.send(message)
            #expect(first.accepted.map(\.address) == ["a@example.com"])
            #expect(first.refused.map(\.recipient.address) == ["greylist@example.com"])
            #expect(first.refused.allSatisfy { $0.isTransient })

            // What the outbox does: the same message, only to the recipients still owed it.
            message.to = first.refused.filter(\.isTransient).map(\.recipient)
            let second = try await client.send(message)
            #expect(second.accepted.map(\.address) == ["greylist@example.com"])
            let received = try server.received()
            #expect(received.map(\.rcpt_tos) == [["a@example.com"], ["greylist@example.com"]])
            #expect(Set(received.map(\.message_id)) == ["<\(message.messageID)>"])
        }
    }

    @Test("A connection dropped during DATA is transient; after the retry the server holds exactly one complete copy")
    func droppedDuringData() async throws {
        try await LoopbackSMTPServer.with { server in
            let client = try Self.client(server)
            let message = try Self.message(to: ["drop@example.com"])
            let error = await #expect(throws: SMTPError.self) { try await client.send(message) }
            #expect(error == .connectionClosed(.dataTermination))
            #expect(error?.isTransient == true)
            let stored = try server.received()
            #expect(stored.isEmpty)

            _ = try await client.send(message)
            let received = try server.received()
            try #require(received.count == 1)
            #expect(received[0].message_id == "<\(message.messageID)>")
            #expect(received[0].parts.count == 2)
            #expect(Self.lines(received[0].parts[1].content) == message.html!)
            #expect(received[0].defects.isEmpty)
        }
    }

    @Test("AUTH PLAIN when the server offers it", arguments: [[String](), ["LOGIN"]])
    func authPlain(excluding: [String]) async throws {
        try await LoopbackSMTPServer.with(.init(auth: ("digest-bot", "s3cret pass"), excludeMechanisms: excluding)) { server in
            _ = try await Self.client(server, credentials: .init(username: "digest-bot", password: "s3cret pass")).send(try Self.message(to: ["a@example.com"]))
            let received = try server.received()
            #expect(received.map(\.auth_mechanism) == ["PLAIN"])
            #expect(received.map(\.auth_login) == ["digest-bot"])
        }
    }

    @Test("AUTH LOGIN when the server offers no PLAIN")
    func authLogin() async throws {
        try await LoopbackSMTPServer.with(.init(auth: ("digest-bot", "s3cret pass"), excludeMechanisms: ["PLAIN"])) { server in
            _ = try await Self.client(server, credentials: .init(username: "digest-bot", password: "s3cret pass")).send(try Self.message(to: ["a@example.com"]))
            let received = try server.received()
            #expect(received.map(\.auth_mechanism) == ["LOGIN"])
            #expect(received.map(\.auth_login) == ["digest-bot"])
        }
    }

    @Test("A wrong password is a permanent authentication error and sends nothing")
    func wrongPassword() async throws {
        try await LoopbackSMTPServer.with(.init(auth: ("digest-bot", "right"))) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await Self.client(server, credentials: .init(username: "digest-bot", password: "wrong")).send(try Self.message(to: ["a@example.com"]))
            }
            guard case .rejected(.authentication, let reply)? = error else { Issue.record("expected an authentication refusal, got \(String(describing: error))"); return }
            #expect(reply.code == 535)
            #expect(error?.isPermanent == true)
            #expect(!(error?.description.contains("wrong") ?? true), "the password is never in an error")
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test("STARTTLS upgrades before AUTH; the server sees TLS")
    func startTLS() async throws {
        try await LoopbackSMTPServer.with(.init(auth: ("digest-bot", "pw"), startTLS: true)) { server in
            _ = try await Self.client(server, security: .startTLS, credentials: .init(username: "digest-bot", password: "pw")).send(try Self.message(to: ["a@example.com"]))
            let received = try server.received()
            #expect(received.map(\.tls) == [true])
            #expect(received.map(\.auth_mechanism) == ["PLAIN"])
        }
    }

    @Test("Implicit TLS (port 465 style) from the first byte")
    func implicitTLS() async throws {
        try await LoopbackSMTPServer.with(.init(implicitTLS: true)) { server in
            _ = try await Self.client(server, security: .tls).send(try Self.message(to: ["a@example.com"]))
            let stored = try server.received()
            #expect(stored.map(\.tls) == [true])
        }
    }

    @Test("An untrusted certificate fails as a permanent TLS error, before anything is sent")
    func untrustedCertificate() async throws {
        try await LoopbackSMTPServer.with(.init(startTLS: true)) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await Self.client(server, security: .startTLS, trust: false).send(try Self.message(to: ["a@example.com"]))
            }
            guard case .tls? = error else { Issue.record("expected a TLS error, got \(String(describing: error))"); return }
            #expect(error?.isPermanent == true)
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test("security: starttls against a server without STARTTLS refuses to go on in clear text")
    func startTLSMissing() async throws {
        try await LoopbackSMTPServer.with { server in
            let error = await #expect(throws: SMTPError.self) {
                try await Self.client(server, security: .startTLS, trust: false).send(try Self.message(to: ["a@example.com"]))
            }
            #expect(error == .startTLSUnavailable)
            #expect(error?.isPermanent == true)
            let stored = try server.received()
            #expect(stored.isEmpty)
        }
    }

    @Test("Concurrent sends through one client each arrive once")
    func concurrentSends() async throws {
        try await LoopbackSMTPServer.with { server in
            let client = try Self.client(server)
            let messages = try (0..<6).map { try Self.message(to: ["person\($0)@example.com"]) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for message in messages { group.addTask { _ = try await client.send(message) } }
                try await group.waitForAll()
            }
            let stored = try server.received()
            #expect(Set(stored.map(\.message_id)) == Set(messages.map { "<\($0.messageID)>" }))
        }
    }
}
