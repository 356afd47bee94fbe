import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// Inserts or updates tickets by (source, external id) and appends the history events
    /// of what changed, all in one transaction. Upserting the same ticket twice changes nothing.
    @discardableResult
    public func upsert(_ tickets: [Ticket], at now: Date) throws -> [UpsertResult] {
        try write { db in try tickets.map { try Self.upsert($0, at: now, in: db) } }
    }

    @discardableResult
    public func upsert(_ ticket: Ticket, at now: Date) throws -> UpsertResult {
        try upsert([ticket], at: now)[0]
    }

    static func upsert(_ ticket: Ticket, at now: Date, in db: Database) throws -> UpsertResult {
        // Most tickets a sync sees are new: try the insert first and only read the stored
        // row when the (source, external id) is already there.
        try TicketRow.execute(db.cachedStatement(sql: TicketRow.insertIfNewSQL), ticket, in: db)
        if db.changesCount > 0 {
            let id = db.lastInsertedRowID
            let events = TicketEvent.changes(from: nil, to: ticket, at: now)
            try appendEvents(events, ticketID: id, in: db)
            return UpsertResult(ticketID: id, inserted: true, events: events, previous: nil)
        }
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(TicketRow.selection) FROM tickets WHERE source = ? AND external_id = ?"),
            arguments: [ticket.source.rawValue, ticket.externalID]
        ).map(TicketRow.decode)!
        let old = existing.ticket
        guard let ticket = TicketMerge.merged(ticket, over: old) else {
            return UpsertResult(ticketID: existing.id, inserted: false, events: [], previous: old)
        }
        let events = TicketEvent.changes(from: old, to: ticket, at: now)
        try TicketRow.execute(db.cachedStatement(sql: TicketRow.updateSQL), ticket, id: existing.id, in: db)
        try appendEvents(events, ticketID: existing.id, in: db)
        return UpsertResult(ticketID: existing.id, inserted: false, events: events, previous: old)
    }

    static func appendEvents(_ events: [TicketEvent], ticketID: Int64, in db: Database) throws {
        guard !events.isEmpty else { return }
        // One multi-row INSERT per ticket: a first sighting writes three or four events.
        let sql = "INSERT INTO ticket_events (ticket_id, kind, at, from_value, to_value, actor, detail) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: events.count).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: sql)
        var binder = StatementBinder(statement)
        for event in events {
            binder.bind(ticketID); binder.bind(event.kind.rawValue); binder.bind(event.at)
            binder.bind(event.from); binder.bind(event.to); binder.bind(event.actor); binder.bind(event.detail)
        }
        try binder.run(in: db)
    }


    public func ticket(source: SourceSystem, externalID: String) throws -> StoredTicket? {
        try read { db in
            try Row.cachedOne(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE source = ? AND external_id = ?",
                             arguments: [source.rawValue, externalID]).map(TicketRow.decode)
        }
    }

    /// Tickets whose external id is `externalID` in any system (people quote "#4521" without
    /// saying where it lives).
    public func tickets(externalID: String) throws -> [StoredTicket] {
        try read { db in
            try Row.cachedAll(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE external_id = ?", arguments: [externalID]).map(TicketRow.decode)
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
