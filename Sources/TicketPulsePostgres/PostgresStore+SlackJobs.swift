import Foundation
import PostgresNIO
import TicketPulseStorage

/// Acknowledged Slack jobs of the replicas (`SlackJobStore`).
extension PostgresStore {
    public func journalSlackJob(_ job: PendingSlackJob) async throws -> Bool {
        try await write { connection in
            guard try await connection.scalar("""
                INSERT INTO slack_events (event_id, received_at) VALUES (\(job.id), \(job.receivedAt.pg)) ON CONFLICT (event_id) DO NOTHING RETURNING 1
                """, as: Int32.self, logger: self.logger) != nil else { return false }
            try await connection.run("""
                INSERT INTO slack_jobs (id, owner, received_at, payload) VALUES (\(job.id), \(job.owner), \(job.receivedAt.pg), \(job.payload))
                ON CONFLICT (id) DO NOTHING
                """, logger: self.logger)
            return true
        }
    }

    public func completeSlackJob(id: String) async throws {
        try await read { connection in try await connection.run("DELETE FROM slack_jobs WHERE id = \(id)", logger: self.logger) }
    }

    public func withdrawSlackJob(id: String) async throws {
        try await write { connection in
            try await connection.run("DELETE FROM slack_jobs WHERE id = \(id)", logger: self.logger)
            try await connection.run("DELETE FROM slack_events WHERE event_id = \(id)", logger: self.logger)
        }
    }

    /// One statement; SKIP LOCKED lets two replicas adopting at once split the orphans
    /// between them instead of one waiting for the other.
    public func adoptSlackJobs(owner: String, includingOwn: Bool, now: Date, limit: Int) async throws -> [PendingSlackJob] {
        let jobs = try await read { connection in
            try await connection.rows("""
                WITH taken AS (
                    SELECT j.id FROM slack_jobs j
                    WHERE (j.owner = \(owner) AND \(includingOwn)) OR (j.owner <> \(owner) AND NOT EXISTS (
                        SELECT 1 FROM leases l WHERE l.name = \(ReplicaPresence.leasePrefix) || j.owner AND l.expires_at > \(now.pg)))
                    ORDER BY j.received_at LIMIT \(limit)
                    FOR UPDATE OF j SKIP LOCKED)
                UPDATE slack_jobs s SET owner = \(owner) FROM taken WHERE s.id = taken.id
                RETURNING s.id, s.received_at, s.payload
                """, logger: self.logger).map { row in
                let (id, receivedAt, payload) = try row.decode((String, Double, String).self)
                return PendingSlackJob(id: id, owner: owner, receivedAt: Date(pg: receivedAt), payload: payload)
            }
        }
        return jobs.sorted { $0.receivedAt < $1.receivedAt }
    }

    public func pendingSlackJobCount() async throws -> Int {
        try await read { connection in
            Int(try await connection.scalar("SELECT COUNT(*) FROM slack_jobs", as: Int64.self, logger: self.logger) ?? 0)
        }
    }
}
