import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import TicketPulseCore
import TicketPulseStorage

/// The PostgreSQL store: the same tables and the same behaviour as `SQLiteStore`, shared by
/// several processes. Every method that writes more than one statement runs them in one
/// transaction on one leased connection, so a crash or a lost connection leaves all of it
/// or none.
///
/// Queries go through postgres-nio's connection pool (`PostgresClient`), which only hands
/// out connections while its `run()` runs: open the store with `withStore` (a scope that
/// runs it), or with `connect` and add `service` to the process's service group.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// The server and database, without the password.
    public let location: PostgresLocation

    private init(client: PostgresClient, location: PostgresLocation, logger: Logger) {
        self.client = client
        self.location = location
        self.logger = logger
    }

    /// Checks that the server answers, migrates the schema (refusing one newer than this
    /// build knows), and returns a store whose pool runs once `service` runs.
    public static func connect(url: String, logger: Logger = Logger(label: "ticketpulse.postgres")) async throws -> PostgresStore {
        try await connect(location: PostgresLocation(url: url), logger: logger)
    }

    public static func connect(location: PostgresLocation, logger: Logger = Logger(label: "ticketpulse.postgres")) async throws -> PostgresStore {
        try await PostgresSchema.migrate(location, logger: logger)
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        return PostgresStore(client: client, location: location, logger: logger)
    }

    /// The connection pool, to run in a service group for as long as the store is used.
    public var service: any Service { client }

    /// Opens the store at `url` for `body`, with the pool running in a task of this scope,
    /// and stops it when `body` returns or throws: for commands that use the store and end.
    public static func withStore<T: Sendable>(url: String, logger: Logger = Logger(label: "ticketpulse.postgres"),
                                              _ body: (PostgresStore) async throws -> T) async throws -> T {
        try await withStore(location: PostgresLocation(url: url), logger: logger, body)
    }

    public static func withStore<T: Sendable>(location: PostgresLocation, logger: Logger = Logger(label: "ticketpulse.postgres"),
                                              _ body: (PostgresStore) async throws -> T) async throws -> T {
        let store = try await connect(location: location, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.client.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    // MARK: Running queries

    /// Runs `body` on one leased connection, outside a transaction (each statement on its own).
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let error as PSQLError {
            throw PostgresStoreError.server(PostgresStoreError.describe(error))
        }
    }

    /// Runs several reads on one snapshot (a page and its count, SLA's two parts), as
    /// SQLite's read transactions do: a commit between them is seen by both or neither.
    func snapshot<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await read { connection in
            try await connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            do {
                let result = try await body(connection)
                try await connection.run("COMMIT", logger: self.logger)
                return result
            } catch {
                try? await connection.run("ROLLBACK", logger: self.logger)
                throw error
            }
        }
    }

    /// Runs `body` in one transaction: all of it lands, or none. The errors `body` throws
    /// come out as they are (a roster file's line, a refused reader), the server's in words.
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, !(closureError is PSQLError) { throw closureError }
            throw PostgresStoreError.server(PostgresStoreError.describe(error))
        } catch let error as PSQLError {
            throw PostgresStoreError.server(PostgresStoreError.describe(error))
        }
    }
}

extension PostgresConnection {
    /// Every row of `query`.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    /// Runs a statement for its effect.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }

    /// The first column of the first row, if any.
    func scalar<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self, logger: Logger) async throws -> T? {
        for try await row in try await self.query(query, logger: logger) {
            return try row.makeRandomAccess()[0].decode(T.self)
        }
        return nil
    }
}

extension PostgresStore {
    var noLogger: Logger { logger }
}

extension Date {
    /// Seconds since 1970, as stored (the same value SQLite keeps).
    var pg: Double { timeIntervalSince1970 }
    init(pg: Double) { self.init(timeIntervalSince1970: pg) }
}

extension Optional where Wrapped == Date {
    var pg: Double? { self?.timeIntervalSince1970 }
}
