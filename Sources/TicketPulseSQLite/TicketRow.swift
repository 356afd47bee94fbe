import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

/// The mapping between `Ticket` and a `tickets` row, by column position so that reading
/// a hundred thousand rows stays cheap.
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

    /// Decodes a row selected with `selection`. Unknown enum values (a newer writer) fall
    /// back to safe defaults rather than failing the whole query.
    static func decode(_ row: Row) -> StoredTicket {
        func date(_ index: Int) -> Date? { (row[index] as Double?).map(Date.init(storeValue:)) }
        let tags: String = row[10]
        let csat: CSATRating? = (row[18] as Int?).map { CSATRating(score: $0, rawValue: row[19], comment: row[20], ratedAt: date(21)) }
        let escalated: Bool = row[22]
        var ticket = Ticket(
            source: SourceSystem(rawValue: row[1]) ?? .webhook,
            externalID: row[2],
            customerID: row[3],
            matchRule: row[4],
            subject: row[5],
            description: row[6],
            status: TicketStatus(rawValue: row[7]) ?? .open,
            priority: Priority(rawValue: row[8]) ?? .p3,
            category: TicketCategory(rawValue: row[9]) ?? .other,
            tags: tags.isEmpty ? [] : Self.words(tags),
            requesterEmail: row[11],
            assignee: row[12],
            createdAt: date(13)!,
            updatedAt: date(14),
            firstResponseAt: date(15),
            solvedAt: date(16),
            closedAt: date(17),
            csat: csat,
            escalation: escalated ? Escalation(reason: row[23], level: row[24] ?? 1, escalatedAt: date(25)) : nil,
            reopenCount: row[26],
            firstResponseDueAt: date(27),
            resolutionDueAt: date(28)
        )
        // Set apart: one more argument puts the initializer past the type checker's patience.
        ticket.organizationID = row[29]
        return StoredTicket(id: row[0], ticket: ticket)
    }

    /// The space-separated tags of a row, split on the UTF-8 bytes: `split` over
    /// Characters (grapheme breaking) was a third of decoding a ticket.
    static func words(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }
}
