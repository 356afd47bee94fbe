import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    static let subscriptionColumns = "target, feed, customer_id, priorities, created_by, created_at"

    /// Adds a subscription; the same target, feed and customer again replaces its priority
    /// filter. False when it already existed unchanged.
    @discardableResult
    public func subscribe(_ subscription: Subscription) async throws -> Bool {
        let priorities = subscription.priorities.map(\.rawValue).joined(separator: ",")
        let target = subscription.target.key, feed = subscription.feed.rawValue, customer = subscription.customerID ?? ""
        return try await write { connection in
            let existing = try await connection.scalar("SELECT priorities FROM subscriptions WHERE target = \(target) AND feed = \(feed) AND customer_id = \(customer) FOR UPDATE",
                                                       as: String.self, logger: self.logger)
            if existing == priorities { return false }
            try await connection.run("""
                INSERT INTO subscriptions (target, feed, customer_id, priorities, created_by, created_at)
                VALUES (\(target), \(feed), \(customer), \(priorities), \(subscription.createdBy), \(subscription.createdAt.pg))
                ON CONFLICT (target, feed, customer_id) DO UPDATE SET priorities = excluded.priorities
                """, logger: self.logger)
            return true
        }
    }

    /// Removes the target's subscriptions matching the feed and customer given (nil matches any).
    public func unsubscribe(target: SubscriptionTarget, feed: AlertFeed?, customerID: String?) async throws -> [Subscription] {
        var sql = PostgresSQL("DELETE FROM subscriptions WHERE ")
        sql.append("target = \(sql.bind(target.key))")
        if let feed, feed != .all { sql.append(" AND feed = \(sql.bind(feed.rawValue))") }
        if let customerID { sql.append(" AND customer_id = \(sql.bind(customerID))") }
        sql.append(" RETURNING id, \(Self.subscriptionColumns)")
        let query = sql.query
        return try await write { connection in
            // In the order SQLite's SELECT before its DELETE read them: by id.
            try await connection.rows(query, logger: self.logger)
                .map { (id: try $0.makeRandomAccess()[0].decode(Int64.self), subscription: try Self.subscription($0, offset: 1)) }
                .sorted { $0.id < $1.id }.compactMap(\.subscription)
        }
    }

    public func subscriptions(target: SubscriptionTarget?) async throws -> [Subscription] {
        let query: PostgresQuery = if let target {
            "SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE target = \(target.key) ORDER BY feed COLLATE \"C\", customer_id COLLATE \"C\""
        } else {
            "SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions ORDER BY target COLLATE \"C\", feed COLLATE \"C\", customer_id COLLATE \"C\""
        }
        return try await read { connection in try await connection.rows(query, logger: self.logger).compactMap { try Self.subscription($0) } }
    }

    static func subscription(_ row: PostgresRow, offset: Int = 0) throws -> Subscription? {
        let r = row.makeRandomAccess()
        guard let target = SubscriptionTarget(key: try r[offset].decode(String.self)), let feed = AlertFeed(rawValue: try r[offset + 1].decode(String.self)) else { return nil }
        let customer = try r[offset + 2].decode(String.self)
        let priorities = try r[offset + 3].decode(String.self)
        return Subscription(target: target, feed: feed, customerID: customer.isEmpty ? nil : customer,
                            priorities: priorities.split(separator: ",").compactMap { Priority(rawValue: String($0)) },
                            createdBy: try r[offset + 4].decode(String.self), createdAt: Date(pg: try r[offset + 5].decode(Double.self)))
    }

    public func preferences(email: String) async throws -> NotificationPreferences {
        try await preferences(emails: [email])[email.lowercased()] ?? NotificationPreferences()
    }

    /// Everyone's preferences (nil) or some people's, by lowercased email, with each
    /// person's roster time zone. People who never set any and have no known zone are absent.
    public func preferences(emails: [String]?) async throws -> [String: NotificationPreferences] {
        if emails?.isEmpty == true { return [:] }
        let lowered = emails?.map { $0.lowercased() }
        return try await snapshot { connection in
            var all: [String: NotificationPreferences] = [:]
            let preferences: PostgresQuery = """
                SELECT email, dm_priorities, digest_hour, digest_minute, quiet_start_hour, quiet_end_hour, digest_delivery FROM preferences
                WHERE \(lowered)::text[] IS NULL OR email = ANY(\(lowered))
                """
            for row in try await connection.rows(preferences, logger: self.logger) {
                let (email, dm, hour, minute, quietStart, quietEnd, delivery) = try row.decode((String, String?, Int?, Int?, Int?, Int?, String).self)
                var preferences = NotificationPreferences()
                preferences.dmPriorities = (dm ?? "").split(separator: ",").compactMap { Priority(rawValue: String($0)) }
                preferences.digestHour = hour
                preferences.digestMinute = minute
                preferences.quietStartHour = quietStart
                preferences.quietEndHour = quietEnd
                preferences.digestDelivery = DigestDelivery(rawValue: delivery) ?? .slack
                all[email.lowercased()] = preferences
            }
            let snoozes: PostgresQuery = "SELECT email, customer_id, until FROM snoozes WHERE \(lowered)::text[] IS NULL OR email = ANY(\(lowered))"
            for row in try await connection.rows(snoozes, logger: self.logger) {
                let (email, customer, until) = try row.decode((String, String, Double).self)
                all[email.lowercased(), default: NotificationPreferences()].snoozes[customer] = Date(pg: until)
            }
            // The hours above are on the person's clock: their roster zone comes with them.
            let zones: PostgresQuery = "SELECT email, time_zone FROM csms WHERE time_zone IS NOT NULL AND (\(lowered)::text[] IS NULL OR email = ANY(\(lowered)))"
            for row in try await connection.rows(zones, logger: self.logger) {
                let (email, zone) = try row.decode((String, String).self)
                all[email.lowercased(), default: NotificationPreferences()].timeZone = zone
            }
            return all
        }
    }

    public func savePreferences(_ preferences: NotificationPreferences, email: String, at now: Date) async throws {
        let email = email.lowercased()
        try await write { connection in
            try await connection.run("""
                INSERT INTO preferences (email, dm_priorities, digest_hour, digest_minute, quiet_start_hour, quiet_end_hour, digest_delivery, updated_at)
                VALUES (\(email), \(preferences.dmPriorities.map(\.rawValue).joined(separator: ",")), \(preferences.digestHour), \(preferences.digestMinute),
                        \(preferences.quietStartHour), \(preferences.quietEndHour), \(preferences.digestDelivery.rawValue), \(now.pg))
                ON CONFLICT (email) DO UPDATE SET dm_priorities = excluded.dm_priorities, digest_hour = excluded.digest_hour,
                    digest_minute = excluded.digest_minute, quiet_start_hour = excluded.quiet_start_hour,
                    quiet_end_hour = excluded.quiet_end_hour, digest_delivery = excluded.digest_delivery, updated_at = excluded.updated_at
                """, logger: self.logger)
            try await connection.run("DELETE FROM snoozes WHERE email = \(email)", logger: self.logger)
            for (customer, until) in preferences.snoozes {
                try await connection.run("INSERT INTO snoozes (email, customer_id, until) VALUES (\(email), \(customer), \(until.pg))", logger: self.logger)
            }
        }
    }

    /// A CSM's note or escalation request on a ticket, with its history event, in one
    /// transaction. Write-back to the support system picks up `pending` actions.
    public func recordAction(_ action: TicketAction, ticketID: Int64) async throws {
        try await write { connection in
            try await connection.run("""
                INSERT INTO ticket_actions (ticket_id, kind, actor, body, created_at, writeback_status)
                VALUES (\(ticketID), \(action.kind.rawValue), \(action.actor), \(action.body), \(action.createdAt.pg), \(action.writebackStatus))
                """, logger: self.logger)
            let event = TicketEvent(kind: action.kind == .note ? .noteAdded : .escalationRequested, at: action.createdAt, actor: action.actor, detail: action.body)
            try await self.appendEvents([event], ticketID: ticketID, on: connection)
        }
    }

    public func actions(ticketID: Int64) async throws -> [TicketAction] {
        try await read { connection in
            try await connection.rows("SELECT kind, actor, body, created_at, writeback_status FROM ticket_actions WHERE ticket_id = \(ticketID) ORDER BY created_at, id",
                                      logger: self.logger).map { row in
                let (kind, actor, body, created, status) = try row.decode((String, String, String, Double, String).self)
                return TicketAction(kind: TicketAction.Kind(rawValue: kind) ?? .note, actor: actor, body: body, createdAt: Date(pg: created), writebackStatus: status)
            }
        }
    }
}
