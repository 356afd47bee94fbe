import Foundation
import Logging
import ServiceLifecycle
import TicketPulseCore
import TicketPulseStorage

/// Every configured connection, built once for `serve` and the CLI: its sync engine, its
/// webhook ingestor (when a webhook secret is configured) and its write-back side.
///
/// A connection that cannot be built (a missing environment variable, say) is kept with
/// its error, reported unhealthy by `/healthz` and `ticketpulse connections`, and the
/// others go on.
public struct ConnectorRuntime: Sendable {
    /// Where a connection is configured.
    public enum Origin: String, Sendable {
        case file = "ticketpulse.yml"
        /// Made through the API's connect flow (`StoredConnection`).
        case store
    }

    public struct Connection: Sendable {
        public let configuration: ConnectionConfiguration
        public let engine: SyncEngine?
        public let ingestor: WebhookIngestor?
        public let writer: (any NoteWriter)?
        /// Why the connection could not be built; nil when it was.
        public let setupError: String?
        public let origin: Origin

        public var name: String { configuration.name }
        /// Webhook-only connections have nothing to poll.
        public var polls: Bool { engine != nil && configuration.system != .webhook }
    }

    /// The file's connections, then the store's as they are loaded or made.
    public var connections: [Connection] { registry.connections }
    /// Stored connections left out because a file connection has the same name (the file wins).
    public var shadowedStoredConnections: [StoredConnection] { registry.shadowed }
    public let store: any Store
    public let state: any ConnectorStateStore
    /// The OAuth client stored connections refresh their tokens with; nil: none configured
    /// (stored connections are then listed, not run).
    public let zendeskOAuth: ZendeskOAuthSettings?
    let registry: ConnectionRegistry
    let http: ConnectorHTTPClient
    let now: @Sendable () -> Date
    private let sleeper: ConnectorHTTPClient.Sleeper
    private let onChanges: @Sendable ([UpsertResult]) async -> Void
    private let logger: Logger

    /// `environment` holds the variables the connections name for their secrets (see
    /// `secretVariables(of:in:)`); `state` defaults to the store's `connection_state` table.
    public init(
        configurations: [ConnectionConfiguration], environment: [String: String], store: any Store,
        state: (any ConnectorStateStore)? = nil, http: ConnectorHTTPClient? = nil, zendeskOAuth: ZendeskOAuthSettings? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        sleeper: @escaping ConnectorHTTPClient.Sleeper = { try await Task.sleep(for: $0) },
        onChanges: @escaping @Sendable ([UpsertResult]) async -> Void = { _ in },
        logger: Logger = Logger(label: "ticketpulse.connectors")
    ) {
        let state = state ?? StoreConnectorStateStore(store: store, now: now)
        let http = http ?? ConnectorHTTPClient(sleeper: sleeper, now: now, logger: logger)
        self.store = store
        self.state = state
        self.zendeskOAuth = zendeskOAuth
        self.http = http
        self.now = now
        self.sleeper = sleeper
        self.onChanges = onChanges
        self.logger = logger
        registry = ConnectionRegistry()
        for configuration in configurations {
            _ = registry.add(make(configuration, origin: .file, credentials: state as? any ConnectionCredentialStore,
                                  secrets: Result { try ConnectionSecrets(configuration: configuration, environment: environment) }))
        }
    }

    /// One connection with its engine, webhook ingestor and writer, or with the error that
    /// kept it from being built.
    private func make(_ configuration: ConnectionConfiguration, origin: Origin, credentials: (any ConnectionCredentialStore)?,
                      secrets: Result<ConnectionSecrets, any Error>) -> Connection {
        do {
            let secrets = try secrets.get()
            let (source, writer) = try ConnectorFactory.client(for: configuration, secrets: secrets, http: http, credentials: credentials)
            let engine = SyncEngine(connection: configuration, source: source, store: store, state: state, now: now, onChanges: onChanges, logger: logger)
            let ingestor = secrets.webhookSecret == nil ? nil
                : try WebhookIngestor(connection: configuration, secrets: secrets, engine: engine, store: store, now: now)
            return Connection(configuration: configuration, engine: engine, ingestor: ingestor, writer: writer, setupError: nil, origin: origin)
        } catch {
            logger.error("connection not started", metadata: ["connection": "\(configuration.name)", "error": "\(error)"])
            return Connection(configuration: configuration, engine: nil, ingestor: nil, writer: nil, setupError: String(describing: error), origin: origin)
        }
    }

    /// Only the environment variables `configurations` name, so nothing else of the
    /// process environment is kept in the configuration.
    public static func secretVariables(of configurations: [ConnectionConfiguration], in environment: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for configuration in configurations {
            for name in [configuration.tokenEnv, configuration.refreshTokenEnv, configuration.clientIDEnv, configuration.clientSecretEnv, configuration.webhookSecretEnv].compactMap({ $0 }) {
                result[name] = environment[name]
            }
        }
        return result
    }

    /// Throws the first connection's setup error: for commands that should refuse to run
    /// half-configured.
    public func requireAllBuilt() throws {
        if let broken = connections.first(where: { $0.setupError != nil }) {
            throw ConnectionsFileError(source: "connection '\(broken.name)'", detail: broken.setupError ?? "")
        }
    }

    public func connection(named name: String) -> Connection? {
        connections.first { $0.name == name }
    }

