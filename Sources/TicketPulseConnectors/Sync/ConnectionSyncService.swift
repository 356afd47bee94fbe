import Foundation
import Logging
import ServiceLifecycle

/// One connection as a background service: the first pass is the historical import (no
/// checkpoint yet), then a pass every poll interval. A failing pass is logged and counted
/// in the connection's health; the service keeps polling, and other connections go on.
public struct ConnectionSyncService: Service {
    public let engine: SyncEngine
    private let interval: Duration
    private let sleeper: ConnectorHTTPClient.Sleeper
    private let logger: Logger

    public init(
        engine: SyncEngine, interval: Duration,
        sleeper: @escaping ConnectorHTTPClient.Sleeper = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "ticketpulse.connectors.service")
    ) {
        self.engine = engine
        self.interval = interval
        self.sleeper = sleeper
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let report = try await cancelWhenGracefulShutdown { try await engine.syncOnce() }
                logger.info("sync pass", metadata: ["connection": "\(report.connection)", "pages": "\(report.pages)", "tickets": "\(report.tickets)"])
            } catch is CancellationError {
                return
            } catch {
                // Already recorded in the connection's health by the engine.
            }
            do {
                try await cancelWhenGracefulShutdown { try await sleeper(interval) }
            } catch {
                return
            }
        }
    }

    /// For webhook routes: fetch and store one ticket now.
    public func syncTicket(id: String) async throws {
        try await engine.syncTicket(id: id)
    }
}
