import Foundation
import Logging
import PostgresNIO

/// Creating and dropping whole databases on a server: for tests that each want a database
/// of their own, and for operators preparing a target for `store copy`.
public enum PostgresAdmin {
    /// Creates database `name` (letters, digits and underscores only: it is spliced into the statement).
    public static func createDatabase(_ name: String, on server: PostgresLocation) async throws {
        try await run("CREATE DATABASE \(try identifier(name))", on: server)
    }

    /// Drops database `name`, disconnecting whoever is still connected to it.
    public static func dropDatabase(_ name: String, on server: PostgresLocation) async throws {
        try await run("DROP DATABASE IF EXISTS \(try identifier(name)) WITH (FORCE)", on: server)
    }

    static func identifier(_ name: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw PostgresStoreError.server("not a plain database name: \(name)")
        }
        return name
    }

    static func run(_ sql: String, on server: PostgresLocation) async throws {
        let logger = Logger(label: "ticketpulse.postgres.admin")
        try await server.withSingleConnection(logger: logger) { connection in
            try await connection.run(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }
}
