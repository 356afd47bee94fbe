import Foundation
import GRDB
import GRDBSQLite
import TicketPulseCore
import TicketPulseStorage

/// A `tickets` row read column by column from the stepping statement, for the lists that
/// answers and detectors read: a portfolio's period is a few thousand rows, a full detector
/// pass ~170,000. Through GRDB's `Row` (a copied row, then a generic, unspecialised decode
/// per column) decoding them cost more than SQLite's reading them. The columns are
/// `TicketColumns.selection`'s, or a selection of the same shape with some texts left out
/// (`metricsSelection`, `activitySelection`). Unknown enum values (a newer writer) fall back
/// to safe defaults rather than failing the whole query. Every read of tickets goes through
/// it, single tickets too, so there is one decoding of a row.
struct TicketStatementReader {
    let statement: SQLiteStatement

    /// Runs the cached statement for `sql` and hands each row to `body`.
    static func forEach(_ db: Database, sql: String, arguments: StatementArguments, _ body: (TicketStatementReader) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        try forEach(db, statement, body)
    }

    /// Steps `statement` (its arguments set) to its end, handing each row to `body`.
    static func forEach(_ db: Database, _ statement: Statement, _ body: (TicketStatementReader) throws -> Void) throws {
        let reader = TicketStatementReader(statement: statement.sqliteStatement)
        defer { sqlite3_reset(reader.statement) }
        while true {
            let code = sqlite3_step(reader.statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            try body(reader)
        }
    }

    /// The rows of `sql` as tickets, in the order SQLite returns them.
    static func tickets(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Ticket] {
        var tickets: [Ticket] = []
        try forEach(db, sql: sql, arguments: arguments) { tickets.append($0.ticket()) }
        return tickets
    }

    /// The rows of `sql` (selecting `TicketColumns.selection`) as stored tickets, in the
    /// order SQLite returns them.
    static func storedTickets(_ db: Database, sql: String, arguments: StatementArguments) throws -> [StoredTicket] {
        try storedTickets(db, db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// The rows of `statement` run with `arguments`, as stored tickets.
    static func storedTickets(_ db: Database, _ statement: Statement, arguments: StatementArguments) throws -> [StoredTicket] {
        try statement.setArguments(arguments)
        var tickets: [StoredTicket] = []
        try forEach(db, statement) { tickets.append($0.storedTicket) }
        return tickets
    }

    var id: Int64 { sqlite3_column_int64(statement, 0) }
    var customerID: String? { text(3) }

    /// The row as a `StoredTicket`.
    var storedTicket: StoredTicket { StoredTicket(id: id, ticket: ticket()) }

    /// The row's ticket. `customerID`, when given, stands in for the column's: the roster's
    /// own id string, shared by all of a customer's tickets.
    func ticket(customerID: String? = nil) -> Ticket {
        let csat = int(18).map { CSATRating(score: $0, rawValue: text(19), comment: text(20), ratedAt: date(21)) }
        let escalated = sqlite3_column_int64(statement, 22) != 0
        var ticket = Ticket(
            source: text(1).flatMap(SourceSystem.init(rawValue:)) ?? .webhook,
            externalID: text(2) ?? "",
            customerID: customerID ?? text(3),
            matchRule: text(4),
            subject: text(5) ?? "",
            description: text(6) ?? "",
            status: text(7).flatMap(TicketStatus.init(rawValue:)) ?? .open,
            priority: text(8).flatMap(Priority.init(rawValue:)) ?? .p3,
            category: text(9).flatMap(TicketCategory.init(rawValue:)) ?? .other,
            tags: tags(10),
            requesterEmail: text(11),
            assignee: text(12),
            createdAt: date(13) ?? Date(storeValue: 0),
            updatedAt: date(14),
            firstResponseAt: date(15),
            solvedAt: date(16),
            closedAt: date(17),
            csat: csat,
            escalation: escalated ? Escalation(reason: text(23), level: int(24) ?? 1, escalatedAt: date(25)) : nil,
            reopenCount: int(26) ?? 0,
            firstResponseDueAt: date(27),
            resolutionDueAt: date(28)
        )
        // Set apart: one more argument puts the initializer past the type checker's patience.
        ticket.organizationID = text(29)
        return ticket
    }

    private func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    private func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    private func int(_ column: Int32) -> Int? { isNull(column) ? nil : Int(sqlite3_column_int64(statement, column)) }

    private func date(_ column: Int32) -> Date? { isNull(column) ? nil : Date(storeValue: sqlite3_column_double(statement, column)) }

    /// Space-separated tags, split on the bytes: a generic `String.split` per row cost more
    /// than reading the rest of the row.
    private func tags(_ column: Int32) -> [String] {
        guard let bytes = sqlite3_column_text(statement, column) else { return [] }
        let buffer = UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column)))
        var tags: [String] = []
        var start = 0
        for index in 0...buffer.count where index == buffer.count || buffer[index] == UInt8(ascii: " ") {
            if index > start { tags.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)) }
            start = index + 1
        }
        return tags
    }
}
