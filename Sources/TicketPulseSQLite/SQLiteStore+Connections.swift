import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    // MARK: Connection state

    /// The connector state saved for `connection` (JSON, the connectors' format), if any.
    public func connectionState(_ connection: String) throws -> Data? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT state_json FROM connection_state WHERE connection = ?", arguments: [connection]).map { Data($0.utf8) }
        }
    }

    public func saveConnectionState(_ state: Data, connection: String, at now: Date) throws {
        try write { db in try Self.saveConnectionState(state, connection: connection, at: now, in: db) }
    }

    public func connectionStateNames() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT connection FROM connection_state ORDER BY connection") }
    }

    /// Upserts a page of tickets and saves the connection's state (its cursor after the
    /// page) in one transaction: after a crash either both are there or neither is.
    @discardableResult
    public func upsert(_ tickets: [Ticket], at now: Date, savingState state: Data, connection: String) throws -> [UpsertResult] {
        try write { db in
            let results = try Self.upsert(tickets, at: now, in: db)
            try Self.saveConnectionState(state, connection: connection, at: now, in: db)
            return results
        }
    }

    static func saveConnectionState(_ state: Data, connection: String, at now: Date, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO connection_state (connection, state_json, updated_at) VALUES (?, ?, ?)
            ON CONFLICT(connection) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at
            """, arguments: [connection, String(decoding: state, as: UTF8.self), now.storeValue])
    }

    // MARK: Counts for `ticketpulse connections`

    /// Tickets of `source` whose external id starts with `externalIDPrefix` (one connection's).
    public func ticketCount(source: SourceSystem, externalIDPrefix: String = "") throws -> (total: Int, unmatched: Int) {
        try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), COALESCE(SUM(customer_id IS NULL), 0) FROM tickets
                WHERE source = ? AND substr(external_id, 1, ?) = ?
                """, arguments: [source.rawValue, externalIDPrefix.count, externalIDPrefix])
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }

    /// Tickets no customer claims, newest first, through the partial index.
    public func unmatchedTickets(limit: Int = 100_000) throws -> [StoredTicket] {
        try read { db in
            try TicketStatementReader.storedTickets(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE customer_id IS NULL ORDER BY created_at DESC LIMIT ?",
                                                    arguments: [limit])
        }
    }

    public func unmatchedTicketCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE customer_id IS NULL") ?? 0 }
    }

    // MARK: Write-back outbox

    /// Pending actions whose retry time has come, oldest first.
    public func dueWritebacks(at now: Date, limit: Int) throws -> [StoredWriteback] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, t.source, t.external_id, a.kind, a.actor, a.body, a.writeback_attempts
                FROM ticket_actions a JOIN tickets t ON t.id = a.ticket_id
                WHERE a.writeback_status = 'pending' AND (a.writeback_retry_at IS NULL OR a.writeback_retry_at <= ?)
                ORDER BY a.id LIMIT ?
                """, arguments: [now.storeValue, limit]).compactMap { row in
                guard let source = SourceSystem(rawValue: row[1]), let kind = TicketAction.Kind(rawValue: row[3]) else { return nil }
                return StoredWriteback(id: row[0], source: source, externalID: row[2], kind: kind, actor: row[4], body: row[5], attempts: row[6])
            }
        }
    }

    public func markWrittenBack(actionID: Int64, at now: Date) throws {
        try write { db in
            try db.execute(sql: "UPDATE ticket_actions SET writeback_status = 'written', written_back_at = ?, writeback_error = NULL WHERE id = ?",
                           arguments: [now.storeValue, actionID])
        }
    }

    /// `retryAt == nil` gives up for good (status `failed`); otherwise the action stays pending.
    public func markWritebackFailed(actionID: Int64, error: String, retryAt: Date?) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE ticket_actions SET writeback_attempts = writeback_attempts + 1, writeback_error = ?,
                    writeback_retry_at = ?, writeback_status = CASE WHEN ? IS NULL THEN 'failed' ELSE writeback_status END
                WHERE id = ?
                """, arguments: [error, retryAt?.storeValue, retryAt?.storeValue, actionID])
        }
    }
}
