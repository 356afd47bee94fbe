import Foundation
import GRDB

extension TicketStore {
    /// Records a Slack event id; false when it was seen before (a retry). The id is
    /// committed when this returns.
    ///
    /// Async, so that the request waiting to acknowledge the event gives its thread back
    /// while SQLite's single writer finishes someone else's transaction (an answer's audit
    /// entry), instead of blocking one of the few threads that serve requests.
    public func markSlackEventSeen(_ eventID: String, at now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO slack_events (event_id, received_at) VALUES (?, ?)", arguments: [eventID, now.storeValue])
            return db.changesCount > 0
        }
    }

    /// Forgets event ids older than `cutoff`; Slack stops retrying after minutes.
    public func pruneSlackEvents(before cutoff: Date) throws {
        try write { db in try db.execute(sql: "DELETE FROM slack_events WHERE received_at < ?", arguments: [cutoff.storeValue]) }
    }
}

extension TicketStore {
    /// Undoes `markSlackEventSeen` when the event could not be queued, so a retry is accepted.
    public func forgetSlackEvent(_ eventID: String) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM slack_events WHERE event_id = ?", arguments: [eventID]) }
    }
}
