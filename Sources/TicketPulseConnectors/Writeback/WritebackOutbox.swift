import Foundation
import Logging
import ServiceLifecycle
import TicketPulseCore

/// Where write-backs for one connection go.
public struct WritebackRoute: Sendable {
    public var system: SourceSystem
    public var externalIDPrefix: String
    public var writer: any NoteWriter

    public init(system: SourceSystem, externalIDPrefix: String = "", writer: any NoteWriter) {
        self.system = system
        self.externalIDPrefix = externalIDPrefix
        self.writer = writer
    }
}

/// Writes pending CSM notes and escalation requests back as internal notes. A failure
/// keeps the item pending with a growing delay (1 min … 1 h), so an outage delays
/// write-backs but loses none; only a ticket the source no longer has is given up.
public struct WritebackOutbox: Service {
    private let queue: any WritebackQueue
    /// Read at each item: connections made while the server runs write back too.
    private let routes: @Sendable () -> [WritebackRoute]
    private let now: @Sendable () -> Date
    private let sleeper: ConnectorHTTPClient.Sleeper
    private let pollInterval: Duration
    private let logger: Logger

    public init(
        queue: any WritebackQueue, routes: [WritebackRoute], now: @escaping @Sendable () -> Date = { Date() },
        sleeper: @escaping ConnectorHTTPClient.Sleeper = { try await Task.sleep(for: $0) },
        pollInterval: Duration = .seconds(15), logger: Logger = Logger(label: "ticketpulse.connectors.writeback")
    ) {
        self.init(queue: queue, routes: { routes }, now: now, sleeper: sleeper, pollInterval: pollInterval, logger: logger)
    }

    public init(
        queue: any WritebackQueue, routes: @escaping @Sendable () -> [WritebackRoute], now: @escaping @Sendable () -> Date = { Date() },
        sleeper: @escaping ConnectorHTTPClient.Sleeper = { try await Task.sleep(for: $0) },
        pollInterval: Duration = .seconds(15), logger: Logger = Logger(label: "ticketpulse.connectors.writeback")
    ) {
        self.queue = queue
        self.routes = routes
        self.now = now
        self.sleeper = sleeper
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            _ = try? await drainOnce()
            do { try await cancelWhenGracefulShutdown { try await sleeper(pollInterval) } } catch { return }
        }
    }

    /// Tries every due item once.
    @discardableResult
    public func drainOnce(limit: Int = 100) async throws -> (written: Int, failed: Int) {
        var written = 0, failed = 0
        for item in try await queue.due(at: now(), limit: limit) {
            guard let route = route(for: item) else {
                // Kept pending: a connection configured later writes it back.
                try await queue.markFailed(id: item.id, error: "no connection writes back to \(item.source.rawValue)", retryAt: now().addingTimeInterval(3600))
                failed += 1
                continue
            }
            do {
                try await route.writer.addInternalNote(externalID: item.externalID, body: Self.text(item))
                try await queue.markWritten(id: item.id, at: now())
                written += 1
            } catch ConnectorError.notFound {
                try await queue.markFailed(id: item.id, error: "ticket no longer exists in \(item.source.rawValue)", retryAt: nil)
                failed += 1
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let retryAt = now().addingTimeInterval(Self.delay(afterAttempts: item.attempts + 1))
                logger.warning("write-back failed, will retry", metadata: ["id": "\(item.id)", "error": "\(error)", "retryAt": "\(retryAt)"])
                try await queue.markFailed(id: item.id, error: String(describing: error), retryAt: retryAt)
                failed += 1
            }
        }
        return (written, failed)
    }

    static func delay(afterAttempts attempts: Int) -> TimeInterval {
        min(3600, 60 * pow(2, Double(max(0, attempts - 1))))
    }

    static func text(_ item: PendingWriteback) -> String {
        switch item.kind {
        case .note: "Note from \(item.actor) via TicketPulse:\n\n\(item.body)"
        case .escalationRequest: "Escalation requested by \(item.actor) via TicketPulse:\n\n\(item.body)"
        }
    }

    /// The route of the connection the ticket came from: the longest matching id prefix.
    private func route(for item: PendingWriteback) -> WritebackRoute? {
        routes().filter { $0.system == item.source && item.externalID.hasPrefix($0.externalIDPrefix) }
            .max { $0.externalIDPrefix.count < $1.externalIDPrefix.count }
    }
}
