import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// One index probe per source system, so it stays instant on a million tickets.
    public func sourceSummary() throws -> SourceSummary {
        try read { db in
            var newest: [String: Date] = [:]
            for source in SourceSystem.allCases {
                if let value = try Double.cachedOne(db, sql: "SELECT MAX(updated_at) FROM tickets WHERE source = ?", arguments: [source.rawValue]) {
                    newest[source.rawValue] = Date(storeValue: value)
                }
            }
            return SourceSummary(newestUpdateBySource: newest)
        }
    }

    /// Empties the roster and tickets (the audit log stays), so the demo can be rebuilt.
    public func removeAllData() throws {
        try write { db in
            try db.execute(sql: "DELETE FROM ticket_events; DELETE FROM tickets; DELETE FROM customers; DELETE FROM csms;")
        }
    }
}
