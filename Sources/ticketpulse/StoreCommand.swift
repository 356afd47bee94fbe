import ArgumentParser
import Foundation
import TicketPulseStorage

/// `ticketpulse store`: moving an installation between backends.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Manage the store itself.",
        subcommands: [StoreCopyCommand.self]
    )
}

/// `ticketpulse store copy --from PATH_OR_URL --to PATH_OR_URL [--force]`: every table,
/// ids kept, then the counts of both stores compared and printed. Stop `serve` first: rows
/// written during the copy may be missed.
struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every table from one store to another (a SQLite file or a postgres:// URL), ids kept; counts are compared at the end."
    )

    @Option(help: "The store to read: a SQLite file or a postgres://user:password@host:port/database URL.") var from: String
    @Option(help: "The store to write (created or migrated as needed); refused when it holds anything, unless --force.") var to: String
    @Flag(help: "Replace whatever the target holds.") var force = false

    func run() async throws {
        let source = StoreOptions.expand(from), target = StoreOptions.expand(to)
        guard source != target else { throw ValidationError("--from and --to are the same store") }
        guard StoreLocation.isURL(source) || FileManager.default.fileExists(atPath: source) else { throw ValidationError("no store at \(source)") }
        let counts = try await StoreLocation.withTransferableStore(source) { from in
            try await StoreLocation.withTransferableStore(target) { to in
                do {
                    return try await StoreCopy.copy(from: from, to: to, force: force) { print($0) }
                } catch let error as StoreCopy.TargetNotEmpty {
                    throw ValidationError(error.description)
                }
            }
        }
        print("\nCopied \(StoreLocation.display(source)) → \(StoreLocation.display(target)):")
        let width = counts.map(\.table.count).max() ?? 0
        for count in counts where count.source > 0 || count.target > 0 {
            print("  \(count.table.padding(toLength: width, withPad: " ", startingAt: 0))  \(count.source) → \(count.target)")
        }
        print("All \(counts.count) tables match (\(counts.reduce(0) { $0 + $1.target }) rows).")
    }
}
