import ArgumentParser
import Foundation
import TicketPulseSQLite
import TicketPulseStorage

/// `--db PATH`, shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store (default: $TICKETPULSE_DB, else ~/.ticketpulse/ticketpulse.sqlite).")
    var db: String?

    var path: String {
        if let db { return (db as NSString).expandingTildeInPath }
        if let env = ProcessInfo.processInfo.environment["TICKETPULSE_DB"], !env.isEmpty { return (env as NSString).expandingTildeInPath }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".ticketpulse/ticketpulse.sqlite").path
    }

    func open() throws -> any Store {
        do {
            return try SQLiteStore(path: path)
        } catch {
            throw ValidationError("cannot open the store at \(path): \(error)")
        }
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
