import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
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
        logger.info("configuration", metadata: ["file": "\(config.path ?? "none (defaults)")", "connections": "\(configuration.connections.count)", "store": "\(configuration.databasePath)"])
        if configuration.slack.socketMode {
            logger.info("Slack Socket Mode on: connecting to Slack with \(configuration.slack.appTokenVariable)")
        } else if configuration.slack.signingSecret == nil {
            logger.warning("SLACK_SIGNING_SECRET is not set: Slack routes answer 503 (or set SLACK_APP_TOKEN for Socket Mode)")
        }
        if configuration.slack.botToken == nil { logger.warning("SLACK_BOT_TOKEN is not set: answers cannot be posted") }

        let ticketStore = try SQLiteStore(path: configuration.databasePath)
        let slack = SlackWebAPIClient(token: configuration.slack.botToken ?? "", baseURL: configuration.slack.apiURL, httpClient: HTTPClient.shared, logger: logger)
        // Beside the store: what was acknowledged to Slack and not yet answered.
        let journal = configuration.databasePath == ":memory:" ? SlackJobJournal.inMemory() : try SlackJobJournal(path: configuration.databasePath + ".slack-jobs")
        let app = await buildApplication(configuration: configuration, dependencies: AppDependencies(store: ticketStore, slack: slack, jobJournal: journal), logger: logger)
        try await app.runService()
    }
}
