import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// Tickets matching `query`, newest first.
    public func tickets(_ query: TicketQuery) throws -> TicketPage {
        try read { db in
            var clauses: [String] = []
            var arguments = StatementArguments()
            if let ids = query.customerIDs {
                if ids.isEmpty { return TicketPage(tickets: [], totalMatching: 0) }
                clauses.append("customer_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))")
                arguments += StatementArguments(ids)
            }
            let statuses = query.status.statuses.map(\.rawValue)
            clauses.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ",")))")
            arguments += StatementArguments(statuses)
            if let priorities = query.priorities, !priorities.isEmpty {
                clauses.append("priority IN (\(priorities.map { _ in "?" }.joined(separator: ",")))")
                arguments += StatementArguments(priorities.map(\.rawValue))
            }
            if let category = query.category {
                clauses.append("category = ?")
                arguments += [category.rawValue]
            }
            if let period = query.createdIn {
                clauses.append("created_at >= ? AND created_at < ?")
                arguments += [period.start.storeValue, period.end.storeValue]
            }
            if query.escalatedOnly { clauses.append("escalated = 1") }
            let whereSQL = clauses.joined(separator: " AND ")
            let limit = max(0, query.limit)
            var tickets: [StoredTicket] = []
            let from = Self.ticketsTable(query)
            try TicketStatementReader.forEach(db, sql: "SELECT \(TicketRow.selection) FROM \(from) WHERE \(whereSQL) ORDER BY created_at DESC, id DESC LIMIT \(limit)",
                                              arguments: arguments) { tickets.append($0.storedTicket) }
            // A page that is not full holds every match: counting them again would read the
            // same rows a second time.
            let total = tickets.count < limit ? tickets.count : try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM \(from) WHERE \(whereSQL)", arguments: arguments) ?? 0
            return TicketPage(tickets: tickets, totalMatching: total)
        }
    }

    /// Every ticket that can count in metrics for `period`: created in it or the previous
    /// equal period, still unresolved, or resolved, rated or escalated since the previous
    /// period began. This is the input `MetricsCalculator` documents. The tickets carry
    /// no subject, description, tags, requester, assignee or match rule (see
    /// `TicketRow.metricsSelection`): read tickets with `tickets(_:)` to show them.
    public func metricsInput(customerIDs: [String]?, period: Period) throws -> [Ticket] {
        try read { db in
            if customerIDs?.isEmpty == true { return [] }
            let since = period.previous.start.storeValue
            let (filter, ids) = Self.customerFilter(customerIDs)
            // Three disjoint parts, each read from an index, so that a question about a
            // customer's last 30 days costs what those days hold, not the customer's whole
            // history (one `OR` over five columns had to visit every ticket they ever
            // filed): tickets created since the previous period began; older ones still
            // unresolved (the partial index); older resolved ones solved, closed, rated or
            // escalated since then (the index on their latest activity).
            let sql = """
                SELECT \(TicketRow.metricsSelection) FROM tickets WHERE created_at >= ? AND created_at < ?\(filter)
                UNION ALL
                SELECT \(TicketRow.metricsSelection) FROM tickets WHERE created_at < ? AND \(Self.unresolvedSQL)\(filter)
                UNION ALL
                SELECT \(TicketRow.metricsSelection) FROM tickets
                WHERE \(Self.latestActivitySQL) >= ? AND created_at < ? AND NOT \(Self.unresolvedSQL)\(filter)
                """
            let arguments: StatementArguments = [since, period.end.storeValue] + ids + [since] + ids + [since, since] + ids
            return try Self.decodeTickets(db, sql: sql, arguments: arguments)
        }
    }

    /// Tickets created in `period`, deleted ones left out, in no particular order: the
    /// tickets a question about one period's volume counts, read by index alone. They carry
    /// their subjects but no other text (`TicketColumns.subjectSelection`).
    ///
    /// The bounds reach a second past the period, so that no ticket is lost to rounding
    /// between stored seconds and `Date`; callers keep those with `period.contains`.
    public func ticketsCreated(customerIDs: [String]?, in period: Period) throws -> [Ticket] {
        try read { db in
            if customerIDs?.isEmpty == true { return [] }
            let (filter, ids) = Self.customerFilter(customerIDs)
            return try Self.decodeTickets(db, sql: "SELECT \(TicketColumns.subjectSelection) FROM tickets WHERE created_at >= ? AND created_at < ? AND status != 'deleted'\(filter)",
                                          arguments: [period.start.storeValue - Self.boundsMargin, period.end.storeValue + Self.boundsMargin] + ids)
        }
    }

    /// The part of `metricsInput` that SLA figures and open-ticket lists depend on: tickets
    /// created from the period's start (a second early, for rounding) until its end, and
    /// the unresolved ones created before that: `metricsInput` without its third part (old
    /// tickets solved, rated or escalated lately), which SLA figures never count.
    public func slaInput(customerIDs: [String]?, period: Period) throws -> [Ticket] {
        try read { db in
            if customerIDs?.isEmpty == true { return [] }
            let start = period.start.storeValue - Self.boundsMargin
            let (filter, ids) = Self.customerFilter(customerIDs)
            let recent = try Self.decodeTickets(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE created_at >= ? AND created_at < ?\(filter)",
                                                arguments: [start, period.end.storeValue] + ids)
            let older = try Self.decodeTickets(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE created_at < ? AND \(Self.unresolvedSQL)\(filter)",
                                               arguments: [start] + ids)
            return recent + older
        }
    }

    /// Rated tickets of `customerIDs` whose rating falls in `period` (a second either
    /// side, for rounding), created before `createdBefore`, deleted ones left out: all that
    /// CSAT figures over `period` count. Each carries only what those figures read
    /// (`TicketColumns.ratingSelection`), all of it from the index of each customer's
    /// ratings by time (v20), without a row of the table.
    public func ratedTickets(customerIDs: [String]?, ratedIn period: Period, createdBefore: Date) throws -> [Ticket] {
        try read { db in
            if customerIDs?.isEmpty == true { return [] }
            let (filter, ids) = Self.customerFilter(customerIDs)
            let sql = """
                SELECT \(TicketColumns.ratingSelection) FROM tickets
                WHERE csat_score IS NOT NULL AND csat_at >= ? AND csat_at < ? AND created_at < ? AND status != 'deleted'\(filter)
                """
            return try Self.decodeTickets(db, sql: sql, arguments: [period.start.storeValue - Self.boundsMargin, period.end.storeValue + Self.boundsMargin,
                                                                    createdBefore.storeValue] + ids)
        }
    }

    /// The table as a ticket list reads it: escalated tickets through the index of each
    /// customer's escalations, which holds a fiftieth of the tickets. Without the hint,
    /// SQLite's planner (no statistics) may take another index on `customer_id` and read
    /// every ticket a portfolio ever filed to find them.
    static func ticketsTable(_ query: TicketQuery) -> String {
        query.escalatedOnly ? "tickets INDEXED BY tickets_customer_escalated" : "tickets"
    }

    /// The unresolved statuses, written as in the partial index `tickets_customer_unresolved`
    /// so that SQLite uses it.
    static let unresolvedSQL = "status IN ('new', 'open', 'pending', 'on_hold')"

    /// The latest of a ticket's solved, closed, rated and escalated times (0 when none),
    /// written exactly as in the index `tickets_customer_latest_activity` so that SQLite
    /// uses it. Times are seconds since 1970, so 0 is before every period.
    static let latestActivitySQL = "max(coalesce(solved_at, 0), coalesce(closed_at, 0), coalesce(csat_at, 0), coalesce(escalated_at, 0))"

    /// ` AND customer_id IN (?, …)` with its arguments, appended to each part of a query;
    /// nothing for every customer (nil). Callers answer an empty list themselves.
    static func customerFilter(_ customerIDs: [String]?) -> (sql: String, arguments: StatementArguments) {
        guard let customerIDs else { return ("", StatementArguments()) }
        return (" AND customer_id IN (\(databaseQuestionMarks(count: customerIDs.count)))", StatementArguments(customerIDs))
    }

    /// Seconds added around a period's stored bounds; see `ticketsCreated`.
    static let boundsMargin: Double = 1

    static func decodeTickets(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Ticket] {
        try TicketStatementReader.tickets(db, sql: sql, arguments: arguments)
    }
}
