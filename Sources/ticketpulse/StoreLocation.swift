import ArgumentParser
import Foundation
import Logging
import TicketPulsePostgres
import TicketPulseSQLite
import TicketPulseStorage

/// The one place a command opens its store: a SQLite file, or a PostgreSQL server when the
/// location is a `postgres://` URL. PostgreSQL's connection pool runs for as long as `body`
/// does and stops after it.
enum StoreLocation {
    static func isURL(_ location: String) -> Bool { PostgresLocation.isURL(location) }

    /// The location as it may be printed or logged: a URL without its password.
    static func display(_ location: String) -> String { PostgresLocation.redacted(location) }

    static func withStore<T: Sendable>(_ location: String, password: String? = nil, logger: Logger = quietLogger(),
                                       _ body: (any Store) async throws -> T) async throws -> T {
        try await withTransferableStore(location, password: password, logger: logger) { store in try await body(store) }
    }

    /// The same, with the store's rows to copy (`store copy`).
    static func withTransferableStore<T: Sendable>(_ location: String, password: String? = nil, logger: Logger = quietLogger(),
                                                   _ body: (any Store & StoreTransfer) async throws -> T) async throws -> T {
        if isURL(location) {
            let server: PostgresLocation
            do {
                server = try PostgresLocation(url: location, password: password)
            } catch let error as PostgresStoreError {
                throw ValidationError(error.description)
            }
            // Unreachable, refused credentials, a newer schema: the error names the URL without its password.
            return try await PostgresStore.withStore(location: server, logger: logger) { store in try await body(store) }
        }
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: location)
        } catch {
            throw ValidationError("cannot open the store at \(location): \(error)")
        }
        return try await body(store)
    }
}
