import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

/// The mapping between `Ticket` and a `tickets` row, by column position (`TicketColumns`).
enum PostgresTicketRow {
    static let columns = TicketColumns.names
    static let selection = TicketColumns.selection
    static let metricsSelection = TicketColumns.metricsSelection

    static let insertIfNewSQL = "INSERT INTO tickets (\(columns.joined(separator: ", "))) VALUES ("
        + (1...columns.count).map { "$\($0)" }.joined(separator: ", ") + ") ON CONFLICT (source, external_id) DO NOTHING RETURNING id"
    static let updateSQL = "UPDATE tickets SET " + columns.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", ")
        + " WHERE id = $\(columns.count + 1)"

    /// The ticket's values in `columns` order.
    static func bindings(_ t: Ticket) -> PostgresBindings {
        var b = PostgresBindings(capacity: columns.count + 1)
        append(t, to: &b)
        return b
    }

    /// `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING` for `count` tickets, returning the
    /// ids and keys of those that were new.
    static func insertIfNewSQL(count: Int) -> String {
        let tuples = (0..<count).map { row in "(" + (1...columns.count).map { "$\(row * columns.count + $0)" }.joined(separator: ", ") + ")" }
        return "INSERT INTO tickets (\(columns.joined(separator: ", "))) VALUES " + tuples.joined(separator: ", ")
            + " ON CONFLICT (source, external_id) DO NOTHING RETURNING id, source, external_id"
    }

    /// Appends the ticket's values in `columns` order.
    static func append(_ t: Ticket, to b: inout PostgresBindings) {
        b.append(t.source.rawValue); b.append(t.externalID); b.append(t.customerID); b.append(t.matchRule)
        b.append(t.subject); b.append(t.description); b.append(t.status.rawValue)
        b.append(t.priority.rawValue); b.append(t.category.rawValue); b.append(t.storedTags)
        b.append(t.requesterEmail); b.append(t.assignee); b.append(t.createdAt.pg); b.append(t.updatedAt.pg)
        b.append(t.firstResponseAt.pg); b.append(t.solvedAt.pg); b.append(t.closedAt.pg)
        b.append(t.csat?.score); b.append(t.csat?.rawValue); b.append(t.csat?.comment)
        b.append(t.storedCSATAt.pg)
        b.append(t.escalation != nil); b.append(t.escalation?.reason); b.append(t.escalation?.level)
        b.append(t.storedEscalatedAt.pg)
        b.append(t.reopenCount); b.append(t.firstResponseDueAt.pg); b.append(t.resolutionDueAt.pg); b.append(t.organizationID)
    }

    /// Decodes a row selected with `selection`. Unknown enum values (a newer writer) fall
    /// back to the same defaults as SQLite's decoding.
    static func decode(_ row: PostgresRow) throws -> StoredTicket {
        let r = row.makeRandomAccess()
        func text(_ i: Int) throws -> String? { try r[i].decode(String?.self) }
        func date(_ i: Int) throws -> Date? { try r[i].decode(Double?.self).map(Date.init(pg:)) }
        func int(_ i: Int) throws -> Int? { try r[i].decode(Int?.self) }
        let tags = try text(10) ?? ""
        let csat: CSATRating? = try int(18).map { CSATRating(score: $0, rawValue: try text(19), comment: try text(20), ratedAt: try date(21)) }
        let escalated = try r[22].decode(Bool.self)
        var ticket = Ticket(
            source: SourceSystem(rawValue: try text(1) ?? "") ?? .webhook,
            externalID: try text(2) ?? "",
            customerID: try text(3),
            matchRule: try text(4),
            subject: try text(5) ?? "",
            description: try text(6) ?? "",
            status: TicketStatus(rawValue: try text(7) ?? "") ?? .open,
            priority: Priority(rawValue: try text(8) ?? "") ?? .p3,
            category: TicketCategory(rawValue: try text(9) ?? "") ?? .other,
            tags: tags.isEmpty ? [] : words(tags),
            requesterEmail: try text(11),
            assignee: try text(12),
            createdAt: try date(13) ?? Date(pg: 0),
            updatedAt: try date(14),
            firstResponseAt: try date(15),
            solvedAt: try date(16),
            closedAt: try date(17),
            csat: csat,
            escalation: escalated ? Escalation(reason: try text(23), level: try int(24) ?? 1, escalatedAt: try date(25)) : nil,
            reopenCount: try int(26) ?? 0,
            firstResponseDueAt: try date(27),
            resolutionDueAt: try date(28)
        )
        // Set apart: one more argument puts the initializer past the type checker's patience.
        ticket.organizationID = try text(29)
        return StoredTicket(id: try r[0].decode(Int64.self), ticket: ticket)
    }

    /// The space-separated tags of a row, split on the UTF-8 bytes (cheaper than grapheme breaking).
    static func words(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }
}
