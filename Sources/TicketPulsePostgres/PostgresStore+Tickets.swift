import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    /// Inserts or updates tickets by (source, external id) and appends the history events
    /// of what changed, all in one transaction. Upserting the same ticket twice changes nothing.
    @discardableResult
    public func upsert(_ tickets: [Ticket], at now: Date) async throws -> [UpsertResult] {
        try await write { connection in try await self.upsert(tickets, at: now, on: connection) }
    }

    /// Most tickets a sync page holds are new: they are inserted a batch per statement, with
    /// their history in one more, so a page costs a few round trips rather than two a ticket
    /// (100,000 tickets took 61 s one by one). The rest — already stored, or a second copy
    /// in the same page — are read and diffed one by one, in their order, as before.
    func upsert(_ tickets: [Ticket], at now: Date, on connection: PostgresConnection) async throws -> [UpsertResult] {
        if tickets.count == 1 { return [try await upsert(tickets[0], at: now, on: connection)] }
        var results = [UpsertResult?](repeating: nil, count: tickets.count)
        var firstOfKey: [String: Int] = [:]
        for (index, ticket) in tickets.enumerated() where firstOfKey[Self.key(ticket.source.rawValue, ticket.externalID)] == nil {
            firstOfKey[Self.key(ticket.source.rawValue, ticket.externalID)] = index
        }
        let candidates = firstOfKey.values.sorted()
        // Under PostgreSQL's 65,535 parameters a statement.
        let perStatement = 500
        var newEvents: [(ticketID: Int64, events: [TicketEvent])] = []
        for start in stride(from: 0, to: candidates.count, by: perStatement) {
            let batch = candidates[start..<min(start + perStatement, candidates.count)]
            var binds = PostgresBindings(capacity: batch.count * PostgresTicketRow.columns.count)
            for index in batch { PostgresTicketRow.append(tickets[index], to: &binds) }
            let rows = try await connection.rows(PostgresQuery(unsafeSQL: PostgresTicketRow.insertIfNewSQL(count: batch.count), binds: binds), logger: logger)
            for row in rows {
                let (id, source, externalID) = try row.decode((Int64, String, String).self)
                guard let index = firstOfKey[Self.key(source, externalID)] else { continue }
                let events = TicketEvent.changes(from: nil, to: tickets[index], at: now)
                results[index] = UpsertResult(ticketID: id, inserted: true, events: events, previous: nil)
                newEvents.append((id, events))
            }
        }
        try await appendEvents(newEvents, on: connection)
        for index in tickets.indices where results[index] == nil {
            results[index] = try await upsert(tickets[index], at: now, on: connection)
        }
        return results.map { $0! }
    }

    private static func key(_ source: String, _ externalID: String) -> String { source + "\u{1F}" + externalID }

    func upsert(_ ticket: Ticket, at now: Date, on connection: PostgresConnection) async throws -> UpsertResult {
        // Most tickets a sync sees are new: try the insert first and only read the stored
        // row when the (source, external id) is already there.
        let inserted = try await connection.scalar(PostgresQuery(unsafeSQL: PostgresTicketRow.insertIfNewSQL, binds: PostgresTicketRow.bindings(ticket)),
                                                   as: Int64.self, logger: logger)
        if let id = inserted {
            let events = TicketEvent.changes(from: nil, to: ticket, at: now)
            try await appendEvents(events, ticketID: id, on: connection)
            return UpsertResult(ticketID: id, inserted: true, events: events, previous: nil)
        }
        // FOR UPDATE: another replica's upsert of the same ticket waits for this one, so
        // each diff is made against the copy the other committed.
        let rows = try await connection.rows("""
            SELECT \(unescaped: PostgresTicketRow.selection) FROM tickets WHERE source = \(ticket.source.rawValue) AND external_id = \(ticket.externalID) FOR UPDATE
            """, logger: logger)
        guard let row = rows.first else { throw PostgresStoreError.server("ticket \(ticket.source.rawValue):\(ticket.externalID) vanished during its upsert") }
        let existing = try PostgresTicketRow.decode(row)
        let old = existing.ticket
        guard let merged = TicketMerge.merged(ticket, over: old) else {
            return UpsertResult(ticketID: existing.id, inserted: false, events: [], previous: old)
        }
        let events = TicketEvent.changes(from: old, to: merged, at: now)
        var binds = PostgresTicketRow.bindings(merged)
        binds.append(existing.id)
        try await connection.run(PostgresQuery(unsafeSQL: PostgresTicketRow.updateSQL, binds: binds), logger: logger)
        try await appendEvents(events, ticketID: existing.id, on: connection)
        return UpsertResult(ticketID: existing.id, inserted: false, events: events, previous: old)
    }

    func appendEvents(_ events: [TicketEvent], ticketID: Int64, on connection: PostgresConnection) async throws {
        try await appendEvents([(ticketID, events)], on: connection)
    }

    /// Multi-row INSERTs of several tickets' events: a first sighting writes three or four
    /// each, and a page of new tickets thousands.
    func appendEvents(_ tickets: [(ticketID: Int64, events: [TicketEvent])], on connection: PostgresConnection) async throws {
        let rows = tickets.flatMap { ticket in ticket.events.map { (ticket.ticketID, $0) } }
        // Seven parameters a row, under PostgreSQL's 65,535 a statement.
        for start in stride(from: 0, to: rows.count, by: 5_000) {
            let chunk = rows[start..<min(start + 5_000, rows.count)]
            var binds = PostgresBindings(capacity: chunk.count * 7)
            var values: [String] = []
            values.reserveCapacity(chunk.count)
            for (ticketID, event) in chunk {
                let base = binds.count
                values.append("(" + (1...7).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                binds.append(ticketID); binds.append(event.kind.rawValue); binds.append(event.at.pg)
                binds.append(event.from); binds.append(event.to); binds.append(event.actor); binds.append(event.detail)
            }
            let sql = "INSERT INTO ticket_events (ticket_id, kind, at, from_value, to_value, actor, detail) VALUES " + values.joined(separator: ", ")
            try await connection.run(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        }
    }

    public func ticket(source: SourceSystem, externalID: String) async throws -> StoredTicket? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: PostgresTicketRow.selection) FROM tickets WHERE source = \(source.rawValue) AND external_id = \(externalID)",
                                      logger: self.logger).first.map(PostgresTicketRow.decode)
        }
    }

    /// Tickets whose external id is `externalID` in any system (people quote "#4521" without
    /// saying where it lives).
    public func tickets(externalID: String) async throws -> [StoredTicket] {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: PostgresTicketRow.selection) FROM tickets WHERE external_id = \(externalID) ORDER BY id",
                                      logger: self.logger).map(PostgresTicketRow.decode)
        }
    }

    public func events(ticketID: Int64) async throws -> [TicketEvent] {
        try await read { connection in
            try await connection.rows("SELECT kind, at, from_value, to_value, actor, detail FROM ticket_events WHERE ticket_id = \(ticketID) ORDER BY at, id",
                                      logger: self.logger).map { row in
                let (kind, at, from, to, actor, detail) = try row.decode((String, Double, String?, String?, String?, String?).self)
                return TicketEvent(kind: TicketEvent.Kind(rawValue: kind) ?? .status, at: Date(pg: at), from: from, to: to, actor: actor, detail: detail)
            }
        }
    }

    public func ticketCount() async throws -> Int {
        try await read { connection in try await connection.scalar("SELECT COUNT(*) FROM tickets", as: Int.self, logger: self.logger) ?? 0 }
    }

    public func eventCount() async throws -> Int {
        try await read { connection in try await connection.scalar("SELECT COUNT(*) FROM ticket_events", as: Int.self, logger: self.logger) ?? 0 }
    }

    /// The customer a stored ticket belongs to, if matched.
    public func customerID(ticketID: Int64) async throws -> String? {
        try await read { connection in
            try await connection.scalar("SELECT customer_id FROM tickets WHERE id = \(ticketID)", as: String?.self, logger: self.logger) ?? nil
        }
    }
}
