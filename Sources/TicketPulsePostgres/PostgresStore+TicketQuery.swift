import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    /// Tickets matching `query`, newest first.
    public func tickets(_ query: TicketQuery) async throws -> TicketPage {
        if query.customerIDs?.isEmpty == true { return TicketPage(tickets: [], totalMatching: 0) }
        var sql = PostgresSQL()
        var clauses: [String] = []
        if let ids = query.customerIDs { clauses.append("customer_id = ANY(\(sql.bind(ids)))") }
        clauses.append("status = ANY(\(sql.bind(query.status.statuses.map(\.rawValue))))")
        if let priorities = query.priorities, !priorities.isEmpty {
            clauses.append("priority = ANY(\(sql.bind(priorities.map(\.rawValue))))")
        }
        if let category = query.category { clauses.append("category = \(sql.bind(category.rawValue))") }
        if let period = query.createdIn {
            clauses.append("created_at >= \(sql.bind(period.start.pg)) AND created_at < \(sql.bind(period.end.pg))")
        }
        if query.escalatedOnly { clauses.append("escalated") }
        let whereSQL = clauses.joined(separator: " AND ")
        let limit = max(0, query.limit)
        var page = sql
        page.append("SELECT \(PostgresTicketRow.selection) FROM tickets WHERE \(whereSQL) ORDER BY created_at DESC, id DESC LIMIT \(limit)")
        var count = sql
        count.append("SELECT COUNT(*) FROM tickets WHERE \(whereSQL)")
        let (pageQuery, countQuery) = (page.query, count.query)
        return try await snapshot { connection in
            let rows = try await connection.rows(pageQuery, logger: self.logger)
            // A page that is not full holds every match: counting them again would read the same rows a second time.
            let total = rows.count < limit ? rows.count : try await connection.scalar(countQuery, as: Int.self, logger: self.logger) ?? 0
            return TicketPage(tickets: try rows.map(PostgresTicketRow.decode), totalMatching: total)
        }
    }

    /// Every ticket that can count in metrics for `period` (see `SQLiteStore.metricsInput`):
    /// three disjoint parts, each read from an index — created since the previous period
    /// began; older ones still unresolved; older resolved ones with activity since then.
    public func metricsInput(customerIDs: [String]?, period: Period) async throws -> [Ticket] {
        if customerIDs?.isEmpty == true { return [] }
        var sql = PostgresSQL()
        let since = sql.bind(period.previous.start.pg)
        let end = sql.bind(period.end.pg)
        let filter = Self.customerFilter(customerIDs, in: &sql)
        let select = "SELECT \(PostgresTicketRow.metricsSelection) FROM tickets"
        sql.append("""
            \(select) WHERE created_at >= \(since) AND created_at < \(end)\(filter)
            UNION ALL
            \(select) WHERE created_at < \(since) AND \(Self.unresolvedSQL)\(filter)
            UNION ALL
            \(select) WHERE \(Self.latestActivitySQL) >= \(since) AND created_at < \(since) AND NOT \(Self.unresolvedSQL)\(filter)
            """)
        return try await tickets(sql)
    }

    /// Tickets created in `period` (a second either side, for rounding), deleted ones left
    /// out, with their subjects but no other text.
    public func ticketsCreated(customerIDs: [String]?, in period: Period) async throws -> [Ticket] {
        if customerIDs?.isEmpty == true { return [] }
        var sql = PostgresSQL()
        let start = sql.bind(period.start.pg - Self.boundsMargin)
        let end = sql.bind(period.end.pg + Self.boundsMargin)
        let filter = Self.customerFilter(customerIDs, in: &sql)
        sql.append("SELECT \(TicketColumns.subjectSelection) FROM tickets WHERE created_at >= \(start) AND created_at < \(end) AND status <> 'deleted'\(filter)")
        return try await tickets(sql)
    }

    /// `metricsInput` without its third part: what SLA figures and open-ticket lists need.
    public func slaInput(customerIDs: [String]?, period: Period) async throws -> [Ticket] {
        if customerIDs?.isEmpty == true { return [] }
        var recent = PostgresSQL()
        let start = recent.bind(period.start.pg - Self.boundsMargin)
        let end = recent.bind(period.end.pg)
        let recentFilter = Self.customerFilter(customerIDs, in: &recent)
        recent.append("SELECT \(PostgresTicketRow.selection) FROM tickets WHERE created_at >= \(start) AND created_at < \(end)\(recentFilter)")
        var older = PostgresSQL()
        let before = older.bind(period.start.pg - Self.boundsMargin)
        let olderFilter = Self.customerFilter(customerIDs, in: &older)
        older.append("SELECT \(PostgresTicketRow.selection) FROM tickets WHERE created_at < \(before) AND \(Self.unresolvedSQL)\(olderFilter)")
        let (recentQuery, olderQuery) = (recent.query, older.query)
        return try await snapshot { connection in
            let first = try await connection.rows(recentQuery, logger: self.logger)
            let second = try await connection.rows(olderQuery, logger: self.logger)
            return try (first + second).map { try PostgresTicketRow.decode($0).ticket }
        }
    }

    /// Rated tickets whose rating falls in `period` (a second either side), created before
    /// `createdBefore`, not deleted; carrying only what CSAT figures read (`TicketColumns.ratingSelection`).
    public func ratedTickets(customerIDs: [String]?, ratedIn period: Period, createdBefore: Date) async throws -> [Ticket] {
        if customerIDs?.isEmpty == true { return [] }
        var sql = PostgresSQL()
        let start = sql.bind(period.start.pg - Self.boundsMargin)
        let end = sql.bind(period.end.pg + Self.boundsMargin)
        let before = sql.bind(createdBefore.pg)
        let filter = Self.customerFilter(customerIDs, in: &sql)
        sql.append("""
            SELECT \(TicketColumns.ratingSelection) FROM tickets
            WHERE csat_score IS NOT NULL AND csat_at >= \(start) AND csat_at < \(end) AND created_at < \(before) AND status <> 'deleted'\(filter)
            """)
        return try await tickets(sql)
    }

    /// The unresolved statuses, written as in the partial index `tickets_customer_unresolved`.
    static let unresolvedSQL = "status IN ('new', 'open', 'pending', 'on_hold')"

    /// The latest of a ticket's solved, closed, rated and escalated times (0 when none),
    /// written exactly as in the index `tickets_customer_latest_activity` so that it is used.
    static let latestActivitySQL = "(GREATEST(coalesce(solved_at, 0), coalesce(closed_at, 0), coalesce(csat_at, 0), coalesce(escalated_at, 0)))"

    /// Seconds added around a period's stored bounds, as in SQLite.
    static let boundsMargin: Double = 1

    /// ` AND customer_id = ANY($n)`, or nothing for every customer (nil).
    static func customerFilter(_ customerIDs: [String]?, in sql: inout PostgresSQL) -> String {
        guard let customerIDs else { return "" }
        return " AND customer_id = ANY(\(sql.bind(customerIDs)))"
    }

    func tickets(_ sql: PostgresSQL) async throws -> [Ticket] {
        try await read { connection in
            try await connection.rows(sql.query, logger: self.logger).map { try PostgresTicketRow.decode($0).ticket }
        }
    }
}
