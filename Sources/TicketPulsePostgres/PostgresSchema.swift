import Foundation
import Logging
import PostgresNIO

/// Brings a database's schema up to `PostgresMigrations.latest` when a store opens.
///
/// Several replicas may start at once: each runs the migrations in one transaction that
/// first takes a transaction-scoped advisory lock, so the first migrates and the others,
/// once it has committed, find nothing left to do. A schema newer than this build knows is
/// refused rather than used (a rollback to an older release must not write into it).
enum PostgresSchema {
    /// The advisory lock's key: "tpschema" in ASCII, unlikely to collide with another application's.
    static let lockKey: Int64 = 0x7470_7363_6865_6D61

    static func migrate(_ location: PostgresLocation, logger: Logger) async throws {
        try await location.withSingleConnection(logger: logger) { connection in
            try await migrate(on: connection, location: location, logger: logger)
        }
    }

    static func migrate(on connection: PostgresConnection, location: PostgresLocation, logger: Logger) async throws {
        do {
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.run("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                try await connection.run("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at double precision NOT NULL
                    )
                    """, logger: logger)
                let current = try await connection.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", as: Int.self, logger: logger) ?? 0
                guard current <= PostgresMigrations.latest else {
                    throw PostgresStoreError.newerSchema(location: location.description, version: current, known: PostgresMigrations.latest)
                }
                for step in PostgresMigrations.steps where step.version > current {
                    for statement in step.statements {
                        try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(step.version), \(step.name), \(Date().pg))", logger: logger)
                }
            }
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? PostgresStoreError { throw closure }
            throw PostgresStoreError.server(PostgresStoreError.describe(error))
        }
    }
}
