import Foundation
import GRDB
import TicketPulseCore

/// A ticket list question: whose tickets, which ones, how many.
public struct TicketQuery: Sendable, Equatable {
    /// nil means every customer (an admin's view); an empty list matches nothing.
    public var customerIDs: [String]?
    public var status: TicketStatusFilter
    public var priorities: [Priority]?
    public var category: TicketCategory?
    /// Created within this period.
    public var createdIn: Period?
    public var escalatedOnly: Bool
    public var limit: Int

    public init(customerIDs: [String]?, status: TicketStatusFilter = .all, priorities: [Priority]? = nil, category: TicketCategory? = nil, createdIn: Period? = nil, escalatedOnly: Bool = false, limit: Int = 200) {
        self.customerIDs = customerIDs
        self.status = status
        self.priorities = priorities
        self.category = category
        self.createdIn = createdIn
        self.escalatedOnly = escalatedOnly
        self.limit = limit
    }
}

/// A page of tickets and how many matched in all.
public struct TicketPage: Sendable {
    public var tickets: [StoredTicket]
    public var totalMatching: Int
}

extension TicketStore {
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
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE \(whereSQL)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT \(TicketRow.selection) FROM tickets WHERE \(whereSQL) ORDER BY created_at DESC, id DESC LIMIT \(max(0, query.limit))", arguments: arguments)
            return TicketPage(tickets: rows.map(TicketRow.decode), totalMatching: total)
        }
    }

    /// Every ticket that can count in metrics for `period`: created in it or the previous
    /// equal period, still unresolved, or resolved, rated or escalated since the previous
    /// period began. This is the input `MetricsCalculator` documents.
    public func metricsInput(customerIDs: [String]?, period: Period) throws -> [Ticket] {
        try read { db in
            let since = period.previous.start.storeValue
            var sql = """
                SELECT \(TicketRow.selection) FROM tickets
                WHERE created_at < ? AND (created_at >= ? OR status IN ('new', 'open', 'pending', 'on_hold')
                    OR solved_at >= ? OR closed_at >= ? OR csat_at >= ? OR escalated_at >= ?)
                """
            var arguments: StatementArguments = [period.end.storeValue, since, since, since, since, since]
            if let ids = customerIDs {
                if ids.isEmpty { return [] }
                sql += " AND customer_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
                arguments += StatementArguments(ids)
            }
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            var tickets: [Ticket] = []
            while let row = try cursor.next() { tickets.append(TicketRow.decode(row).ticket) }
            return tickets
        }
    }
}
