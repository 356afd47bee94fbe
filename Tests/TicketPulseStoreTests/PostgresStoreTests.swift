import Foundation
import Logging
import PostgresNIO
import Testing
import TicketPulseCore
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

    /// Runs `sql` on the test server's maintenance database, as an operator would.
    static func onServer(_ sql: String) async throws {
        let server = try PostgresLocation(url: try #require(StoreBackend.postgresURL))
        var configuration = PostgresConnection.Configuration(host: server.host, port: server.port, username: server.username,
                                                             password: server.password, database: server.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 2, logger: Logger(label: "test"))
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test")).collect()
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    @Test("A server lost at runtime: operations fail quickly as unavailable, nothing half written, and work again once it is back",
          .enabled(if: StoreBackend.postgresURL != nil, StoreBackend.skipMessage))
    func lostAtRuntime() async throws {
        try await StoreBackend.withPostgresDatabase { location in
            try await PostgresStore.withStore(location: location) { store in
                let now = Date(timeIntervalSince1970: 1_764_576_000)
                let ticket = { (id: String) in Ticket(source: .zendesk, externalID: id, customerID: nil, subject: "SSO broken", status: .open, priority: .p1, createdAt: now) }
                try await store.upsert([ticket("1")], at: now)
                // The database goes away under the running pool: its connections are cut and new ones refused.
                try await Self.onServer("ALTER DATABASE \(location.database) ALLOW_CONNECTIONS false")
                try await Self.onServer("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(location.database)'")
                let started = ContinuousClock.now
                await #expect(throws: StoreUnavailable.self) { try await store.upsert([ticket("2"), ticket("3")], at: now) }
                await #expect(throws: StoreUnavailable.self) { try await store.ticketCount() }
                #expect(ContinuousClock.now - started < .seconds(10), "refused within the connection wait (2 s each), not after the pool's minute")

                try await Self.onServer("ALTER DATABASE \(location.database) ALLOW_CONNECTIONS true")
                // The pool reconnects on its own backoff (a second or two after this many
                // failures); each try waits at most the connection wait.
                let deadline = ContinuousClock.now + .seconds(60)
                var count: Int?
                while count == nil, ContinuousClock.now < deadline { count = try? await store.ticketCount() }
                #expect(count == 1, "the page written while the server was gone left nothing behind")
                try await store.upsert([ticket("2")], at: now)
                #expect(try await store.ticketCount() == 2)
            }
        }
    }
}
