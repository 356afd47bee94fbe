import Foundation
import TicketPulsePostgres
import TicketPulseSQLite
import TicketPulseStorage

/// Where a connector benchmark's `ticketpulse` keeps its store: the SQLite file the
/// benchmark prepared, or — with `BENCH_POSTGRES_URL` set to a server — a fresh database on
/// that server holding a copy of it (made by the real `ticketpulse store copy`), so the
/// same run measures the PostgreSQL backend.
public enum BenchStoreLocation {
    public static var postgresServer: String? {
        ProcessInfo.processInfo.environment["BENCH_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `BENCH_STORE_URL`: a PostgreSQL store already holding the data (a `store copy` of the
    /// benchmark's SQLite file made once), used as it is and kept.
    public static var existingStore: String? {
        ProcessInfo.processInfo.environment["BENCH_STORE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The `--db` for the run: `BENCH_STORE_URL`, else `sqlitePath`, or a copy of it in a new
    /// database `name_<pid>` on `BENCH_POSTGRES_URL`.
    public static func prepare(copying sqlitePath: String, name: String, log: URL) async throws -> String {
        if let existingStore { return existingStore }
        guard let server = postgresServer else { return sqlitePath }
        let location = try PostgresLocation(url: server)
        let database = "\(name)_\(ProcessInfo.processInfo.processIdentifier)"
        try await PostgresAdmin.createDatabase(database, on: location)
        guard var components = URLComponents(string: server) else { throw BenchError("not a URL: \(PostgresLocation.redacted(server))") }
        components.path = "/" + database
        let url = components.string ?? server
        let copy = try BenchEnvironment.start(["store", "copy", "--from", sqlitePath, "--to", url], log: log)
        guard await BenchEnvironment.wait(copy) == 0 else {
            throw BenchError("store copy into PostgreSQL failed:\n" + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
        }
        return url
    }

    /// Opens the store at `location` (a file or a PostgreSQL URL) for `body`.
    public static func withStore<T: Sendable>(_ location: String, _ body: (any Store) async throws -> T) async throws -> T {
        if PostgresLocation.isURL(location) {
            return try await PostgresStore.withStore(url: location) { try await body($0) }
        }
        return try await body(try SQLiteStore(path: location))
    }

    /// Drops the database a PostgreSQL run made.
    public static func finish(_ location: String) async {
        guard location != existingStore, PostgresLocation.isURL(location), let parsed = try? PostgresLocation(url: location), let server = postgresServer,
              let serverLocation = try? PostgresLocation(url: server) else { return }
        try? await PostgresAdmin.dropDatabase(parsed.database, on: serverLocation)
    }
}
