import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import TicketPulseServer
import TicketPulseSlack
import TicketPulseStorage

/// `ticketpulse digest --send-now [--to EMAIL]`: the pending digests, sent at once (for
/// admins, and for trying an `email:` setup), through the outbox as `serve` sends them.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Send the pending digests now, by Slack or email as each person chose (--send-now)."
    )

    @Flag(help: "Queue every pending digest now, whatever its hour, and deliver it.") var sendNow = false
    @Option(help: "Only this person's digest (their roster email).") var to: String?
    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard sendNow else { throw ValidationError("say --send-now: this command sends digests at once") }
        if let to, !to.contains("@") { throw ValidationError("--to '\(to)' is not an email address") }
    }

    func run() async throws {
        let configuration = try config.load(store: store)
        var logger = Logger(label: "ticketpulse.digest")
        logger.logLevel = .warning
        let slack = SlackWebAPIClient(token: configuration.slack.botToken ?? "", baseURL: configuration.slack.apiURL, httpClient: HTTPClient.shared, logger: logger)
        let only = to
        let report = try await store.withStore { ticketStore in
            try await DigestSendNow.run(configuration: configuration, dependencies: AppDependencies(store: ticketStore, slack: slack), only: only, logger: logger)
        }
        print(DigestSendNow.describe(report))
        if report.rows.contains(where: { $0.state == .failed }) { throw ExitCode.failure }
    }
}
