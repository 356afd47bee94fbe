import ArgumentParser
import Foundation
import Logging
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseServer
import TicketPulseStore

/// `--config ticketpulse.yml` for the connection commands.
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
    /// `store.path`; for `serve`, which has no file default.
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

    /// The configured connections over the store at `configuration.databasePath`.
    func runtime(store options: StoreOptions) throws -> (ConnectorRuntime, TicketStore, AppConfiguration) {
        let configuration = try load(store: options)
        let store: TicketStore
        do {
            store = try TicketStore(path: configuration.databasePath)
        } catch {
            throw ValidationError("cannot open the store at \(configuration.databasePath): \(error)")
        }
        let runtime = ConnectorRuntime(configurations: configuration.connections, environment: configuration.connectionEnvironment, store: store, logger: quietLogger())
        return (runtime, store, configuration)
    }
}

/// Connector errors go to the table and the summary; the log stays quiet unless LOG_LEVEL asks.
func quietLogger() -> Logger {
    var logger = Logger(label: "ticketpulse")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}

/// Left-aligned columns, two spaces apart.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    return ([header] + rows).map { row in
        row.enumerated().map { $1.padded(toWidth: widths[$0]) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
}

func shortDate(_ date: Date?) -> String {
    guard let date else { return "never" }
    return date.formatted(Date.ISO8601FormatStyle().year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon)) 
}

func clipped(_ text: String, _ limit: Int) -> String {
    let line = text.replacingOccurrences(of: "\n", with: " ")
    return line.count > limit ? String(line.prefix(limit - 3)) + "..." : line
}
