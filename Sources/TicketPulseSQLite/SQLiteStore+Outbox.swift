import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// Rows due for sending: pending ones whose retry time has come, and in-flight ones a
    /// crashed worker left behind (older than `staleAfter`). Parents come before children.
    public func dueOutbox(at now: Date, staleAfter: TimeInterval = 30, limit: Int = 50) throws -> [OutboxRow] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM outbox WHERE state IN ('pending', 'in_flight') AND next_attempt_at <= ?
                  AND (state = 'pending' OR in_flight_since <= ?)
                ORDER BY id LIMIT ?
                """, arguments: [now.storeValue, now.addingTimeInterval(-staleAfter).storeValue, limit]).compactMap(Self.outboxRow)
        }
    }

    public func outboxRow(id: Int64) throws -> OutboxRow? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).flatMap(Self.outboxRow) }
    }

    public func outbox(alertID: Int64) throws -> [OutboxRow] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE alert_id = ? ORDER BY id", arguments: [alertID]).compactMap(Self.outboxRow) }
    }

    public func postKeys(alertID: Int64) throws -> [String] {
        OutboxKeys.postKeys(try outbox(alertID: alertID), alertID: alertID)
    }

    public func livePostKeys(alertID: Int64) throws -> [String] {
        OutboxKeys.livePostKeys(try outbox(alertID: alertID))
    }

    public func outboxCounts() throws -> [OutboxRow.State: Int] {
        try read { db in
            var counts: [OutboxRow.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM outbox GROUP BY state") {
                if let state = OutboxRow.State(rawValue: row[0]) { counts[state] = row[1] }
            }
            return counts
        }
    }

    /// Marks a row as being sent, before the send, unless it changed since it was read:
    /// after a crash, an in-flight row is looked for at Slack before it is sent again.
    public func claimForDelivery(_ row: OutboxRow, at now: Date) throws -> Bool {
        try write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'in_flight', in_flight_since = ?, attempts = attempts + 1
                WHERE id = ? AND attempts = ? AND state IN ('pending', 'in_flight')
                """, arguments: [now.storeValue, row.id, row.attempts])
            return db.changesCount == 1
        }
    }

    public func markSent(_ id: Int64, channel: String, ts: String, at now: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'sent', channel = ?, ts = ?, sent_at = ?, last_error = NULL WHERE id = ?",
                           arguments: [channel, ts, now.storeValue, id])
        }
    }

    /// A failed attempt: retried at `retryAt`, or given up on (`failed`) when nil.
    public func markAttemptFailed(_ id: Int64, error: String, retryAt: Date?) throws {
        try write { db in
            if let retryAt {
                try db.execute(sql: "UPDATE outbox SET state = 'pending', in_flight_since = NULL, next_attempt_at = ?, last_error = ? WHERE id = ?",
                               arguments: [retryAt.storeValue, error, id])
            } else {
                try db.execute(sql: "UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ?", arguments: [error, id])
            }
        }
    }

    /// Routine alerts waiting for each person's digest.
    public func pendingDigestItems() throws -> [String: [StoredAlert]] {
        try read { db in
            var items: [String: [StoredAlert]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT d.email AS digest_email, a.* FROM digest_items d JOIN alerts a ON a.id = d.alert_id
                WHERE d.outbox_id IS NULL ORDER BY d.email, a.detected_at
                """) {
                if let alert = Self.storedAlert(row) { items[row["digest_email"], default: []].append(alert) }
            }
            return items
        }
    }

    /// When a person's last digest was queued.
    public func lastDigest(email: String) throws -> Date? {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT MAX(created_at) FROM outbox WHERE idempotency_key LIKE 'digest:' || ? || ':%'", arguments: [email.lowercased()])
                .map(Date.init(storeValue:))
        }
    }

    /// Queues a digest and marks its items as sent in it, in one transaction.
    public func queueDigest(_ message: OutboxMessage, email: String, alertIDs: [Int64], at now: Date) throws {
        try queueDigests([message], email: email, alertIDs: alertIDs, at: now)
    }

    /// Queues one digest as several messages (a Slack DM and an email) and marks its items
    /// as sent in the first, in one transaction: a crash queues all of them or none.
    public func queueDigests(_ messages: [OutboxMessage], email: String, alertIDs: [Int64], at now: Date) throws {
        guard let first = messages.first else { return }
        try write { db in
            try Self.enqueue(messages, alertID: nil, at: now, in: db)
            guard let outboxID = try Int64.fetchOne(db, sql: "SELECT id FROM outbox WHERE idempotency_key = ?", arguments: [first.key]) else { return }
            for id in alertIDs {
                try db.execute(sql: "UPDATE digest_items SET outbox_id = ? WHERE email = ? AND alert_id = ? AND outbox_id IS NULL",
                               arguments: [outboxID, email.lowercased(), id])
            }
        }
    }

    static func outboxRow(_ row: Row) -> OutboxRow? {
        let body: String = row["body_json"]
        guard let reply = try? StoreJSON.decoder.decode(Reply.self, from: Data(body.utf8)),
              let kind = OutboxMessage.Kind(rawValue: row["kind"]), let state = OutboxRow.State(rawValue: row["state"]) else { return nil }
        return OutboxRow(
            id: row["id"], key: row["idempotency_key"], alertID: row["alert_id"], kind: kind, recipient: row["recipient"],
            parentID: row["parent_id"], message: reply, state: state, attempts: row["attempts"],
            inFlightSince: (row["in_flight_since"] as Double?).map(Date.init(storeValue:)),
            channel: row["channel"], ts: row["ts"], createdAt: Date(storeValue: row["created_at"]), messageID: row["message_id"],
            lastError: row["last_error"], emailAuthor: row["email_author"]
        )
    }
}