    /// The one connection of `system` called `name`, or the only one of that system when
    /// no name is given.
    public func connection(system: SourceSystem, named name: String?) -> Connection? {
        let candidates = connections.filter { $0.configuration.system == system }
        if let name { return candidates.first { $0.name == name } }
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// For the application's ServiceGroup: one sync service per polled connection of the
    /// file, the stored connections' service when the connect flow is configured, and the
    /// write-back outbox when any connection writes back (or may, once connected).
    public func services() -> [any Service] {
        var services: [any Service] = connections.compactMap { connection in
            guard connection.origin == .file, connection.polls, let engine = connection.engine else { return nil }
            return ConnectionSyncService(engine: engine, interval: connection.configuration.pollInterval, sleeper: sleeper, logger: logger)
        }
        if zendeskOAuth != nil {
            services.append(StoredConnectionsService(runtime: self, interval: Self.storedConnectionsInterval, sleeper: sleeper, logger: logger))
        }
        if !writebackRoutes.isEmpty || zendeskOAuth != nil {
            let registry = registry
            services.append(WritebackOutbox(queue: StoreWritebackQueue(store: store), routes: { Self.writebackRoutes(of: registry.connections) },
                                            now: now, sleeper: sleeper, logger: logger))
        }
        return services
    }

    /// How often a replica looks for connections another one made.
    static let storedConnectionsInterval: Duration = .seconds(60)

    public var writebackRoutes: [WritebackRoute] { Self.writebackRoutes(of: connections) }

    private static func writebackRoutes(of connections: [Connection]) -> [WritebackRoute] {
        connections.compactMap { connection in
            connection.writer.map { WritebackRoute(system: connection.configuration.system, externalIDPrefix: connection.configuration.externalIDPrefix, writer: $0) }
        }
    }

    // MARK: Stored connections

    /// Builds the store's connections this runtime does not hold yet; one whose name a file
    /// connection has is left out (the file wins) and listed in `shadowedStoredConnections`.
    /// Returns those added.
    @discardableResult
    public func loadStoredConnections() async throws -> [Connection] {
        var added: [Connection] = []
        for stored in try await store.storedConnections() {
            if connections.contains(where: { $0.name == stored.name && $0.origin == .file }) {
                registry.shadow(stored)
                continue
            }
            guard !registry.contains(stored.name) else { continue }
            let connection = await build(stored)
            if registry.add(connection) { added.append(connection) }
        }
        return added
    }

    /// Adds a connection the connect flow just stored; the stored connections' service
    /// starts its historical import at once. Nil when a connection of that name is held already.
    public func add(_ stored: StoredConnection) async -> Connection? {
        guard !registry.contains(stored.name) else { return nil }
        let connection = await build(stored)
        return registry.add(connection) ? connection : nil
    }

    /// The credentials a stored connection keeps in the store, whatever `state` is.
    var storedCredentials: StoreConnectorStateStore { StoreConnectorStateStore(store: store, now: now) }

    private func build(_ stored: StoredConnection) async -> Connection {
        let configuration = ConnectionConfiguration(
            name: stored.name, system: stored.system, baseURL: stored.baseURL, subdomain: stored.subdomain,
            pollIntervalSeconds: zendeskOAuth?.pollIntervalSeconds ?? 300, externalIDPrefix: stored.externalIDPrefix
        )
        let credentials = storedCredentials
        let secrets: Result<ConnectionSecrets, any Error>
        do {
            guard let oauth = zendeskOAuth else {
                throw ConnectorConfigurationError.unsupported(connection: stored.name, reason: "zendesk_oauth is not configured, so its tokens cannot be refreshed")
            }
            guard let tokens = try await credentials.credentials(connection: stored.name) else {
                throw ConnectorConfigurationError.unsupported(connection: stored.name, reason: "its OAuth tokens are missing from the store; connect it again")
            }
            secrets = .success(ConnectionSecrets(clientID: oauth.clientID, clientSecret: oauth.clientSecret, authorizedTokens: tokens))
        } catch {
            secrets = .failure(error)
        }
        return make(configuration, origin: .store, credentials: credentials, secrets: secrets)
    }

    /// The organization mapping changed: every engine matches its next ticket afresh.
    public func organizationMappingChanged() async {
        for connection in connections { await connection.engine?.forgetMatcher() }
    }

    /// Cursor, health and ticket counts of every connection.
    public func statuses() async -> [ConnectionStatus] {
        var result: [ConnectionStatus] = []
        for connection in connections {
            let configuration = connection.configuration
            var status = ConnectionStatus(name: connection.name, system: configuration.system, setupError: connection.setupError,
                                          webhookEnabled: connection.ingestor != nil)
            do {
                let saved = try await state.state(connection: connection.name)
                status.checkpoint = saved.checkpoint
                status.health = saved.health
                let counts = try await store.ticketCount(source: configuration.system, externalIDPrefix: configuration.externalIDPrefix)
                status.tickets = counts.total
                status.unmatched = counts.unmatched
            } catch {
                status.setupError = status.setupError ?? "state unreadable: \(error)"
            }
            result.append(status)
        }
        return result
    }
}

/// What `ticketpulse connections` and `/healthz` show for one connection.
public struct ConnectionStatus: Sendable, Equatable {
    public var name: String
    public var system: SourceSystem
    public var checkpoint: SyncCheckpoint?
    public var health = ConnectionHealth()
    public var tickets = 0
    public var unmatched = 0
    public var setupError: String?
    public var webhookEnabled = false

    public var isHealthy: Bool { setupError == nil && health.isHealthy }
}

extension SyncCheckpoint {
    /// One line for people: where the next pass starts.
    public var summary: String {
        var parts: [String] = []
        if let since { parts.append("since \(SourceDate.iso(since))") }
        if let lastID { parts.append("after \(lastID)") }
        if let page, page > 1 { parts.append("page \(page)") }
        if let cursor { parts.append("cursor \(cursor.count > 24 ? String(cursor.prefix(21)) + "..." : cursor)") }
        return parts.isEmpty ? "start" : parts.joined(separator: ", ")
    }
}
