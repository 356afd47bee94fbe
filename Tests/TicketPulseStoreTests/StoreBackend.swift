import Foundation
import Testing
import TicketPulsePostgres
import TicketPulseSQLite
import TicketPulseStorage

/// The backends every store test runs on, through `any Store`: a private in-memory SQLite
/// store, and a PostgreSQL database of its own on the server `TICKETPULSE_TEST_POSTGRES_URL`
/// names (created for the test and dropped after it, so tests run in parallel). Without
/// the variable the PostgreSQL cases are left out of every test (`available`), and the test
/// `PostgreSQLHalf.serverConfigured` is reported skipped, saying why: never passed.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// The backends the tests run on here: PostgreSQL only when a server is configured.
    static var available: [StoreBackend] { postgresURL == nil ? [.sqlite] : allCases }

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["TICKETPULSE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let skipMessage: Comment = "TICKETPULSE_TEST_POSTGRES_URL is not set: the PostgreSQL half of the store tests is skipped (.ci/run starts a server and sets it)"

    /// Runs `body` with a fresh, empty store of this backend.
    func withStore<T: Sendable>(_ body: (any Store) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await body(SQLiteStore())
        case .postgres:
            return try await Self.withPostgresDatabase { location in
                try await PostgresStore.withStore(location: location) { store in try await body(store) }
            }
        }
    }

    /// A new database on the test server for `body`, dropped after it.
    static func withPostgresDatabase<T: Sendable>(_ body: (PostgresLocation) async throws -> T) async throws -> T {
        guard let url = postgresURL else { throw PostgresStoreError.server(String(describing: skipMessage)) }
        let server = try PostgresLocation(url: url)
        let name = "tp_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresAdmin.createDatabase(name, on: server)
        do {
            let result = try await body(server.database(name))
            try await PostgresAdmin.dropDatabase(name, on: server)
            return result
        } catch {
            try? await PostgresAdmin.dropDatabase(name, on: server)
            throw error
        }
    }
}

/// The visible trace of the PostgreSQL half: skipped, with the reason, when no server is
/// configured; otherwise a check that the server takes a fresh store at the latest schema.
@Suite("Store: the PostgreSQL half")
struct PostgreSQLHalf {
    @Test("A PostgreSQL server is configured for the store tests",
          .enabled(if: StoreBackend.postgresURL != nil, StoreBackend.skipMessage))
    func serverConfigured() async throws {
        let count = try await StoreBackend.postgres.withStore { store in try await store.ticketCount() }
        #expect(count == 0)
    }
}
