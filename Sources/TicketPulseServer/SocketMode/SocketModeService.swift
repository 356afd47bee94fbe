import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TicketPulseSlack

/// Socket Mode as a Service of `serve`: keeps one live WebSocket connection to Slack and
/// hands every envelope to `acknowledge`, which feeds the same de-duplicated job path as
/// the HTTP request URLs.
///
/// - A `disconnect` from Slack (`refresh_requested`, `warning`, …) opens a second
///   connection at once, and the first is closed only when the second has said `hello`:
///   Slack delivers on whichever is open, so nothing falls between the two.
/// - A dropped or refused connection is opened again, at once the first time, then with
///   `SocketModeBackoff`'s waits until a `hello` resets it.
/// - Slack refusing the app token before any connection was made stops `serve` with what
///   to fix (`SocketModeError`); later, the same is logged and retried, so a token being
///   rotated does not take the bot down.
///
/// It runs on Swift's cooperative pool with the HTTP server: acknowledging is request
/// work, and the answers themselves run on the worker's executor.
final class SocketModeService: Service, Sendable {
    private let dependencies: SocketModeDependencies
    private let backoff: SocketModeBackoff
    private let tokenVariable: String
    private let acknowledge: @Sendable (SocketModeEnvelope) async -> String?
    private let logger: Logger
    private let health = Mutex(Health())

    /// What `/healthz` reports: a live connection or not, and the last failure since one was.
    struct Health: Sendable {
        var connected = false
        var lastError: String?
    }

    init(dependencies: SocketModeDependencies, tokenVariable: String, logger: Logger,
         acknowledge: @escaping @Sendable (SocketModeEnvelope) async -> String?) {
        self.dependencies = dependencies
        self.backoff = SocketModeBackoff(random: dependencies.random)
        self.tokenVariable = tokenVariable
        self.acknowledge = acknowledge
        self.logger = logger
    }

    func run() async throws {
        let (signals, sink) = AsyncStream.makeStream(of: SocketModeSignal.self)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                var state = State()
                func connect() {
                    state.attempts += 1
                    state.lastID += 1
                    let id = state.lastID
                    let delay = backoff.delay(beforeAttempt: state.attempts)
                    state.pending = id
                    group.addTask { await self.open(id, after: delay, signals: sink) }
                }
                connect()
                for await signal in signals {
                    defer { health.withLock { $0.connected = state.current != nil } }
                    switch signal {
                    case .opened(let connection):
                        state.connections[connection.id] = connection
                    case .openFailed(let id, let error):
                        health.withLock { $0.lastError = "apps.connections.open: \(error)" }
                        if let code = SocketModeError.tokenRefusal(in: error) {
                            guard state.everConnected else {
                                let error = SocketModeError.refusedToken(code: code, variable: tokenVariable)
                                logger.critical("Socket Mode cannot start", metadata: ["error": "\(error)"])
                                throw error
                            }
                            logger.error("Socket Mode: Slack refused the app-level token; retrying", metadata: ["error": "\(code)", "setting": "\(tokenVariable)"])
                        } else {
                            logger.warning("Socket Mode: apps.connections.open failed; retrying", metadata: ["error": "\(error)"])
                        }
                        if state.pending == id { connect() }
                    case .upgraded:
                        break // not live until its hello
                    case .hello(let id, _):
                        state.everConnected = true
                        state.attempts = 0
                        guard state.pending == id else { continue }
                        state.pending = nil
                        let previous = state.current
                        state.current = id
                        // Before the old connection goes: whoever sees it close sees this.
                        health.withLock { $0 = Health(connected: true) }
                        logger.info("Socket Mode: connected", metadata: ["socket_connection": "\(id)"])
                        // The new connection is live: only now may the old one go.
                        if let previous, let old = state.connections[previous] { await old.close(reason: "refreshed") }
                    case .disconnectRequested(let id, let reason):
                        if reason == "link_disabled" {
                            logger.error("Socket Mode: Slack disabled Socket Mode for this app (link_disabled): turn it on under Settings → Socket Mode, or use the HTTP request URLs")
                        } else {
                            logger.info("Socket Mode: Slack asked to reconnect", metadata: ["reason": "\(reason)", "socket_connection": "\(id)"])
                        }
                        if state.current == id, state.pending == nil { connect() }
                    case .closed(let id, let error):
                        state.connections[id] = nil
                        if let error {
                            logger.warning("Socket Mode: connection ended", metadata: ["socket_connection": "\(id)", "error": "\(error)"])
                            health.withLock { $0.lastError = "\(error)" }
                        }
                        if state.current == id {
                            state.current = nil
                            if state.pending == nil { connect() }
                        } else if state.pending == id {
                            connect()
                        }
                    case .shutdown:
                        for connection in state.connections.values { await connection.close(reason: "shutting down") }
                        group.cancelAll()
                        return
                    }
                }
            }
        } onGracefulShutdown: {
            sink.yield(.shutdown)
        }
    }

    /// Adds `socket_mode` to a `/healthz` body; without a live connection the status is
    /// `degraded`: the HTTP routes, alerts and syncs go on, and the service keeps reconnecting.
    func addHealth(to body: inout [String: Any]) {
        let health = health.withLock { $0 }
        var entry: [String: Any] = ["connected": health.connected]
        if let error = health.lastError { entry["last_error"] = error }
        body["socket_mode"] = entry
        if !health.connected { body["status"] = "degraded" }
    }

    /// Waits `delay`, asks Slack for a URL, and runs the connection until it ends.
    private func open(_ id: Int, after delay: Duration, signals: AsyncStream<SocketModeSignal>.Continuation) async {
        if delay > .zero {
            do {
                try await dependencies.sleep(delay)
            } catch {
                return // cancelled: `serve` is stopping
            }
        }
        let url: URL
        do {
            url = try await dependencies.openConnection()
        } catch {
            if !Task.isCancelled { signals.yield(.openFailed(connection: id, error: error)) }
            return
        }
        let connection = SocketModeConnection(id: id, url: url, logger: logger)
        signals.yield(.opened(connection))
        await connection.run(signals: signals, acknowledge: acknowledge)
    }

    /// The supervisor's view, owned by its loop alone.
    private struct State {
        var connections: [Int: SocketModeConnection] = [:]
        /// The connection envelopes are expected on.
        var current: Int?
        /// The connection being opened (the first, a replacement, a retry), until its `hello`.
        var pending: Int?
        var lastID = 0
        /// Attempts since the last `hello`, for the backoff.
        var attempts = 0
        var everConnected = false
    }
}
