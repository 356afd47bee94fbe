import Foundation
import Synchronization

/// The doctor's test connection to Socket Mode: opens the WebSocket at a URL that
/// `apps.connections.open` gave, with the server's own client (`SocketModeConnection`),
/// reads until Slack's first word (`hello`, or a `disconnect` instead), and closes it.
///
/// Safe beside a running `serve`: between `hello` and the close, Slack may hand this
/// connection an envelope meant for the server. Nothing here acknowledges or acts on
/// it, and Slack delivers an unacknowledged envelope again, on another of the app's
/// connections (the server's): a few seconds late, never lost nor answered twice.
final class SocketModeProbe: Sendable {
    /// What Slack said first.
    enum Greeting: Sendable {
        case hello(openConnections: Int?)
        case disconnect(reason: String)
    }

    /// How far the check got: what a ✓ or ✗ says, also when the time ran out midway.
    enum Step: Sendable {
        /// `apps.connections.open` asked, no URL yet.
        case opening
        /// The WebSocket is being opened (connect, TLS, upgrade).
        case connecting(host: String)
        /// The WebSocket is open; Slack's first word is awaited.
        case connected(host: String)
        case greeted(host: String, Greeting)
        /// The connection ended before Slack's first word: refused, declined, or closed.
        case ended(host: String, upgraded: Bool, error: (any Error)?)
    }

    private let progress = Mutex(Step.opening)

    var step: Step { progress.withLock { $0 } }

    /// Connects to `url` and reads until Slack's first word or the connection's end,
    /// recording each step; then closes the connection and waits for it to go.
    func connect(to url: URL) async {
        // The host alone: the URL's ticket is a single-use credential.
        let host = url.host.map { "\(url.scheme ?? "wss")://\($0)" } ?? "the URL apps.connections.open gave"
        progress.withLock { $0 = .connecting(host: host) }
        // When the doctor's time is up, cancellation ends the wait for Slack's first word
        // at once. The client cannot be cancelled while it connects or upgrades (it waits
        // on NIO futures): a connect nothing answers ends at NIO's 10-s connect timeout,
        // after the limit; the line still says where it stopped.
        let connection = SocketModeConnection(id: 1, url: url, logger: Doctor.quietLogger)
        let (signals, sink) = AsyncStream.makeStream(of: SocketModeSignal.self)
        await withDiscardingTaskGroup { group in
            group.addTask {
                // Never acknowledges: see the type's comment.
                await connection.run(signals: sink, acknowledge: { _ in nil })
                sink.finish()
            }
            var upgraded = false
            reading: for await signal in signals {
                // The time is up: the step it ran out in is the answer, not the
                // connection's end that the cancellation causes.
                guard !Task.isCancelled else { break reading }
                switch signal {
                case .upgraded:
                    upgraded = true
                    progress.withLock { $0 = .connected(host: host) }
                case .hello(_, let openConnections):
                    progress.withLock { $0 = .greeted(host: host, .hello(openConnections: openConnections)) }
                    break reading
                case .disconnectRequested(_, let reason):
                    progress.withLock { $0 = .greeted(host: host, .disconnect(reason: reason)) }
                    break reading
                case .closed(_, let error):
                    progress.withLock { $0 = .ended(host: host, upgraded: upgraded, error: error) }
                    break reading
                case .opened, .openFailed, .shutdown:
                    continue
                }
            }
            // The answer is in; what follows is the clean close (a close frame, Slack's answer).
            await connection.close(reason: "ticketpulse doctor: check done")
        }
    }
}
