import Foundation
import GRDB
import TicketPulseStorage

/// Leases in the SQLite file: processes on one machine sharing the file take turns, as
/// replicas sharing PostgreSQL do.
extension SQLiteStore {
    public func acquireLease(_ name: String, holder: String, now: Date, until: Date) throws -> Bool {
        try write { db in
            try db.execute(sql: """
                INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
                """, arguments: [name, holder, until.storeValue, now.storeValue])
            return try String.fetchOne(db, sql: "SELECT holder FROM leases WHERE name = ?", arguments: [name]) == holder
        }
    }

    public func releaseLease(_ name: String, holder: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM leases WHERE name = ? AND holder = ?", arguments: [name, holder]) }
    }

    public func leaseHolder(_ name: String, now: Date) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT holder FROM leases WHERE name = ? AND expires_at > ?", arguments: [name, now.storeValue])
        }
    }
}
