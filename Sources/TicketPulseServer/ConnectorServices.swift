import Foundation
import Logging
import TicketPulseConnectors
import TicketPulseStorage

/// The support-system connections of `serve`: built from the configuration's
/// `connections:` over the application's store, their sync loops and the write-back
/// outbox run as the application's services, and their health is part of `/healthz`.
enum ConnectorServices {
    static func runtime(configuration: AppConfiguration, store: any Store, now: @escaping @Sendable () -> Date, logger: Logger) -> ConnectorRuntime {
        ConnectorRuntime(configurations: configuration.connections, environment: configuration.connectionEnvironment, store: store,
                         zendeskOAuth: configuration.zendeskOAuth, now: now, logger: logger)
    }

    /// The connections the connect flow stored, beside the file's; a store that cannot be
    /// read leaves them out (logged), and the server starts with the file's.
    static func loadStoredConnections(into connectors: ConnectorRuntime, logger: Logger) async {
        do {
            try await connectors.loadStoredConnections()
            for shadowed in connectors.shadowedStoredConnections {
                logger.warning("a stored connection has the name of one in ticketpulse.yml; the file's is used",
                               metadata: ["connection": "\(shadowed.name)", "subdomain": "\(shadowed.subdomain)"])
            }
        } catch {
            logger.error("stored connections could not be read", metadata: ["error": "\(error)"])
        }
    }

    /// Adds `connections` (one entry each) and `unhealthy_connections` to a `/healthz`
    /// body. An unhealthy connection makes the status `degraded`, not down: the others go on.
    static func addHealth(of connectors: ConnectorRuntime, to body: inout [String: Any]) async {
        guard !connectors.connections.isEmpty else { return }
        let statuses = await connectors.statuses()
        body["connections"] = statuses.map { status -> [String: Any] in
            var entry: [String: Any] = [
                "name": status.name, "system": status.system.rawValue, "healthy": status.isHealthy,
                "consecutive_failures": status.health.consecutiveFailures, "tickets": status.tickets,
            ]
            if let last = status.health.lastSuccessAt { entry["last_sync"] = last.formatted(.iso8601) }
            if let error = status.setupError ?? status.health.lastError { entry["last_error"] = error }
            return entry
        }
        let unhealthy = statuses.filter { !$0.isHealthy }.map(\.name)
        body["unhealthy_connections"] = unhealthy
        if !unhealthy.isEmpty { body["status"] = "degraded" }
    }
}
