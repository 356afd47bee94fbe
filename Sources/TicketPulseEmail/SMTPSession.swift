import Foundation
import NIOSSL

/// The dialog of one send over one connection: greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT,
/// DATA, QUIT (or, to verify the settings, everything up to AUTH, then QUIT). Each step checks the reply it needs and throws `SMTPError` otherwise.
struct SMTPSession {
    let connection: SMTPConnection
    let configuration: SMTPConfiguration
    let tlsContext: NIOSSLContext?

    private var replyTimeout: Duration { configuration.timeouts.reply }

    func deliver(_ message: EmailMessage, data: [UInt8]) async throws(SMTPError) -> SMTPSendResult {
        try await logIn()
        return try await transaction(message, data: data)
    }

    /// Everything before the first message: greeting, EHLO, STARTTLS (and EHLO again), AUTH.
    /// What `SMTPClient.verify()` checks, and what every send begins with.
    func logIn() async throws(SMTPError) {
        let greeting = try await connection.reply(stage: .greeting, timeout: replyTimeout)
        guard greeting.code == 220 else { throw .rejected(.greeting, greeting) }
        var capabilities = try await hello()
        if configuration.security == .startTLS {
            guard capabilities.has("STARTTLS"), let tlsContext else { throw .startTLSUnavailable }
            let reply = try await connection.command("STARTTLS", stage: .startTLS, timeout: replyTimeout)
            guard reply.code == 220 else { throw .rejected(.startTLS, reply) }
            try await connection.startTLS(context: tlsContext, host: configuration.host)
            // RFC 3207 §4.2: forget everything learnt before TLS and ask again.
            capabilities = try await hello()
        }
        if let credentials = configuration.credentials {
            try await authenticate(credentials, capabilities: capabilities)
        }
    }

    /// EHLO, or HELO for a server that knows no extensions; the EHLO keywords offered.
    private func hello() async throws(SMTPError) -> SMTPCapabilities {
        let ehlo = try await connection.command("EHLO \(configuration.heloName)", stage: .ehlo, timeout: replyTimeout)
        if ehlo.code == 250 { return SMTPCapabilities(ehloReply: ehlo) }
        guard ehlo.code == 500 || ehlo.code == 502 else { throw .rejected(.ehlo, ehlo) }
        let helo = try await connection.command("HELO \(configuration.heloName)", stage: .ehlo, timeout: replyTimeout)
        guard helo.code == 250 else { throw .rejected(.ehlo, helo) }
        return SMTPCapabilities(ehloReply: nil)
    }

    /// PLAIN when offered (one round trip), else LOGIN; nothing else is implemented.
    private func authenticate(_ credentials: SMTPConfiguration.Credentials, capabilities: SMTPCapabilities) async throws(SMTPError) {
        let mechanisms = capabilities.authMechanisms
        let reply: SMTPReply
        if mechanisms.contains("PLAIN") {
            let token = Data(("\0" + credentials.username + "\0" + credentials.password).utf8).base64EncodedString()
            reply = try await connection.command("AUTH PLAIN \(token)", stage: .authentication, timeout: replyTimeout)
        } else if mechanisms.contains("LOGIN") {
            let start = try await connection.command("AUTH LOGIN", stage: .authentication, timeout: replyTimeout)
            guard start.code == 334 else { throw .rejected(.authentication, start) }
            let user = try await connection.command(Data(credentials.username.utf8).base64EncodedString(), stage: .authentication, timeout: replyTimeout)
            guard user.code == 334 else { throw .rejected(.authentication, user) }
            reply = try await connection.command(Data(credentials.password.utf8).base64EncodedString(), stage: .authentication, timeout: replyTimeout)
        } else {
            throw .noSupportedAuthMechanism(advertised: mechanisms)
        }
        guard reply.code == 235 else { throw .rejected(.authentication, reply) }
    }

    private func transaction(_ message: EmailMessage, data: [UInt8]) async throws(SMTPError) -> SMTPSendResult {
        let mail = try await connection.command("MAIL FROM:<\(message.envelopeSender.address)>", stage: .mailFrom, timeout: replyTimeout)
        guard mail.code == 250 else { throw .rejected(.mailFrom, mail) }
        var accepted: [EmailAddress] = []
        var refused: [SMTPRecipientRefusal] = []
        var seen = Set<String>()
        for recipient in message.to where seen.insert(recipient.address.lowercased()).inserted {
            let reply = try await connection.command("RCPT TO:<\(recipient.address)>", stage: .recipients, timeout: replyTimeout)
            switch reply.code {
            case 250, 251:
                accepted.append(recipient)
            case 421:
                // The server is closing the connection: nothing after this will be answered.
                throw .rejected(.recipients, reply)
            case 400..<600:
                refused.append(SMTPRecipientRefusal(recipient: recipient, reply: reply))
            default:
                throw .protocolViolation("RCPT TO answered \(reply)")
            }
        }
        guard !accepted.isEmpty else { throw .recipientsRefused(refused) }
        let start = try await connection.command("DATA", stage: .data, timeout: replyTimeout)
        guard start.code == 354 else { throw .rejected(.data, start) }
        try await connection.write(data, stage: .dataTermination)
        let done = try await connection.reply(stage: .dataTermination, timeout: configuration.timeouts.dataTermination)
        guard done.code == 250 else { throw .rejected(.dataTermination, done) }
        return SMTPSendResult(messageID: message.messageID, accepted: accepted, refused: refused, reply: done)
    }

    /// Best effort: the message is already accepted (or, verifying, the login succeeded), so
    /// nothing here may fail the send.
    func quit() async {
        _ = try? await connection.command("QUIT", stage: .quit, timeout: replyTimeout)
        await connection.close()
    }
}

/// The EHLO keywords (RFC 5321 §4.1.1.1), upper-cased.
struct SMTPCapabilities {
    private var keywords: [String: [String]] = [:]

    init(ehloReply: SMTPReply?) {
        // The first line is the greeting ("mail.example.com Hello"), the rest one keyword each.
        for line in ehloReply?.lines.dropFirst() ?? [] {
            // Some old servers wrote "AUTH=LOGIN PLAIN"; read it as "AUTH LOGIN PLAIN".
            let words = line.replacingOccurrences(of: "=", with: " ").split(separator: " ").map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            keywords[keyword, default: []] += words.dropFirst()
        }
    }

    func has(_ keyword: String) -> Bool { keywords[keyword] != nil }

    var authMechanisms: [String] { keywords["AUTH"] ?? [] }
}
