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
        let (runtime, _, configuration) = try config.runtime(store: store)
        guard !runtime.connections.isEmpty else {
            print("No connections configured\(config.path.map { " in \($0)" } ?? ""). Add a connections: list (see ticketpulse.example.yml).")
            return
        }
        let statuses = await runtime.statuses()
        let rows = statuses.map { status -> [String] in
            let health = status.setupError != nil ? "not started" : status.health.unhealthy ? "UNHEALTHY" : status.health.consecutiveFailures > 0 ? "failing" : "ok"
            return [
                status.name, status.system.rawValue, health,
                status.system == .webhook ? "webhook only" : status.checkpoint?.summary ?? "start",
                shortDate(status.health.lastSuccessAt), String(status.health.consecutiveFailures),
                String(status.tickets), String(status.unmatched), status.webhookEnabled ? "yes" : "no",
                clipped(status.setupError ?? status.health.lastError ?? "-", 70),
            ]
        }
        print(table(["NAME", "SYSTEM", "HEALTH", "CURSOR", "LAST SYNC", "FAILURES", "TICKETS", "UNMATCHED", "WEBHOOK", "LAST ERROR"], rows))
        print("\nStore: \(configuration.databasePath)")
    }
}
