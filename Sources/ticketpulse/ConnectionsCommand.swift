import ArgumentParser
import Foundation
import TicketPulseConnectors

struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "List the configured support-system connections: cursor, last sync, errors, health and ticket counts."
    )

    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await config.withRuntime(store: store) { runtime, _, configuration in
            await ConnectionCommands.connections(runtime: runtime, configPath: config.path, storePath: StoreLocation.display(configuration.databasePath)) { print($0) }
        }
    }
}
