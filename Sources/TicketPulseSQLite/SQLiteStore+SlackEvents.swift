import Foundation
import GRDB
import TicketPulseStorage

/// The Slack event ids already received, so that Slack's retries are recognised after a
/// restart too. The server decides in memory and writes here in batches (`SlackEventLedger`).
extension SQLiteStore {
    /// The ids received since `cutoff`, to recognise retries of events from before a restart.
    public func slackEventIDs(since cutoff: Date) throws -> [(id: String, receivedAt: Date)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT event_id, received_at FROM slack_events WHERE received_at >= ? ORDER BY received_at",
                             arguments: [cutoff.storeValue])
                .map { (id: $0[0], receivedAt: Date(storeValue: $0[1])) }
        }
    }

    /// In one transaction: records `received` ids, and drops ids older than `cutoff` (Slack
    /// stops retrying after minutes).
    public func recordSlackEvents(_ received: [(id: String, receivedAt: Date)], pruningBefore cutoff: Date? = nil) throws {
        try write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO slack_events (event_id, received_at) VALUES (?, ?)")
            for event in received { try insert.execute(arguments: [event.id, event.receivedAt.storeValue]) }
            if let cutoff {
                try db.cachedStatement(sql: "DELETE FROM slack_events WHERE received_at < ?").execute(arguments: [cutoff.storeValue])
            }
        }
    }

    public func claimSlackEvent(_ id: String, at now: Date) throws -> Bool {
        try write { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO slack_events (event_id, received_at) VALUES (?, ?)").execute(arguments: [id, now.storeValue])
            return db.changesCount == 1
        }
    }
}
