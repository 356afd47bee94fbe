import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    // MARK: Connection state

    /// The connector state saved for `connection` (JSON, the connectors' format), if any.
    public func connectionState(_ connection: String) async throws -> Data? {
        try await read { db in
            try await db.scalar("SELECT state_json::text FROM connection_state WHERE connection = \(connection)", as: String.self, logger: self.logger).map { Data($0.utf8) }
        }
    }

    public func saveConnectionState(_ state: Data, connection: String, at now: Date) async throws {
        try await write { db in try await self.saveConnectionState(state, connection: connection, at: now, on: db) }
    }

    public func connectionStateNames() async throws -> [String] {
        try await read { db in
            try await db.rows("SELECT connection FROM connection_state ORDER BY connection COLLATE \"C\"", logger: self.logger).map { try $0.decode(String.self) }
        }
    }

    /// A page of tickets and the connection's state after it (its cursor), in one
    /// transaction: after a crash either both are there or neither is.
    @discardableResult
    public func upsert(_ tickets: [Ticket], at now: Date, savingState state: Data, connection: String) async throws -> [UpsertResult] {
        try await write { db in
            let results = try await self.upsert(tickets, at: now, on: db)
            try await self.saveConnectionState(state, connection: connection, at: now, on: db)
            return results
        }
    }

    func saveConnectionState(_ state: Data, connection: String, at now: Date, on db: PostgresConnection) async throws {
        try await db.run("""
            INSERT INTO connection_state (connection, state_json, updated_at) VALUES (\(connection), \(String(decoding: state, as: UTF8.self))::json, \(now.pg))
            ON CONFLICT (connection) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at
            """, logger: logger)
    }

    // MARK: Counts for `ticketpulse connections`

    /// Tickets of `source` whose external id starts with `externalIDPrefix` (one connection's).
    public func ticketCount(source: SourceSystem, externalIDPrefix: String) async throws -> (total: Int, unmatched: Int) {
        try await read { db in
            let rows = try await db.rows("""
                SELECT COUNT(*), COUNT(*) FILTER (WHERE customer_id IS NULL) FROM tickets
                WHERE source = \(source.rawValue) AND starts_with(external_id, \(externalIDPrefix))
                """, logger: self.logger)
            guard let row = rows.first else { return (0, 0) }
            let (total, unmatched) = try row.decode((Int, Int).self)
            return (total, unmatched)
        }
    }

    /// Tickets no customer claims, newest first, through the partial index.
    public func unmatchedTickets(limit: Int) async throws -> [StoredTicket] {
        try await read { db in
            try await db.rows("SELECT \(unescaped: PostgresTicketRow.selection) FROM tickets WHERE customer_id IS NULL ORDER BY created_at DESC, id DESC LIMIT \(limit)",
                              logger: self.logger).map(PostgresTicketRow.decode)
        }
    }

    public func unmatchedTicketCount() async throws -> Int {
        try await read { db in try await db.scalar("SELECT COUNT(*) FROM tickets WHERE customer_id IS NULL", as: Int.self, logger: self.logger) ?? 0 }
    }

    // MARK: Write-back outbox

    /// Pending actions whose retry time has come, oldest first.
    public func dueWritebacks(at now: Date, limit: Int) async throws -> [StoredWriteback] {
        try await read { db in
            try await db.rows("""
                SELECT a.id, t.source, t.external_id, a.kind, a.actor, a.body, a.writeback_attempts
                FROM ticket_actions a JOIN tickets t ON t.id = a.ticket_id
                WHERE a.writeback_status = 'pending' AND (a.writeback_retry_at IS NULL OR a.writeback_retry_at <= \(now.pg))
                ORDER BY a.id LIMIT \(limit)
                """, logger: self.logger).compactMap { row in
                let (id, source, externalID, kind, actor, body, attempts) = try row.decode((Int64, String, String, String, String, String, Int).self)
                guard let source = SourceSystem(rawValue: source), let kind = TicketAction.Kind(rawValue: kind) else { return nil }
                return StoredWriteback(id: id, source: source, externalID: externalID, kind: kind, actor: actor, body: body, attempts: attempts)
            }
        }
    }

    public func markWrittenBack(actionID: Int64, at now: Date) async throws {
        try await execute("UPDATE ticket_actions SET writeback_status = 'written', written_back_at = \(now.pg), writeback_error = NULL WHERE id = \(actionID)")
    }

    /// `retryAt == nil` gives up for good (status `failed`); otherwise the action stays pending.
    public func markWritebackFailed(actionID: Int64, error: String, retryAt: Date?) async throws {
        try await execute("""
            UPDATE ticket_actions SET writeback_attempts = writeback_attempts + 1, writeback_error = \(error),
                writeback_retry_at = \(retryAt.pg), writeback_status = CASE WHEN \(retryAt == nil) THEN 'failed' ELSE writeback_status END
            WHERE id = \(actionID)
            """)
    }
}
