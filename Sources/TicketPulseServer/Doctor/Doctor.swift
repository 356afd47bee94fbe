import AsyncHTTPClient
import Foundation
import TicketPulseConnectors
import TicketPulseStorage

/// `ticketpulse doctor`: checks an installation (configuration, store, Slack, each
/// connection, SMTP, the intents and prompts folders) and says how to fix what is wrong.
///
/// The configuration comes first, since every other check reads it; the store next, since
/// connections keep refreshed OAuth tokens there. The rest are independent and run at
/// once, each network check within `timeout`. A check that throws becomes a ✗ line, never
/// a crash of the command.
public struct Doctor: Sendable {
    public struct Dependencies: Sendable {
        /// The file being checked, for messages (nil: no file, defaults and environment).
        public var configPath: String?
        /// Reads the configuration as `serve` would; throws naming the key that is wrong.
        public var loadConfiguration: @Sendable () throws -> AppConfiguration
        /// Opens the store as `serve` would.
        public var openStore: @Sendable (AppConfiguration) async throws -> any Store
        /// For Slack's Web API.
        public var httpClient: HTTPClient
        /// For the support systems.
        public var connectorHTTPClient: HTTPClient
        /// The limit of each network check.
        public var timeout: Duration

        public init(
            configPath: String?, loadConfiguration: @escaping @Sendable () throws -> AppConfiguration,
            openStore: @escaping @Sendable (AppConfiguration) async throws -> any Store,
            httpClient: HTTPClient = .shared, connectorHTTPClient: HTTPClient = ConnectorHTTPClient.sharedHTTPClient,
            timeout: Duration = .seconds(10)
        ) {
            self.configPath = configPath
            self.loadConfiguration = loadConfiguration
            self.openStore = openStore
            self.httpClient = httpClient
            self.connectorHTTPClient = connectorHTTPClient
            self.timeout = timeout
        }
    }

    let dependencies: Dependencies

    public init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
    }

    public func run() async -> DoctorReport {
        let configuration: AppConfiguration
        do {
            configuration = try dependencies.loadConfiguration()
        } catch {
            let path = dependencies.configPath ?? "ticketpulse.yml"
            let unreadable = dependencies.configPath.map { !FileManager.default.isReadableFile(atPath: ($0 as NSString).expandingTildeInPath) } ?? false
            let fix = unreadable
                ? "check the path (--config, else $TICKETPULSE_CONFIG) and that the user TicketPulse runs as may read it"
                : "correct that setting in \(path) (ticketpulse.example.yml shows every key); secrets come from the environment variables the file names"
            return DoctorReport(lines: [
                DoctorLine(.failed, Self.configurationTitle, String(describing: error), fix: fix),
                DoctorLine(.skipped, "Everything else", "not checked until the configuration loads"),
            ])
        }
        var lines = [configurationLine(configuration)]
        let (storeLine, store) = await checkStore(configuration)
        lines.append(storeLine)
        // Independent checks, at once; listed in this order whatever order they finish in.
        let sections: [@Sendable () async -> [DoctorLine]] = [
            { await self.checkSlack(configuration) },
            { await self.checkSlackConnection(configuration) },
            { await self.checkConnections(configuration, store: store) },
            { await self.checkEmail(configuration) },
            { [self.checkIntents(configuration)] },
            { [self.checkPrompts()] },
        ]
        let results = await withTaskGroup(of: (Int, [DoctorLine]).self) { group in
            for (index, section) in sections.enumerated() {
                group.addTask { (index, await section()) }
            }
            var results = [[DoctorLine]](repeating: [], count: sections.count)
            for await (index, sectionLines) in group { results[index] = sectionLines }
            return results
        }
        lines += results.flatMap { $0 }
        return DoctorReport(lines: lines)
    }

    static let configurationTitle = "Configuration"

    private func configurationLine(_ configuration: AppConfiguration) -> DoctorLine {
        let connections = configuration.connections.count
        let file = dependencies.configPath.map { "\($0) parses" } ?? "no file: the defaults and the environment"
        return DoctorLine(.passed, Self.configurationTitle, "\(file) (\(connections) connection\(connections == 1 ? "" : "s"), email \(configuration.email == nil ? "off" : "on"))")
    }

    /// `operation` within the doctor's time limit; a timeout or any error becomes `failure`'s line.
    func timed(_ operation: @escaping @Sendable () async throws -> DoctorLine, failure: @escaping @Sendable (any Error) -> DoctorLine) async -> DoctorLine {
        do {
            return try await withTimeout(dependencies.timeout, operation)
        } catch {
            return failure(error)
        }
    }
}
