import Foundation
import TicketPulseConnectors
import TicketPulseStorage

extension Doctor {
    static func connectionTitle(_ connection: ConnectionConfiguration) -> String {
        "Connection '\(connection.name)' (\(connection.system.rawValue))"
    }

    /// Each connection's one cheap authenticated request, all at once.
    func checkConnections(_ configuration: AppConfiguration, store: (any Store)?) async -> [DoctorLine] {
        // One attempt each: a check reports an outage, it does not wait it out.
        let http = ConnectorHTTPClient(
            httpClient: dependencies.connectorHTTPClient,
            policy: RetryPolicy(maxAttempts: 1, maxRateLimitedAttempts: 1, requestTimeout: dependencies.timeout, maxTransportWait: .zero),
            logger: Self.quietLogger
        )
        // Zendesk OAuth connections keep their refreshed tokens in the store: the ones in use.
        let credentials = store.map { StoreConnectorStateStore(store: $0) }
        let connections = configuration.connections
        return await withTaskGroup(of: (Int, DoctorLine).self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask {
                    let line = await self.timed({
                        let summary = try await ConnectorFactory.checkCredentials(
                            of: connection, environment: configuration.connectionEnvironment, http: http, credentials: credentials)
                        return DoctorLine(.passed, Self.connectionTitle(connection), summary)
                    }, failure: { Self.connectionFailure($0, connection) })
                    return (index, line)
                }
            }
            var lines = [DoctorLine?](repeating: nil, count: connections.count)
            for await (index, line) in group { lines[index] = line }
            return lines.compactMap { $0 }
        }
    }

    static func connectionFailure(_ error: any Error, _ connection: ConnectionConfiguration) -> DoctorLine {
        let title = connectionTitle(connection)
        switch error {
        case ConnectorConfigurationError.missingSecret(_, let variable):
            return DoctorLine(.failed, title, "environment variable \(variable) is not set",
                              fix: "put the secret in \(variable) (under systemd: /etc/ticketpulse/ticketpulse.env) and restart")
        case let error as ConnectorConfigurationError:
            return DoctorLine(.failed, title, error.description, fix: "correct the connection under connections: in the configuration (README, Connections)")
        case ConnectorError.credentialsRejected(let status, let fix):
            return DoctorLine(.failed, title, "HTTP \(status): the credentials were rejected", fix: fix)
        case ConnectorError.tokenRefreshFailed(let reason):
            return DoctorLine(.failed, title, "token refresh failed: \(reason)", fix: "authorize TicketPulse again and put the new tokens in the environment")
        case let error as CredentialCheckInconclusive:
            return DoctorLine(.warning, title, error.description)
        default:
            return DoctorLine(.failed, title, String(describing: error),
                              fix: "check the connection's address (subdomain, domain or base_url) and this machine's access to it (proxy, firewall)")
        }
    }
}
