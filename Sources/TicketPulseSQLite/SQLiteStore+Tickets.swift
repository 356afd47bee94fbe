import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// Inserts or updates tickets by (source, external id) and appends the history events
    /// of what changed, all in one transaction. Upserting the same ticket twice changes nothing.
    @discardableResult
    public func upsert(_ tickets: [Ticket], at now: Date) throws -> [UpsertResult] {
        try write { db in try Self.upsert(tickets, at: now, in: db) }
    }

    @discardableResult
    public func upsert(_ ticket: Ticket, at now: Date) throws -> UpsertResult {
        try upsert([ticket], at: now)[0]
    }

    /// Upserts `tickets` in order inside the caller's transaction, one result each.
    static func upsert(_ tickets: [Ticket], at now: Date, in db: Database) throws -> [UpsertResult] {
        let statements = UpsertStatements(db)
        return try tickets.map { try upsert($0, at: now, in: db, statements) }
    }

    private static func upsert(_ ticket: Ticket, at now: Date, in db: Database, _ statements: UpsertStatements) throws -> UpsertResult {
        // Most tickets a sync sees are new: try the insert first and only read the stored
        // row when the (source, external id) is already there.
        try TicketRow.execute(statements.ticketInsertIfNew(), ticket, in: db)
        if db.changesCount > 0 {
            let id = db.lastInsertedRowID
            let events = TicketEvent.changes(from: nil, to: ticket, at: now)
            try appendEvents(events, ticketID: id, in: db, statements)
            return UpsertResult(ticketID: id, inserted: true, events: events, previous: nil)
        }
        let existing = try TicketStatementReader.storedTickets(db, statements.ticketSelect(), arguments: [ticket.source.rawValue, ticket.externalID])[0]
        let old = existing.ticket
        guard let ticket = TicketMerge.merged(ticket, over: old) else {
            return UpsertResult(ticketID: existing.id, inserted: false, events: [], previous: old)
        }
        let events = TicketEvent.changes(from: old, to: ticket, at: now)
        try TicketRow.execute(statements.ticketUpdate(), ticket, id: existing.id, in: db)
        try appendEvents(events, ticketID: existing.id, in: db, statements)
        return UpsertResult(ticketID: existing.id, inserted: false, events: events, previous: old)
    }

    static func appendEvents(_ events: [TicketEvent], ticketID: Int64, in db: Database) throws {
        try appendEvents(events, ticketID: ticketID, in: db, UpsertStatements(db))
    }

    private static func appendEvents(_ events: [TicketEvent], ticketID: Int64, in db: Database, _ statements: UpsertStatements) throws {
        guard !events.isEmpty else { return }
        var binder = StatementBinder(try statements.eventInsert(rows: events.count))
        for event in events {
            binder.bind(ticketID); binder.bind(event.kind.rawValue); binder.bind(event.at)
            binder.bind(event.from); binder.bind(event.to); binder.bind(event.actor); binder.bind(event.detail)
        }
        try binder.run(in: db)
    }

    public func ticket(source: SourceSystem, externalID: String) throws -> StoredTicket? {
        try read { db in
            try TicketStatementReader.storedTickets(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE source = ? AND external_id = ?",
                                                    arguments: [source.rawValue, externalID]).first
        }
    }

    /// Tickets whose external id is `externalID` in any system (people quote "#4521" without
    /// saying where it lives).
    public func tickets(externalID: String) throws -> [StoredTicket] {
        try read { db in
            try TicketStatementReader.storedTickets(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE external_id = ?", arguments: [externalID])
        }
    }

    public func events(ticketID: Int64) throws -> [TicketEvent] {
        try read { db in
            try Row.cachedAll(db, sql: "SELECT kind, at, from_value, to_value, actor, detail FROM ticket_events WHERE ticket_id = ? ORDER BY at, id", arguments: [ticketID]).map { row in
                TicketEvent(kind: TicketEvent.Kind(rawValue: row[0]) ?? .status, at: Date(storeValue: row[1]), from: row[2], to: row[3], actor: row[4], detail: row[5])
            }
        }
    }

    public func ticketCount() throws -> Int {
        try read { db in try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM tickets")! }
    }

    public func eventCount() throws -> Int {
        try read { db in try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM ticket_events")! }
    }
}
