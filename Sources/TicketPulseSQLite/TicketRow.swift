import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

/// The mapping between `Ticket` and a `tickets` row's columns, for writing; rows are read
/// by `TicketStatementReader`.
enum TicketRow {
    static let columns = TicketColumns.names
    static let selection = TicketColumns.selection
    static let metricsSelection = TicketColumns.metricsSelection

    static let insertSQL = "INSERT INTO tickets (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    static let insertIfNewSQL = insertSQL + " ON CONFLICT(source, external_id) DO NOTHING"
    static let updateSQL = "UPDATE tickets SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    /// Binds the ticket's values in `columns` order (then `id`, for updates) and runs the statement.
    static func execute(_ statement: Statement, _ t: Ticket, id: Int64? = nil, in db: Database) throws {
        var binder = StatementBinder(statement)
        binder.bind(t.source.rawValue); binder.bind(t.externalID); binder.bind(t.customerID); binder.bind(t.matchRule)
        binder.bind(t.subject); binder.bind(t.description); binder.bind(t.status.rawValue)
        binder.bind(t.priority.rawValue); binder.bind(t.category.rawValue); binder.bind(t.storedTags)
        binder.bind(t.requesterEmail); binder.bind(t.assignee); binder.bind(t.createdAt); binder.bind(t.updatedAt)
        binder.bind(t.firstResponseAt); binder.bind(t.solvedAt); binder.bind(t.closedAt)
        binder.bind(t.csat?.score); binder.bind(t.csat?.rawValue); binder.bind(t.csat?.comment)
        binder.bind(t.storedCSATAt)
        binder.bind(t.escalation != nil); binder.bind(t.escalation?.reason); binder.bind(t.escalation?.level)
        binder.bind(t.storedEscalatedAt)
        binder.bind(t.reopenCount); binder.bind(t.firstResponseDueAt); binder.bind(t.resolutionDueAt); binder.bind(t.organizationID)
        if let id { binder.bind(id) }
        try binder.run(in: db)
    }
}
