import ArgumentParser
import Foundation
import Logging
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseServer
import TicketPulseStorage

/// `--config ticketpulse.yml` for `serve` and the connection commands: the same default
/// everywhere (`$TICKETPULSE_CONFIG`, else `./ticketpulse.yml` when it exists, else none).
struct ConfigOptions: ParsableArguments {
    @Option(help: "ticketpulse.yml (default: $TICKETPULSE_CONFIG, else ./ticketpulse.yml when it exists).")
    var config: String?

    var path: String? {
        if let config { return config }
        if let env = ProcessInfo.processInfo.environment["TICKETPULSE_CONFIG"], !env.isEmpty { return env }
        return FileManager.default.fileExists(atPath: "ticketpulse.yml") ? "ticketpulse.yml" : nil
    }

    /// The configuration, with `--db` winning over the file's `store.path`. A bad file is a
    /// usage error naming the key.
    func load(store: StoreOptions) throws -> AppConfiguration {
        try Self.load(path: path, store: store)
    }

    /// The configuration in `path` (nil: the defaults), with `--db` winning over the file's
    /// `store.path`.
    static func load(path: String?, store: StoreOptions) throws -> AppConfiguration {
        var configuration: AppConfiguration
        do {
            configuration = try AppConfiguration.load(path: path, databasePath: store.path)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        if store.db != nil { configuration.databasePath = store.path }
        return configuration
    }

    /// Runs `body` with the configured connections over the store at `configuration.databasePath`.
    func withRuntime<T: Sendable>(store options: StoreOptions, _ body: (ConnectorRuntime, any Store, AppConfiguration) async throws -> T) async throws -> T {
        let configuration = try load(store: options)
        return try await StoreLocation.withStore(configuration.databasePath, password: configuration.databasePassword) { store in
            let runtime = ConnectorRuntime(configurations: configuration.connections, environment: configuration.connectionEnvironment, store: store,
                                           zendeskOAuth: configuration.zendeskOAuth, logger: quietLogger())
            // The connect flow's connections, beside the file's (the file wins on a name).
            try await runtime.loadStoredConnections()
            return try await body(runtime, store, configuration)
        }
    }
}

/// Connector errors go to the table and the summary; the log stays quiet unless LOG_LEVEL asks.
func quietLogger() -> Logger {
    var logger = Logger(label: "ticketpulse")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}

extension ConnectionCommands.UsageError {
    /// As ArgumentParser's usage error, so the message is shown with the command's usage hint.
    var validation: ValidationError { ValidationError(description) }
}

/// Runs `body`, turning the library's usage errors into ArgumentParser's.
func usage<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ConnectionCommands.UsageError {
        throw error.validation
    }
}
