import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import TicketPulseServer
import TicketPulseSlack
import TicketPulseStorage

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Slack bot: events, /pulse, buttons and the Home tab, plus /healthz and /metrics."
    )

    @Option(help: "Port to listen on (overrides the config file).") var port: Int?
    @Option(help: "Address to bind (overrides the config file).") var host: String?
    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        // The same file the connection commands read: --config, else $TICKETPULSE_CONFIG, else ./ticketpulse.yml.
        var configuration = try config.load(store: store)
        if let port { configuration.port = port }
        if let host { configuration.host = host }

        var logger = Logger(label: "ticketpulse")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        logger.info("configuration", metadata: ["file": "\(config.path ?? "none (defaults)")", "connections": "\(configuration.connections.count)", "store": "\(StoreLocation.display(configuration.databasePath))"])
        if configuration.slack.socketMode {
            logger.info("Slack Socket Mode on: connecting to Slack with \(configuration.slack.appTokenVariable)")
        } else if configuration.slack.signingSecret == nil {
            logger.warning("SLACK_SIGNING_SECRET is not set: Slack routes answer 503 (or set SLACK_APP_TOKEN for Socket Mode)")
        }
        if configuration.slack.botToken == nil { logger.warning("SLACK_BOT_TOKEN is not set: answers cannot be posted") }

        // On the loops answers run on: an answer posts over its own loop's connection.
        let slack = SlackWebAPIClient(token: configuration.slack.botToken ?? "", baseURL: configuration.slack.apiURL,
                                      httpClient: AnswerEventLoops.shared.httpClient, logger: logger)
        // What was acknowledged to Slack and not yet answered: beside a SQLite file; a
        // PostgreSQL store keeps it in its own tables, where every replica finds it.
        let journalPath = Self.journalPath(for: configuration.databasePath)
        let settings = configuration
        let greetingLogger = logger
        try await StoreLocation.withStore(configuration.databasePath, password: configuration.databasePassword, logger: logger) { ticketStore in
            // Opened once the store is: a server that cannot be reached leaves no journal behind.
            let journal: SlackJobJournal
            if let journalPath {
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: journalPath).deletingLastPathComponent(), withIntermediateDirectories: true)
                journal = try SlackJobJournal(path: journalPath)
            } else {
                journal = SlackJobJournal.inMemory()
            }
            // Meanwhile (the parser trains for a fraction of a second): the first answer
            // then finds a connection to Slack open, its TLS handshake done.
            // From the loop a quiet server answers on first, so the connection is that loop's.
            async let _ = withTaskExecutorPreference(AnswerEventLoops.shared.executors.first) {
                await Self.greet(slack, configured: settings.slack.botToken != nil, logger: greetingLogger)
            }
            let app = await buildApplication(configuration: settings, dependencies: AppDependencies(store: ticketStore, slack: slack, jobJournal: journal), logger: logger)
            // The server's tasks (and the services not given an executor of their own)
            // run where their work arrives: see RequestLoopExecutor.
            try await withTaskExecutorPreference(RequestLoopExecutor.server) { try await app.runService() }
        }
    }

    /// `auth.test` once at start: says in the log whose the token is (or that Slack refused
    /// it), and leaves a kept-alive connection for the first answer to post on (AsyncHTTPClient
    /// prefers a connection of the loop it is called on).
    static func greet(_ slack: SlackWebAPIClient, configured: Bool, logger: Logger) async {
        guard configured else { return }
        do {
            let identity = try await slack.authTest()
            logger.info("Slack token works", metadata: ["user": "\(identity.user ?? identity.userID)", "team": "\(identity.team ?? identity.teamID ?? "?")"])
        } catch {
            logger.warning("Slack's auth.test failed; `ticketpulse doctor` says what to fix", metadata: ["error": "\(error)"])
        }
    }

    /// Where the Slack job journal lives: beside a SQLite file; nil (in memory) for
    /// ":memory:" and for a PostgreSQL URL, whose store keeps the jobs itself.
    static func journalPath(for location: String) -> String? {
        if location == ":memory:" || StoreLocation.isURL(location) { return nil }
        return location + ".slack-jobs"
    }
}
