import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends email; what the digest outbox and outreach depend on, so tests can put a fake in.
public protocol EmailSending: Sendable {
    func send(_ message: EmailMessage) async throws(SMTPError) -> SMTPSendResult
}

/// An SMTP submission client (RFC 5321, 6409) over SwiftNIO: STARTTLS (RFC 3207) or
/// implicit TLS (RFC 8314), AUTH PLAIN or LOGIN (RFC 4954), one connection per message.
///
/// One connection per message keeps a failure to the message it happened to: nothing is
/// carried from one send into the next, and concurrent sends share nothing but the
/// configuration (the client is a value; call it from any task).
public struct SMTPClient: EmailSending {
    public let configuration: SMTPConfiguration
    private let group: any EventLoopGroup
    /// Built once: reading the trust roots for every message would be wasted work.
    private let tlsContext: NIOSSLContext?

    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(SMTPError) {
        self.configuration = configuration
        self.group = eventLoopGroup
        if configuration.security == .none {
            tlsContext = nil
        } else {
            do {
                tlsContext = try NIOSSLContext(configuration: configuration.tls)
            } catch {
                throw .tls("cannot set up TLS: \(error)")
            }
        }
    }

    /// Sends `message` to all its recipients in one transaction.
    ///
    /// Returns once the server has taken the message (its 250 to the end of DATA), with the
    /// recipients it refused while taking others. Throws `SMTPError` when nothing was taken;
    /// `isTransient` tells whether to retry. A failure after the 250 (QUIT, closing) is not
    /// an error: the message is delivered, and a retry would deliver it twice.
    public func send(_ message: EmailMessage) async throws(SMTPError) -> SMTPSendResult {
        let data: [UInt8]
        do {
            data = SMTPData.encode(try message.rendered())
        } catch {
            throw .invalidMessage(String(describing: error))
        }
        let session = try await openSession()
        let result: SMTPSendResult
        do {
            result = try await session.deliver(message, data: data)
        } catch {
            await session.connection.close()
            throw error
        }
        await session.quit()
        return result
    }

    /// Checks the settings without sending anything: connects, greets (EHLO), upgrades with
    /// STARTTLS or starts in TLS, logs in when credentials are set, and QUITs. Throws what
    /// a send would throw at the same step (a refused login is `.rejected(.authentication, …)`).
    public func verify() async throws(SMTPError) {
        let session = try await openSession()
        do {
            try await session.logIn()
        } catch {
            await session.connection.close()
            throw error
        }
        await session.quit()
    }

    /// A new connection and its dialog, refusing to send a password in clear text off the machine.
    private func openSession() async throws(SMTPError) -> SMTPSession {
        if configuration.credentials != nil, configuration.security == .none, !SMTPConfiguration.isLoopback(configuration.host) {
            throw .insecureAuthentication(host: configuration.host)
        }
        let connection = try await SMTPConnection.connect(
            host: configuration.host, port: configuration.port,
            implicitTLS: configuration.security == .tls ? tlsContext : nil,
            timeout: configuration.timeouts.connect, group: group
        )
        return SMTPSession(connection: connection, configuration: configuration, tlsContext: tlsContext)
    }
}
