import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
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
    /// How long an operation waits for a connection from the pool. postgres-nio's pool
    /// keeps a request waiting while it retries a server that is gone (up to a minute); a
    /// Slack request cannot wait that long, so past this the store counts as unreachable.
    let connectionWait: Duration

    private init(client: PostgresClient, location: PostgresLocation, connectionWait: Duration, logger: Logger) {
        self.client = client
        self.location = location
        self.connectionWait = connectionWait
        self.logger = logger
    }

    /// Checks that the server answers, migrates the schema (refusing one newer than this
    /// build knows), and returns a store whose pool runs once `service` runs.
    public static func connect(url: String, logger: Logger = Logger(label: "ticketpulse.postgres")) async throws -> PostgresStore {
        try await connect(location: PostgresLocation(url: url), logger: logger)
    }

    public static func connect(location: PostgresLocation, connectionWait: Duration = .seconds(2),
                               logger: Logger = Logger(label: "ticketpulse.postgres")) async throws -> PostgresStore {
        try await PostgresSchema.migrate(location, logger: logger)
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        return PostgresStore(client: client, location: location, connectionWait: connectionWait, logger: logger)
    }

    /// The connection pool, to run in a service group for as long as the store is used.
    public var service: any Service { client }

    /// Opens the store at `url` for `body`, with the pool running in a task of this scope,
    /// and stops it when `body` returns or throws: for commands that use the store and end.
    public static func withStore<T: Sendable>(url: String, logger: Logger = Logger(label: "ticketpulse.postgres"),
                                              _ body: (PostgresStore) async throws -> T) async throws -> T {
        try await withStore(location: PostgresLocation(url: url), logger: logger, body)
    }

    public static func withStore<T: Sendable>(location: PostgresLocation, connectionWait: Duration = .seconds(2),
                                              logger: Logger = Logger(label: "ticketpulse.postgres"),
                                              _ body: (PostgresStore) async throws -> T) async throws -> T {
        let store = try await connect(location: location, connectionWait: connectionWait, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.client.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    // MARK: Running queries

    /// Runs `body` on one leased connection, outside a transaction (each statement on its own).
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await leased { client, started in
                try await client.withConnection { connection in
                    started.mark()
                    return try await body(connection)
                }
            }
        } catch let error as PSQLError {
            throw Self.storeError(error)
        }
    }

    /// Runs several reads on one snapshot (a page and its count, SLA's two parts), as
    /// SQLite's read transactions do: a commit between them is seen by both or neither.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
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
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await leased { client, started in
                try await client.withTransaction(logger: self.logger) { connection in
                    started.mark()
                    return try await body(connection)
                }
            }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, !(closureError is PSQLError) { throw closureError }
            throw Self.storeError(error)
        } catch let error as PSQLError {
            throw Self.storeError(error)
        }
    }

    /// `use`, given up with `StoreUnavailable` when it has not been handed a connection
    /// within `connectionWait` (the pool's request is then cancelled); once it has one, it
    /// runs to its end.
    private func leased<T: Sendable>(_ use: @escaping @Sendable (PostgresClient, ConnectionHandedOut) async throws -> T) async throws -> T {
        let started = ConnectionHandedOut()
        let client = client
        let location = location
        let connectionWait = connectionWait
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                do {
                    return try await use(client, started)
                } catch where !started.isMarked && !(error is CancellationError) {
                    // The pool gave up (its circuit breaker, after a minute of failed connects).
                    throw StoreUnavailable(reason: "no connection to PostgreSQL at \(location): \(PostgresStoreError.describe(error))")
                }
            }
            group.addTask {
                try await Task.sleep(for: connectionWait)
                guard started.isMarked else {
                    throw StoreUnavailable(reason: "no connection to PostgreSQL at \(location) within \(connectionWait)")
                }
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// A server or connection failure as the store's error: the connection lost or the
    /// server shutting down is `StoreUnavailable` (retry later); anything else, in words.
    static func storeError(_ error: any Error) -> any Error {
        let underlying = (error as? PostgresTransactionError).flatMap { $0.commitError ?? $0.beginError ?? $0.closureError } ?? error
        if let psql = underlying as? PSQLError {
            switch psql.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
                return StoreUnavailable(reason: PostgresStoreError.describe(psql))
            default:
                // Class 08 (connection exception) and 57P (the server shutting down or starting).
                if let state = psql.serverInfo?[.sqlState], state.hasPrefix("08") || state.hasPrefix("57P") {
                    return StoreUnavailable(reason: PostgresStoreError.describe(psql))
                }
            }
        }
        return PostgresStoreError.server(PostgresStoreError.describe(error))
    }
}

/// Set once the pool has handed a connection out: from then on the operation is not timed.
final class ConnectionHandedOut: Sendable {
    private let marked = Mutex(false)
    func mark() { marked.withLock { $0 = true } }
    var isMarked: Bool { marked.withLock { $0 } }
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
