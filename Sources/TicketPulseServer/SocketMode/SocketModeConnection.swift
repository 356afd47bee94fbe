import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import TicketPulseSlack

/// What a Socket Mode connection tells the service that supervises it.
enum SocketModeSignal: Sendable {
    /// `apps.connections.open` answered; the WebSocket is being opened.
    case opened(SocketModeConnection)
    /// `apps.connections.open` failed: no connection was made.
    case openFailed(connection: Int, error: any Error)
    /// The WebSocket handshake is done; Slack's `hello` comes next.
    case upgraded(connection: Int)
    /// Slack's `hello`: the connection is live. Slack counts the app's open connections,
    /// this one included.
    case hello(connection: Int, openConnections: Int?)
    /// Slack's `disconnect`: it will close this connection soon.
    case disconnectRequested(connection: Int, reason: String)
    /// The connection ended: closed by either side, dropped, or never upgraded.
    case closed(connection: Int, error: (any Error)?)
    /// `serve` is stopping.
    case shutdown
}

/// One WebSocket connection to Slack's Socket Mode. Frames are read in order; each
/// envelope is acknowledged from a task of its own, so one slow acknowledgement (a modal
/// opened with `views.open` inside the 3-s window) holds up no other.
final class SocketModeConnection: Sendable {
    /// Slack's payloads are small; the HTTP endpoints take 1 MB at most, and so does this.
    static let maximumMessageSize = 1_048_576

    let id: Int
    let url: URL
    private let logger: Logger
    private let writer = Mutex<Writer>(.connecting)

    private enum Writer {
        case connecting
        case open(WebSocketOutboundWriter)
        /// Closed by us, before or after the socket opened.
        case closing
    }

    init(id: Int, url: URL, logger: Logger) {
        self.id = id
        self.url = url
        var logger = logger
        logger[metadataKey: "socket_connection"] = "\(id)"
        self.logger = logger
    }

    /// Connects and reads until the connection ends, reporting to `signals`.
    /// `acknowledge` turns an envelope into its acknowledgement frame, or nil to leave it
    /// unacknowledged (Slack then delivers it again).
    func run(signals: AsyncStream<SocketModeSignal>.Continuation,
             acknowledge: @escaping @Sendable (SocketModeEnvelope) async -> String?) async {
        // Slack drops a connection that stops answering pings, and so should we: a ping
        // unanswered within the period ends the connection, and the service opens another.
        let configuration = WebSocketClientConfiguration(maxFrameSize: Self.maximumMessageSize, autoPing: .enabled(timePeriod: .seconds(30)))
        do {
            try await WebSocketClient.connect(url: url.absoluteString, configuration: configuration, logger: logger) { inbound, outbound, _ in
                guard self.attach(outbound) else {
                    // Closed before the upgrade finished (a refresh that was overtaken).
                    try await outbound.close(.normalClosure, reason: "replaced")
                    return
                }
                signals.yield(.upgraded(connection: self.id))
                try await withThrowingDiscardingTaskGroup { group in
                    for try await message in inbound.messages(maxSize: Self.maximumMessageSize) {
                        guard case .text(let text) = message else {
                            self.logger.warning("Socket Mode: ignored a binary frame; Slack sends JSON text")
                            continue
                        }
                        let frame: SocketModeFrame
                        do throws(SlackDecodingError) {
                            frame = try SocketModeFrame.decode(Array(text.utf8))
                        } catch {
                            // Nothing to acknowledge it with; the connection stays up.
                            self.logger.error("Socket Mode: unreadable frame ignored", metadata: ["error": "\(error.message)", "frame": "\(text.prefix(200))"])
                            continue
                        }
                        switch frame {
                        case .hello(let connections):
                            signals.yield(.hello(connection: self.id, openConnections: connections))
                        case .disconnect(let reason):
                            signals.yield(.disconnectRequested(connection: self.id, reason: reason))
                        case .envelope(let envelope):
                            group.addTask { await self.reply(to: envelope, using: acknowledge, on: outbound) }
                        }
                    }
                }
            }
            signals.yield(.closed(connection: id, error: nil))
        } catch {
            signals.yield(.closed(connection: id, error: error))
        }
    }

    private func reply(to envelope: SocketModeEnvelope, using acknowledge: @Sendable (SocketModeEnvelope) async -> String?,
                             on outbound: WebSocketOutboundWriter) async {
        guard let frame = await acknowledge(envelope) else { return }
        do {
            try await outbound.write(.text(frame))
        } catch {
            // The connection is going; Slack delivers the envelope again on another one,
            // where the ledger recognises it.
            logger.warning("Socket Mode: acknowledgement not sent", metadata: ["envelope_id": "\(envelope.id)", "error": "\(error)"])
        }
    }

    /// Keeps the writer for `close`; false when `close` came first.
    private func attach(_ outbound: WebSocketOutboundWriter) -> Bool {
        writer.withLock { writer in
            guard case .connecting = writer else { return false }
            writer = .open(outbound)
            return true
        }
    }

    /// Closes the connection cleanly (a close frame; Slack answers with its own), or, if it
    /// is not open yet, as soon as it opens.
    func close(reason: String) async {
        let outbound = writer.withLock { writer -> WebSocketOutboundWriter? in
            defer { writer = .closing }
            if case .open(let outbound) = writer { return outbound }
            return nil
        }
        guard let outbound else { return }
        do {
            try await outbound.close(.normalClosure, reason: reason)
        } catch {
            logger.debug("Socket Mode: close frame not sent", metadata: ["error": "\(error)"])
        }
    }
}
