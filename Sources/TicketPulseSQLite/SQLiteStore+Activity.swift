import Foundation
import GRDB
import GRDBSQLite
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// What the detectors need, per customer: tickets created or rated since `horizon`, and
    /// every unresolved one. Descriptions are left out: detectors read subjects only, and
    /// skipping them keeps a full pass over a large store cheap.
    ///
    /// A full pass reads ~170,000 tickets of a million-ticket store. Decoding them through
    /// GRDB's `Row` (a copied row, then a generic, unspecialised decode per column) took
    /// 3 s of the 2 s budget; reading the columns straight from the statement into each
    /// customer's list takes a fraction of that.
    public func activity(customerIDs: [String]?, since horizon: Date) throws -> [CustomerActivity] {
        let customers = try customers(ids: customerIDs)
        guard !customers.isEmpty else { return [] }
        let slots = Dictionary(customers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let lists: [[Ticket]] = try read { db in
            let statement: Statement
            if let customerIDs {
                // A few customers (a webhook's, a CSM's): their rows through the customer index.
                statement = try db.makeStatement(sql: """
                    SELECT \(ActivityRow.columns) FROM tickets
                    WHERE (created_at >= ? OR status IN ('new', 'open', 'pending', 'on_hold') OR csat_at >= ?)
                      AND customer_id IN (\(databaseQuestionMarks(count: customerIDs.count))) AND status != 'deleted'
                    """)
                try statement.setArguments([horizon.storeValue, horizon.storeValue] + StatementArguments(customerIDs))
            } else {
                // Everyone: the wanted rows' ids from the three small indexes, then those rows
                // in id order, rather than a scan of the whole table for the recent sixth of it.
                statement = try db.makeStatement(sql: """
                    SELECT \(ActivityRow.columns) FROM tickets
                    WHERE id IN (
                        SELECT id FROM tickets WHERE created_at >= ?
                        UNION SELECT id FROM tickets INDEXED BY tickets_customer_unresolved WHERE status IN ('new', 'open', 'pending', 'on_hold')
                        UNION SELECT id FROM tickets WHERE csat_at >= ?)
                      AND customer_id IS NOT NULL AND status != 'deleted'
                    """)
                try statement.setArguments([horizon.storeValue, horizon.storeValue])
            }
            var lists = Array(repeating: [Ticket](), count: customers.count)
            let row = ActivityRow(statement: statement.sqliteStatement)
            while true {
                let code = sqlite3_step(row.statement)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                guard let customerID = row.text(2), let slot = slots[customerID] else { continue }
                // The roster's own id string, shared by all of the customer's tickets.
                lists[slot].append(row.ticket(customerID: customers[slot].id))
            }
            sqlite3_reset(row.statement)
            return lists
        }
        return zip(customers, lists).map { CustomerActivity(customer: $0, tickets: $1) }
    }
}

/// One `tickets` row read column by column from the stepping statement. Mirrors
/// `TicketRow.decode` (same fallbacks for unknown values), without the description; the
/// store tests compare the two field by field.
private struct ActivityRow {
    static let columns = """
        source, external_id, customer_id, match_rule, subject, status, priority, category, tags, requester_email, \
        assignee, created_at, updated_at, first_response_at, solved_at, closed_at, csat_score, csat_raw, csat_comment, \
        csat_at, escalated, escalation_reason, escalation_level, escalated_at, reopen_count, first_response_due_at, \
        resolution_due_at, organization_id
        """

    let statement: SQLiteStatement

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    func int(_ column: Int32) -> Int? { isNull(column) ? nil : Int(sqlite3_column_int64(statement, column)) }

    func date(_ column: Int32) -> Date? { isNull(column) ? nil : Date(storeValue: sqlite3_column_double(statement, column)) }

    /// Space-separated tags, split on the bytes: a generic `String.split` per row cost more
    /// than reading the rest of the row.
    func tags(_ column: Int32) -> [String] {
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

    func ticket(customerID: String) -> Ticket {
        let csat = int(16).map { CSATRating(score: $0, rawValue: text(17), comment: text(18), ratedAt: date(19)) }
        let escalated = sqlite3_column_int64(statement, 20) != 0
        var ticket = Ticket(
            source: text(0).flatMap(SourceSystem.init(rawValue:)) ?? .webhook,
            externalID: text(1) ?? "",
            customerID: customerID,
            matchRule: text(3),
            subject: text(4) ?? "",
            status: text(5).flatMap(TicketStatus.init(rawValue:)) ?? .open,
            priority: text(6).flatMap(Priority.init(rawValue:)) ?? .p3,
            category: text(7).flatMap(TicketCategory.init(rawValue:)) ?? .other,
            tags: tags(8),
            requesterEmail: text(9),
            assignee: text(10),
            createdAt: date(11) ?? Date(storeValue: 0),
            updatedAt: date(12),
            firstResponseAt: date(13),
            solvedAt: date(14),
            closedAt: date(15),
            csat: csat,
            escalation: escalated ? Escalation(reason: text(21), level: int(22) ?? 1, escalatedAt: date(23)) : nil,
            reopenCount: int(24) ?? 0,
            firstResponseDueAt: date(25),
            resolutionDueAt: date(26)
        )
        // Set apart: one more argument puts the initializer past the type checker's patience.
        ticket.organizationID = text(27)
        return ticket
    }
}
