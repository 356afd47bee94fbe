/// Where in the SMTP dialog something went wrong.
public enum SMTPStage: String, Sendable, Hashable {
    case connect, greeting, ehlo, startTLS = "STARTTLS", tlsHandshake = "TLS handshake", authentication
    case mailFrom = "MAIL FROM", recipients = "RCPT TO", data = "DATA"
    /// After the final `.`: the server has the whole message but had not said whether it took it.
    case dataTermination = "end of DATA"
    case quit = "QUIT"
}

/// A recipient the server would not take (`RCPT TO` answered 4xx or 5xx).
public struct SMTPRecipientRefusal: Sendable, Hashable, CustomStringConvertible {
    public var recipient: EmailAddress
    public var reply: SMTPReply
    /// 4xx: try this recipient again later. 5xx: this recipient will not get the message.
    public var isTransient: Bool { reply.isTransientFailure }

    public var description: String { "\(recipient.address): \(reply)" }
}

/// Why a send failed, sorted for the caller into transient (retry later with the same
/// message, same Message-ID) and permanent (fail the delivery, tell someone).
///
/// Nothing was accepted when `send` throws: a message the server took with its final 250 is
/// returned as a result, never as an error, so a retry after an error cannot deliver twice,
/// except in one case the protocol cannot rule out (`connectionClosed`/`timedOut` at
/// `.dataTermination`), which is why the Message-ID must stay the same across retries.
public enum SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server could not be reached (refused, unreachable, name not resolved, connect timeout).
    case connectFailed(host: String, port: Int, reason: String)
    /// No reply within the configured time.
    case timedOut(SMTPStage)
    /// The server closed the connection (or it dropped) before replying.
    case connectionClosed(SMTPStage)
    /// The server answered 4xx/5xx, or something other than what that step needs.
    case rejected(SMTPStage, SMTPReply)
    /// No recipient was taken; each refusal with its reply.
    case recipientsRefused([SMTPRecipientRefusal])
    /// `security: starttls` but the server does not offer STARTTLS: never fall back to clear text.
    case startTLSUnavailable
    /// The TLS handshake failed (certificate not trusted, wrong host name, no common protocol).
    case tls(String)
    /// Credentials are configured but none of the server's AUTH mechanisms is PLAIN or LOGIN.
    case noSupportedAuthMechanism(advertised: [String])
    /// Credentials would go over an unencrypted connection to a host that is not loopback.
    case insecureAuthentication(host: String)
    /// The server said something that is not SMTP.
    case protocolViolation(String)
    /// The message cannot be rendered (no recipient, a bad header, a bad Message-ID).
    case invalidMessage(String)

    /// True when the same send may succeed later: the caller keeps the message and retries.
    public var isTransient: Bool {
        switch self {
        case .connectFailed, .timedOut, .connectionClosed:
            return true
        case .rejected(_, let reply):
            return reply.isTransientFailure
        case .recipientsRefused(let refusals):
            // Retry if any recipient may take it later; the permanent ones are failed as such
            // by the caller from the list.
            return refusals.contains(where: \.isTransient)
        case .startTLSUnavailable, .tls, .noSupportedAuthMechanism, .insecureAuthentication, .protocolViolation, .invalidMessage:
            return false
        }
    }

    /// True when sending again will fail the same way.
    public var isPermanent: Bool { !isTransient }

    public var description: String {
        switch self {
        case .connectFailed(let host, let port, let reason): "cannot reach \(host):\(port): \(reason)"
        case .timedOut(let stage): "the SMTP server did not answer in time (\(stage.rawValue))"
        case .connectionClosed(let stage): "the SMTP server closed the connection (\(stage.rawValue))"
        case .rejected(let stage, let reply): "the SMTP server refused \(stage.rawValue): \(reply)"
        case .recipientsRefused(let refusals): "every recipient was refused: \(refusals.map(\.description).joined(separator: "; "))"
        case .startTLSUnavailable: "the SMTP server does not offer STARTTLS (security: starttls); not sending in clear text"
        case .tls(let reason): "TLS with the SMTP server failed: \(reason)"
        case .noSupportedAuthMechanism(let advertised): "the SMTP server offers no AUTH PLAIN or LOGIN (it offers: \(advertised.isEmpty ? "none" : advertised.joined(separator: " ")))"
        case .insecureAuthentication(let host): "refusing to send the SMTP password unencrypted to \(host) (security: none is for loopback only)"
        case .protocolViolation(let detail): "the SMTP server broke the protocol: \(detail)"
        case .invalidMessage(let detail): "the message cannot be sent: \(detail)"
        }
    }
}
