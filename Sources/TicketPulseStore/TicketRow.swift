import Foundation
import GRDB
import TicketPulseCore

/// The mapping between `Ticket` and a `tickets` row, by column position so that reading
/// a hundred thousand rows stays cheap.
enum TicketRow {
    static let columns = [
        "source", "external_id", "customer_id", "match_rule", "subject", "description", "status",
        "priority", "category", "tags", "requester_email", "assignee", "created_at", "updated_at",
        "first_response_at", "solved_at", "closed_at", "csat_score", "csat_raw", "csat_comment", "csat_at",
        "escalated", "escalation_reason", "escalation_level", "escalated_at", "reopen_count",
        "first_response_due_at", "resolution_due_at",
    ]

    /// `id` followed by `columns`, for SELECTs.
    static let selection = "id, " + columns.joined(separator: ", ")

    static let insertSQL = "INSERT INTO tickets (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    static let updateSQL = "UPDATE tickets SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    static func arguments(_ t: Ticket) -> StatementArguments {
        let values: [(any DatabaseValueConvertible)?] = [
            t.source.rawValue, t.externalID, t.customerID, t.matchRule, t.subject, t.description, t.status.rawValue,
            t.priority.rawValue, t.category.rawValue, t.tags.joined(separator: " "), t.requesterEmail, t.assignee,
            t.createdAt.storeValue, t.updatedAt.storeValue,
            t.firstResponseAt?.storeValue, t.solvedAt?.storeValue, t.closedAt?.storeValue,
            t.csat?.score, t.csat?.rawValue, t.csat?.comment, t.csat.map { ($0.ratedAt ?? t.resolvedAt ?? t.updatedAt).storeValue },
            t.escalation != nil, t.escalation?.reason, t.escalation?.level, t.escalation.map { ($0.escalatedAt ?? t.updatedAt).storeValue },
            t.reopenCount, t.firstResponseDueAt?.storeValue, t.resolutionDueAt?.storeValue,
        ]
        return StatementArguments(values)
    }

    /// Decodes a row selected with `selection`. Unknown enum values (a newer writer) fall
    /// back to safe defaults rather than failing the whole query.
    static func decode(_ row: Row) -> StoredTicket {
        func date(_ index: Int) -> Date? { (row[index] as Double?).map(Date.init(storeValue:)) }
        let tags: String = row[10]
        let csat: CSATRating? = (row[18] as Int?).map { CSATRating(score: $0, rawValue: row[19], comment: row[20], ratedAt: date(21)) }
        let escalated: Bool = row[22]
        let ticket = Ticket(
            source: SourceSystem(rawValue: row[1]) ?? .webhook,
            externalID: row[2],
            customerID: row[3],
            matchRule: row[4],
            subject: row[5],
            description: row[6],
            status: TicketStatus(rawValue: row[7]) ?? .open,
            priority: Priority(rawValue: row[8]) ?? .p3,
            category: TicketCategory(rawValue: row[9]) ?? .other,
            tags: tags.isEmpty ? [] : tags.split(separator: " ").map(String.init),
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
        return StoredTicket(id: row[0], ticket: ticket)
    }
}
