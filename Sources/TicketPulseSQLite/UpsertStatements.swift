import GRDB

/// The statements a batch of ticket upserts runs, each found once per batch. GRDB's
/// statement cache is keyed by the SQL text: looking the 30-column INSERT up again for every
/// ticket (hashing its text) and building the events' INSERT text each time were about 3%
/// of a bulk load's CPU.
final class UpsertStatements {
    private let db: Database
    private var insertIfNew: Statement?
    private var select: Statement?
    private var update: Statement?
    /// The events' INSERT by its number of rows (one multi-row INSERT per ticket: a first
    /// sighting writes three or four events).
    private var eventInserts: [Statement?] = []

    init(_ db: Database) { self.db = db }

    func ticketInsertIfNew() throws -> Statement { try cached(&insertIfNew, TicketRow.insertIfNewSQL) }
    func ticketSelect() throws -> Statement { try cached(&select, "SELECT \(TicketRow.selection) FROM tickets WHERE source = ? AND external_id = ?") }
    func ticketUpdate() throws -> Statement { try cached(&update, TicketRow.updateSQL) }

    func eventInsert(rows: Int) throws -> Statement {
        if rows >= eventInserts.count { eventInserts += Array(repeating: nil, count: rows + 1 - eventInserts.count) }
        return try cached(&eventInserts[rows], "INSERT INTO ticket_events (ticket_id, kind, at, from_value, to_value, actor, detail) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
    }

    /// `slot`'s statement, found in GRDB's cache the first time. `sql` is built only then.
    private func cached(_ slot: inout Statement?, _ sql: @autoclosure () -> String) throws -> Statement {
        if let statement = slot { return statement }
        let statement = try db.cachedStatement(sql: sql())
        slot = statement
        return statement
    }
}
