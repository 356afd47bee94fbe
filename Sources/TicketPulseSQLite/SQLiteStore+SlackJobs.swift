import Foundation
import GRDB
import TicketPulseStorage

/// Acknowledged Slack jobs of replicas sharing the store (`SlackJobStore`). A SQLite file
/// has one writer at a time, so an adoption is a read and an update in one transaction.
extension SQLiteStore {
    public func journalSlackJob(_ job: PendingSlackJob) throws -> Bool {
        try write { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO slack_events (event_id, received_at) VALUES (?, ?)").execute(arguments: [job.id, job.receivedAt.storeValue])
            guard db.changesCount == 1 else { return false }
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO slack_jobs (id, owner, received_at, payload) VALUES (?, ?, ?, ?)")
                .execute(arguments: [job.id, job.owner, job.receivedAt.storeValue, job.payload])
            return true
        }
    }

    public func completeSlackJob(id: String) throws {
        try write { db in try db.cachedStatement(sql: "DELETE FROM slack_jobs WHERE id = ?").execute(arguments: [id]) }
    }

    public func withdrawSlackJob(id: String) throws {
        try write { db in
            try db.cachedStatement(sql: "DELETE FROM slack_jobs WHERE id = ?").execute(arguments: [id])
            try db.cachedStatement(sql: "DELETE FROM slack_events WHERE event_id = ?").execute(arguments: [id])
        }
    }

    public func adoptSlackJobs(owner: String, includingOwn: Bool, now: Date, limit: Int) throws -> [PendingSlackJob] {
        try write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, owner, received_at, payload FROM slack_jobs j
                WHERE (j.owner = ? AND ?) OR (j.owner <> ? AND NOT EXISTS (
                    SELECT 1 FROM leases l WHERE l.name = ? || j.owner AND l.expires_at > ?))
                ORDER BY received_at LIMIT ?
                """, arguments: [owner, includingOwn, owner, ReplicaPresence.leasePrefix, now.storeValue, limit])
            let update = try db.cachedStatement(sql: "UPDATE slack_jobs SET owner = ? WHERE id = ?")
            return try rows.map { row in
                let id: String = row[0]
                try update.execute(arguments: [owner, id])
                return PendingSlackJob(id: id, owner: owner, receivedAt: Date(storeValue: row[2]), payload: row[3])
            }
        }
    }

    public func pendingSlackJobCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM slack_jobs") ?? 0 }
    }
}
