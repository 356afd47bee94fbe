import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One TCP (or TLS) connection to the server: write a line, wait for its reply, upgrade to
/// TLS. Every failure comes out as an `SMTPError` naming the stage it happened in.
struct SMTPConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<SMTPReplyHandler>

    static func connect(
        host: String, port: Int, implicitTLS: NIOSSLContext?, timeout: Duration, group: any EventLoopGroup
    ) async throws(SMTPError) -> SMTPConnection {
        let serverHostname = Self.serverHostname(for: host)
        // Each channel's handler is recorded as the channel is set up, on its loop, so it can be
        // reached even when the server closes at once (closing empties the pipeline). Keyed by
        // channel: for a name with several addresses, NIO may set up more than one channel.
        let handlers = HandlerRegistry()
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: serverHostname))
                    }
                    let handler = SMTPReplyHandler()
                    try channel.pipeline.syncOperations.addHandler(handler)
                    handlers.record(NIOLoopBound(handler, eventLoop: channel.eventLoop), for: channel)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw .connectFailed(host: host, port: port, reason: String(describing: error))
        }
        guard let handler = handlers.handler(for: channel) else {
            channel.close(promise: nil)
            throw .connectionClosed(.connect)
        }
        return SMTPConnection(channel: channel, handler: handler)
    }

    private final class HandlerRegistry: Sendable {
        private let handlers = Mutex<[ObjectIdentifier: NIOLoopBound<SMTPReplyHandler>]>([:])
        func record(_ handler: NIOLoopBound<SMTPReplyHandler>, for channel: any Channel) {
            handlers.withLock { $0[ObjectIdentifier(channel)] = handler }
        }
        func handler(for channel: any Channel) -> NIOLoopBound<SMTPReplyHandler>? {
            handlers.withLock { $0[ObjectIdentifier(channel)] }
        }
    }

    /// SNI and certificate names take a host name, never an address: for an address NIOSSL
    /// checks the certificate against the peer's IP instead.
    static func serverHostname(for host: String) -> String? {
        let isAddress = host.contains(":") || host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
        return isAddress ? nil : host
    }

    /// Sends `line` + CRLF. Errors name only the stage, never the line: AUTH lines carry
    /// the password.
    func send(_ line: String, stage: SMTPStage) async throws(SMTPError) {
        try await write(Array((line + "\r\n").utf8), stage: stage)
    }

    func write(_ bytes: [UInt8], stage: SMTPStage) async throws(SMTPError) {
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        } catch {
            // The write failed because the connection had already failed (a TLS handshake
            // that rejected the certificate closes it): report why, not just that it closed.
            let handler = self.handler
            let failure = try? await channel.eventLoop.submit { handler.value.failure }.get()
            throw failure.flatMap { $0 }.map { Self.error(for: $0, stage: stage) } ?? .connectionClosed(stage)
        }
    }

    private static func error(for failure: SMTPReplyHandler.Failure, stage: SMTPStage) -> SMTPError {
        switch failure {
        case .closed, .io: .connectionClosed(stage)
        case .timedOut: .timedOut(stage)
        case .malformed(let detail): .protocolViolation(detail)
        case .tls(let detail): .tls(detail)
        }
    }

    func reply(stage: SMTPStage, timeout: Duration) async throws(SMTPError) -> SMTPReply {
        let handler = self.handler
        let eventLoop = channel.eventLoop
        do {
            return try await eventLoop.flatSubmit {
                handler.value.nextReply(timeout: TimeAmount(timeout), on: eventLoop)
            }.get()
        } catch let failure as SMTPReplyHandler.Failure {
            throw Self.error(for: failure, stage: stage)
        } catch {
            throw .connectionClosed(stage)
        }
    }

    /// One command and its reply.
    func command(_ line: String, stage: SMTPStage, timeout: Duration) async throws(SMTPError) -> SMTPReply {
        try await send(line, stage: stage)
        return try await reply(stage: stage, timeout: timeout)
    }

    /// Puts TLS under the connection after the server's 220 to STARTTLS. The handshake runs
    /// when the next command is written (NIOSSL holds writes until it completes); a failed
    /// handshake fails that command's reply with `.tls`.
    func startTLS(context: NIOSSLContext, host: String) async throws(SMTPError) {
        let handler = self.handler
        let channel = self.channel
        let serverHostname = Self.serverHostname(for: host)
        do {
            try await channel.eventLoop.submit {
                guard !handler.value.hasUnreadInput else {
                    throw SMTPError.protocolViolation("the server sent more after its 220 to STARTTLS (data injected before TLS)")
                }
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname), position: .first)
            }.get()
        } catch let error as SMTPError {
            throw error
        } catch {
            throw .tls(String(describing: error))
        }
    }

    func close() async {
        try? await channel.close()
    }
}
