import Foundation
import GRDB

extension TicketStore {
    /// Records a Slack event id; false when it was seen before (a retry).
    public func markSlackEventSeen(_ eventID: String, at now: Date) throws -> Bool {
        try write { db in
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
    public func forgetSlackEvent(_ eventID: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM slack_events WHERE event_id = ?", arguments: [eventID]) }
    }
}
