import ArgumentParser
import Foundation
import TicketPulseConnectors
import TicketPulseStorage

struct UnmatchedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmatched",
        abstract: "List synced tickets no customer claims yet (newest first); --rematch tries the roster's domains again."
    )

    @Option(help: "At most this many tickets.") var limit = 50
    @Flag(help: "Match unmatched tickets again by requester domain against the current roster first.") var rematch = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        guard store.isURL || FileManager.default.fileExists(atPath: store.path) else {
            throw ValidationError("no store at \(store.path); run `ticketpulse sync` or `ticketpulse demo` first, or pass --db")
        }
        try await store.withStore { ticketStore in
            try await usage {
                try await ConnectionCommands.unmatched(store: ticketStore, limit: limit, rematch: rematch, now: Date()) { print($0) }
            }
        }
    }
}
