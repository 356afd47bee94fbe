import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    /// One index probe per source system, so it stays instant on a million tickets.
    public func sourceSummary() async throws -> SourceSummary {
        try await snapshot { connection in
            var newest: [String: Date] = [:]
            for source in SourceSystem.allCases {
                if let value = try await connection.scalar("SELECT MAX(updated_at) FROM tickets WHERE source = \(source.rawValue)", as: Double?.self, logger: self.logger) ?? nil {
                    newest[source.rawValue] = Date(pg: value)
                }
            }
            return SourceSummary(newestUpdateBySource: newest)
        }
    }

    /// Empties the roster and tickets (the audit log stays), so the demo can be rebuilt.
    public func removeAllData() async throws {
        try await write { connection in
            for table in ["ticket_events", "tickets", "customers", "csms"] {
                try await connection.run(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"), logger: self.logger)
            }
        }
    }

    /// Nothing to do between passes: PostgreSQL checkpoints and vacuums on its own.
    public var maintenance: (any StoreMaintenance)? { nil }
}
