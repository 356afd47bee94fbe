import Foundation
import PostgresNIO
import TicketPulseStorage

/// In-app notifications: recent alerts and when each person last looked at them.
extension PostgresStore {
    public func recentAlerts(customerIDs: [String]?, since: Date, limit: Int) async throws -> [StoredAlert] {
        if let customerIDs {
            guard !customerIDs.isEmpty else { return [] }
            return try await alerts("""
                SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE detected_at >= \(since.pg) AND customer_id = ANY(\(customerIDs))
                ORDER BY detected_at DESC, id DESC LIMIT \(limit)
                """)
        }
        return try await alerts("SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE detected_at >= \(since.pg) ORDER BY detected_at DESC, id DESC LIMIT \(limit)")
    }

    public func markNotificationsSeen(email: String, at now: Date) async throws -> Date? {
        try await write { connection in
            let before = try await connection.scalar("SELECT seen_at FROM notification_views WHERE email = \(email.lowercased()) FOR UPDATE",
                                                     as: Double.self, logger: self.logger)
            try await connection.run("""
                INSERT INTO notification_views (email, seen_at) VALUES (\(email.lowercased()), \(now.pg))
                ON CONFLICT (email) DO UPDATE SET seen_at = GREATEST(notification_views.seen_at, excluded.seen_at)
                """, logger: self.logger)
            return before.map(Date.init(pg:))
        }
    }
}
