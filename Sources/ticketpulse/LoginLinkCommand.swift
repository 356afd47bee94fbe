import ArgumentParser
import Foundation
import TicketPulseServer

struct LoginLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login-link",
        abstract: "Print a one-time link that signs someone on the roster in to the web dashboard (valid for 10 minutes)."
    )

    @Option(name: .customLong("as"), help: "Who signs in: an email or Slack user id from the roster.")
    var person: String
    @Option(help: "The dashboard page the link opens, e.g. /app/customers/cus_acme.")
    var next: String?
    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        // The same file `serve` reads: the link starts at its web.public_url (or host and port).
        let configuration = try config.load(store: store)
        let link = try await StoreLocation.withStore(configuration.databasePath, password: configuration.databasePassword) { ticketStore in
            try await WebLoginLink.create(for: person, store: ticketStore, configuration: configuration, next: next)
        }
        print(link)
    }
}
