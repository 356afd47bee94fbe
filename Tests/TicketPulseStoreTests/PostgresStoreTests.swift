import Foundation
import Logging
import PostgresNIO
import Testing
import TicketPulsePostgres
import TicketPulseStorage

/// What only the PostgreSQL backend has: a server to reach, and a schema others may have
/// migrated further.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("An unreachable server is named in the error, without the password")
    func unreachable() async throws {
        // Port 1 on loopback: nothing listens there.
        let error = await #expect(throws: PostgresStoreError.self) {
            try await PostgresStore.withStore(url: "postgres://ticketpulse:hunter2secret@127.0.0.1:1/ticketpulse?sslmode=disable") { _ in }
        }
        let message = try #require(error).description
        #expect(message.hasPrefix("cannot reach PostgreSQL at postgres://ticketpulse@127.0.0.1:1/ticketpulse"))
        #expect(!message.contains("hunter2secret"))
    }

    @Test("A URL that is not one is refused, its password hidden")
    func badURL() {
        #expect(throws: PostgresStoreError.badURL("postgres://me:***@/db")) { try PostgresLocation(url: "postgres://me:pw@/db") }
        #expect(PostgresLocation.redacted("postgres://me:pw@host/db") == "postgres://me:***@host/db")
        #expect(PostgresLocation.redacted("/var/lib/tp.sqlite") == "/var/lib/tp.sqlite")
    }

    @Test("A schema newer than this build is refused, naming both versions",
          .enabled(if: StoreBackend.postgresURL != nil, StoreBackend.skipMessage))
    func newerSchema() async throws {
        try await StoreBackend.withPostgresDatabase { location in
            try await PostgresStore.withStore(location: location) { _ in }
            // A later release migrated this database further.
            var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.username,
                                                                 password: location.password, database: location.database, tls: .disable)
            configuration.options.connectTimeout = .seconds(5)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test"))
            try await connection.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from-the-future', 0)", logger: Logger(label: "test"))
            try await connection.close()
            let error = await #expect(throws: PostgresStoreError.self) { try await PostgresStore.withStore(location: location) { _ in } }
            #expect(error?.description.contains("created by a newer TicketPulse (schema v99, this build knows up to v") == true)
        }
    }

    @Test("Replicas starting together migrate once",
          .enabled(if: StoreBackend.postgresURL != nil, StoreBackend.skipMessage))
    func concurrentMigrations() async throws {
        try await StoreBackend.withPostgresDatabase { location in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await PostgresStore.withStore(location: location) { store in try await store.ticketCount() } }
                }
                for try await count in group { #expect(count == 0) }
            }
        }
    }
}
