import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    static let outboxColumns = """
        id, idempotency_key, alert_id, kind, recipient, parent_id, body_json::text, state, attempts, in_flight_since, channel, ts, created_at,
        message_id, last_error, email_author
        """

    /// Rows due for sending: pending ones whose retry time has come, and in-flight ones a
    /// crashed worker left behind (older than `staleAfter`). Parents come before children.
    public func dueOutbox(at now: Date, staleAfter: TimeInterval, limit: Int) async throws -> [OutboxRow] {
        try await outboxRows("""
            SELECT \(unescaped: Self.outboxColumns) FROM outbox WHERE state IN ('pending', 'in_flight') AND next_attempt_at <= \(now.pg)
              AND (state = 'pending' OR in_flight_since <= \(now.addingTimeInterval(-staleAfter).pg))
            ORDER BY id LIMIT \(limit)
            """)
    }

    public func outboxRow(id: Int64) async throws -> OutboxRow? {
        try await outboxRows("SELECT \(unescaped: Self.outboxColumns) FROM outbox WHERE id = \(id)").first
    }

    /// The row of an outbox key: where a live message is in Slack.
    public func outboxRow(key: String) async throws -> OutboxRow? {
        try await outboxRows("SELECT \(unescaped: Self.outboxColumns) FROM outbox WHERE idempotency_key = \(key)").first
    }

    public func outbox(alertID: Int64) async throws -> [OutboxRow] {
        try await outboxRows("SELECT \(unescaped: Self.outboxColumns) FROM outbox WHERE alert_id = \(alertID) ORDER BY id")
    }

    public func postKeys(alertID: Int64) async throws -> [String] {
        OutboxKeys.postKeys(try await outbox(alertID: alertID), alertID: alertID)
    }

    public func livePostKeys(alertID: Int64) async throws -> [String] {
        OutboxKeys.livePostKeys(try await outbox(alertID: alertID))
    }

    public func outboxCounts() async throws -> [OutboxRow.State: Int] {
        try await read { connection in
            var counts: [OutboxRow.State: Int] = [:]
            for row in try await connection.rows("SELECT state, COUNT(*) FROM outbox GROUP BY state", logger: self.logger) {
                let (state, count) = try row.decode((String, Int).self)
                if let state = OutboxRow.State(rawValue: state) { counts[state] = count }
            }
            return counts
        }
    }

    /// Marks a row as being sent, before the send: after a crash, an in-flight row is
    /// looked for at Slack before it is sent again.
    /// The row is locked with SKIP LOCKED: a replica racing for it gives up at once instead
    /// of waiting for the other's commit, and the version check refuses it afterwards.
    public func claimForDelivery(_ row: OutboxRow, at now: Date) async throws -> Bool {
        try await read { connection in
            try await connection.scalar("""
                UPDATE outbox SET state = 'in_flight', in_flight_since = \(now.pg), attempts = attempts + 1
                WHERE id = (SELECT id FROM outbox WHERE id = \(row.id) AND attempts = \(row.attempts) AND state IN ('pending', 'in_flight')
                            FOR UPDATE SKIP LOCKED)
                RETURNING 1
                """, as: Int32.self, logger: self.logger) != nil
        }
    }

    public func markSent(_ id: Int64, channel: String, ts: String, at now: Date) async throws {
        try await execute("UPDATE outbox SET state = 'sent', channel = \(channel), ts = \(ts), sent_at = \(now.pg), last_error = NULL WHERE id = \(id)")
    }

    /// A failed attempt: retried at `retryAt`, or given up on (`failed`) when nil.
    public func markAttemptFailed(_ id: Int64, error: String, retryAt: Date?) async throws {
        if let retryAt {
            try await execute("UPDATE outbox SET state = 'pending', in_flight_since = NULL, next_attempt_at = \(retryAt.pg), last_error = \(error) WHERE id = \(id)")
        } else {
            try await execute("UPDATE outbox SET state = 'failed', last_error = \(error) WHERE id = \(id)")
        }
    }

    /// Whether an update of the same message, queued after `id`, was already sent.
    public func newerUpdateSent(than id: Int64, parentID: Int64) async throws -> Bool {
        try await read { connection in
            try await connection.scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE parent_id = \(parentID) AND kind = 'update' AND id > \(id) AND state = 'sent')",
                                        as: Bool.self, logger: self.logger) ?? false
        }
    }

    /// A message deleted in Slack was posted again: where it now is.
    public func repoint(_ id: Int64, channel: String, ts: String) async throws {
        try await execute("UPDATE outbox SET channel = \(channel), ts = \(ts) WHERE id = \(id)")
    }

    /// Routine alerts waiting for each person's digest.
    public func pendingDigestItems() async throws -> [String: [StoredAlert]] {
        try await read { connection in
            var items: [String: [StoredAlert]] = [:]
            for row in try await connection.rows("""
                SELECT a.id, a.body_json::text, a.status, a.acknowledged_by, a.acknowledged_at, a.updated_at, d.email
                FROM digest_items d JOIN alerts a ON a.id = d.alert_id
                WHERE d.outbox_id IS NULL ORDER BY d.email COLLATE "C", a.detected_at, d.id
                """, logger: self.logger) {
                let email = try row.makeRandomAccess()[6].decode(String.self)
                if let alert = try Self.storedAlert(row) { items[email, default: []].append(alert) }
            }
            return items
        }
    }

    /// When a person's last digest was queued.
    public func lastDigest(email: String) async throws -> Date? {
        let prefix = "digest:" + email.lowercased() + ":"
        return try await read { connection in
            try await connection.scalar("SELECT MAX(created_at) FROM outbox WHERE starts_with(idempotency_key, \(prefix))", as: Double?.self, logger: self.logger)?
                .map(Date.init(pg:))
        }
    }

    /// Queues a digest and marks its items as sent in it, in one transaction.
    public func queueDigest(_ message: OutboxMessage, email: String, alertIDs: [Int64], at now: Date) async throws {
        try await queueDigests([message], email: email, alertIDs: alertIDs, at: now)
    }

    /// Queues one digest as several messages (a Slack DM and an email) and marks its items
    /// as sent in the first, in one transaction: a crash queues all of them or none.
    public func queueDigests(_ messages: [OutboxMessage], email: String, alertIDs: [Int64], at now: Date) async throws {
        guard let first = messages.first else { return }
        try await write { connection in
            try await self.enqueue(messages, alertID: nil, at: now, on: connection)
            guard let outboxID = try await connection.scalar("SELECT id FROM outbox WHERE idempotency_key = \(first.key)", as: Int64.self, logger: self.logger) else { return }
            try await connection.run("""
                UPDATE digest_items SET outbox_id = \(outboxID) WHERE email = \(email.lowercased()) AND alert_id = ANY(\(alertIDs)) AND outbox_id IS NULL
                """, logger: self.logger)
        }
    }

    func outboxRows(_ query: PostgresQuery) async throws -> [OutboxRow] {
        try await read { connection in try await connection.rows(query, logger: self.logger).compactMap(Self.outboxRow) }
    }

    /// Runs one statement on its own (it is its own transaction).
    func execute(_ query: PostgresQuery) async throws {
        try await read { connection in try await connection.run(query, logger: self.logger) }
    }

    static func outboxRow(_ row: PostgresRow) throws -> OutboxRow? {
        let r = row.makeRandomAccess()
        let body = try r[6].decode(String.self)
        guard let reply = try? StoreJSON.decoder.decode(Reply.self, from: Data(body.utf8)),
              let kind = OutboxMessage.Kind(rawValue: try r[3].decode(String.self)), let state = OutboxRow.State(rawValue: try r[7].decode(String.self)) else { return nil }
        return OutboxRow(
            id: try r[0].decode(Int64.self), key: try r[1].decode(String.self), alertID: try r[2].decode(Int64?.self), kind: kind,
            recipient: try r[4].decode(String.self), parentID: try r[5].decode(Int64?.self), message: reply, state: state,
            attempts: try r[8].decode(Int.self), inFlightSince: try r[9].decode(Double?.self).map(Date.init(pg:)),
            channel: try r[10].decode(String?.self), ts: try r[11].decode(String?.self), createdAt: Date(pg: try r[12].decode(Double.self)),
            messageID: try r[13].decode(String?.self), lastError: try r[14].decode(String?.self), emailAuthor: try r[15].decode(String?.self)
        )
    }
}
