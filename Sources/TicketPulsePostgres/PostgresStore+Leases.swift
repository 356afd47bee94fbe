import Foundation
import PostgresNIO
import TicketPulseStorage

/// Leases in the shared database: the replicas take turns at the work done once.
extension PostgresStore {
    /// One statement: an insert, or an update of a lease that is the holder's own or has
    /// expired; concurrent attempts serialise on the row, so exactly one replica wins.
    public func acquireLease(_ name: String, holder: String, now: Date, until: Date) async throws -> Bool {
        try await read { connection in
            try await connection.scalar("""
                INSERT INTO leases (name, holder, expires_at) VALUES (\(name), \(holder), \(until.pg))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= \(now.pg)
                RETURNING 1
                """, as: Int32.self, logger: self.logger) != nil
        }
    }

    public func releaseLease(_ name: String, holder: String) async throws {
        try await read { connection in
            try await connection.run("DELETE FROM leases WHERE name = \(name) AND holder = \(holder)", logger: self.logger)
        }
    }

    public func leaseHolder(_ name: String, now: Date) async throws -> String? {
        try await read { connection in
            try await connection.scalar("SELECT holder FROM leases WHERE name = \(name) AND expires_at > \(now.pg)", as: String.self, logger: self.logger)
        }
    }
}
