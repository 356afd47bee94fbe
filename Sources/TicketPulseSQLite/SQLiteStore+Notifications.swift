import Foundation
import GRDB
import TicketPulseStorage

/// In-app notifications: recent alerts and when each person last looked at them.
extension SQLiteStore {
    public func recentAlerts(customerIDs: [String]?, since: Date, limit: Int) throws -> [StoredAlert] {
        try read { db in
            if let customerIDs {
                guard !customerIDs.isEmpty else { return [] }
                return try Row.fetchAll(db, sql: """
                    SELECT * FROM alerts WHERE detected_at >= ? AND customer_id IN (\(databaseQuestionMarks(count: customerIDs.count)))
                    ORDER BY detected_at DESC, id DESC LIMIT ?
                    """, arguments: StatementArguments([since.storeValue]) + StatementArguments(customerIDs) + [limit]).compactMap(Self.storedAlert)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE detected_at >= ? ORDER BY detected_at DESC, id DESC LIMIT ?",
                                    arguments: [since.storeValue, limit]).compactMap(Self.storedAlert)
        }
    }

    public func markNotificationsSeen(email: String, at now: Date) throws -> Date? {
        try write { db in
            let before = try Double.fetchOne(db, sql: "SELECT seen_at FROM notification_views WHERE email = ?", arguments: [email.lowercased()])
            try db.execute(sql: """
                INSERT INTO notification_views (email, seen_at) VALUES (?, ?)
                ON CONFLICT(email) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)
                """, arguments: [email.lowercased(), now.storeValue])
            return before.map(Date.init(storeValue:))
        }
    }
}
