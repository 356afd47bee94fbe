import ArgumentParser
import Foundation
import TicketPulseStorage

/// `--db PATH_OR_URL`, shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store: a SQLite file or a postgres://user:password@host:port/database URL (default: $TICKETPULSE_DB, else ~/.ticketpulse/ticketpulse.sqlite).")
    var db: String?

    /// The file path or URL; `~` expanded in paths only.
    var path: String {
        if let db { return Self.expand(db) }
        if let env = ProcessInfo.processInfo.environment["TICKETPULSE_DB"], !env.isEmpty { return Self.expand(env) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".ticketpulse/ticketpulse.sqlite").path
    }

    /// Whether the store is a PostgreSQL server rather than a file.
    var isURL: Bool { StoreLocation.isURL(path) }

    /// `path` fit to print: a URL without its password.
    var display: String { StoreLocation.display(path) }

    static func expand(_ location: String) -> String {
        StoreLocation.isURL(location) ? location : (location as NSString).expandingTildeInPath
    }

    /// Runs `body` over the store (see `StoreLocation.withStore`).
    func withStore<T: Sendable>(_ body: (any Store) async throws -> T) async throws -> T {
        try await StoreLocation.withStore(path, body)
    }
}

/// `--now ISO-8601`: the reference time; the clock when absent.
struct ClockOptions: ParsableArguments {
    @Option(name: .long, help: "Reference time, ISO-8601 (e.g. 2026-11-18T15:00:00Z). Default: now.")
    var now: String?

    func resolve() throws -> Date {
        guard let now else { return Date() }
        guard let date = ISO8601DateFormatter().date(from: now) else {
            throw ValidationError("--now '\(now)' is not an ISO-8601 time like 2026-11-18T15:00:00Z")
        }
        return date
    }
}
