import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// Adds a subscription; subscribing the same target to the same feed and customer again
    /// replaces its priority filter. Returns false when it already existed unchanged.
    @discardableResult
    public func subscribe(_ subscription: Subscription) throws -> Bool {
        try write { db in
            let priorities = subscription.priorities.map(\.rawValue).joined(separator: ",")
            let existing = try String.fetchOne(db, sql: "SELECT priorities FROM subscriptions WHERE target = ? AND feed = ? AND customer_id = ?",
                                               arguments: [subscription.target.key, subscription.feed.rawValue, subscription.customerID ?? ""])
            if existing == priorities { return false }
            try db.execute(sql: """
                INSERT INTO subscriptions (target, feed, customer_id, priorities, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(target, feed, customer_id) DO UPDATE SET priorities = excluded.priorities
                """, arguments: [subscription.target.key, subscription.feed.rawValue, subscription.customerID ?? "", priorities,
                                 subscription.createdBy, subscription.createdAt.storeValue])
            return true
        }
    }

    /// Removes the target's subscriptions matching the feed and customer given (nil matches
    /// any). Returns what was removed.
    public func unsubscribe(target: SubscriptionTarget, feed: AlertFeed?, customerID: String?) throws -> [Subscription] {
        try write { db in
            var sql = "FROM subscriptions WHERE target = ?"
            var arguments: StatementArguments = [target.key]
            if let feed, feed != .all { sql += " AND feed = ?"; arguments += [feed.rawValue] }
            if let customerID { sql += " AND customer_id = ?"; arguments += [customerID] }
            let removed = try Row.fetchAll(db, sql: "SELECT * " + sql, arguments: arguments).compactMap(Self.subscription)
            try db.execute(sql: "DELETE " + sql, arguments: arguments)
            return removed
        }
    }

    public func subscriptions(target: SubscriptionTarget? = nil) throws -> [Subscription] {
        try read { db in
            let rows = if let target {
                try Row.fetchAll(db, sql: "SELECT * FROM subscriptions WHERE target = ? ORDER BY feed, customer_id", arguments: [target.key])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM subscriptions ORDER BY target, feed, customer_id")
            }
            return rows.compactMap(Self.subscription)
        }
    }

    static func subscription(_ row: Row) -> Subscription? {
        guard let target = SubscriptionTarget(key: row["target"]), let feed = AlertFeed(rawValue: row["feed"]) else { return nil }
        let customer: String = row["customer_id"]
        let priorities: String = row["priorities"]
        return Subscription(target: target, feed: feed, customerID: customer.isEmpty ? nil : customer,
                            priorities: priorities.split(separator: ",").compactMap { Priority(rawValue: String($0)) },
                            createdBy: row["created_by"], createdAt: Date(storeValue: row["created_at"]))
    }

    public func preferences(email: String) throws -> NotificationPreferences {
        try preferences(emails: [email])[email.lowercased()] ?? NotificationPreferences()
    }

    /// Everyone's preferences (nil) or some people's, by lowercased email, in three queries:
    /// what an alert pass routes with, with each person's roster time zone. People who never
    /// set any and have no known zone are absent.
    public func preferences(emails: [String]?) throws -> [String: NotificationPreferences] {
        try read { db in
            var scope = ""
            var arguments = StatementArguments()
            if let emails {
                guard !emails.isEmpty else { return [:] }
                scope = " WHERE email IN (\(emails.map { _ in "?" }.joined(separator: ",")))"
                arguments = StatementArguments(emails.map { $0.lowercased() })
            }
            var all: [String: NotificationPreferences] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM preferences" + scope, arguments: arguments) {
                var preferences = NotificationPreferences()
                let dm: String? = row["dm_priorities"]
                preferences.dmPriorities = (dm ?? "").split(separator: ",").compactMap { Priority(rawValue: String($0)) }
                preferences.digestHour = row["digest_hour"]
                preferences.digestMinute = row["digest_minute"]
                preferences.quietStartHour = row["quiet_start_hour"]
                preferences.quietEndHour = row["quiet_end_hour"]
                preferences.digestDelivery = (row["digest_delivery"] as String?).flatMap(DigestDelivery.init(rawValue:)) ?? .slack
                all[(row["email"] as String).lowercased()] = preferences
            }
            for row in try Row.fetchAll(db, sql: "SELECT email, customer_id, until FROM snoozes" + scope, arguments: arguments) {
                all[(row[0] as String).lowercased(), default: NotificationPreferences()].snoozes[row[1]] = Date(storeValue: row[2])
            }
            // The hours above are on the person's clock: their roster zone comes with them.
            let zoned = (scope.isEmpty ? " WHERE" : scope + " AND") + " time_zone IS NOT NULL"
            for row in try Row.fetchAll(db, sql: "SELECT email, time_zone FROM csms" + zoned, arguments: arguments) {
                all[(row[0] as String).lowercased(), default: NotificationPreferences()].timeZone = row[1]
            }
            return all
        }
    }

    public func savePreferences(_ preferences: NotificationPreferences, email: String, at now: Date) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO preferences (email, dm_priorities, digest_hour, digest_minute, quiet_start_hour, quiet_end_hour, digest_delivery, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(email) DO UPDATE SET dm_priorities = excluded.dm_priorities, digest_hour = excluded.digest_hour,
                    digest_minute = excluded.digest_minute, quiet_start_hour = excluded.quiet_start_hour,
                    quiet_end_hour = excluded.quiet_end_hour, digest_delivery = excluded.digest_delivery, updated_at = excluded.updated_at
                """, arguments: [email.lowercased(), preferences.dmPriorities.map(\.rawValue).joined(separator: ","),
                                 preferences.digestHour, preferences.digestMinute, preferences.quietStartHour, preferences.quietEndHour, preferences.digestDelivery.rawValue, now.storeValue])
            try db.execute(sql: "DELETE FROM snoozes WHERE email = ?", arguments: [email.lowercased()])
            for (customer, until) in preferences.snoozes {
                try db.execute(sql: "INSERT INTO snoozes (email, customer_id, until) VALUES (?, ?, ?)", arguments: [email.lowercased(), customer, until.storeValue])
            }
        }
    }

    /// Records a CSM's note or escalation request on a ticket, with its history event, in one
    /// transaction. Write-back to the support system picks up `pending` actions.
    public func recordAction(_ action: TicketAction, ticketID: Int64) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO ticket_actions (ticket_id, kind, actor, body, created_at, writeback_status) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [ticketID, action.kind.rawValue, action.actor, action.body, action.createdAt.storeValue, action.writebackStatus])
            let event = TicketEvent(kind: action.kind == .note ? .noteAdded : .escalationRequested, at: action.createdAt, actor: action.actor, detail: action.body)
            try Self.appendEvents([event], ticketID: ticketID, in: db)
        }
    }

    public func actions(ticketID: Int64) throws -> [TicketAction] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT kind, actor, body, created_at, writeback_status FROM ticket_actions WHERE ticket_id = ? ORDER BY created_at, id", arguments: [ticketID]).map { row in
                TicketAction(kind: TicketAction.Kind(rawValue: row[0]) ?? .note, actor: row[1], body: row[2], createdAt: Date(storeValue: row[3]), writebackStatus: row[4])
            }
        }
    }
}
