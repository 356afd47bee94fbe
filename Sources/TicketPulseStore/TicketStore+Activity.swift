import Foundation
import GRDB
import TicketPulseCore

extension TicketStore {
    /// What the detectors need, per customer: tickets created or rated since `horizon`, and
    /// every unresolved one. Descriptions are left out: detectors read subjects only, and
    /// skipping them keeps a full pass over a large store cheap.
    public func activity(customerIDs: [String]?, since horizon: Date) throws -> [CustomerActivity] {
        let customers = try customers(ids: customerIDs)
        guard !customers.isEmpty else { return [] }
        let selection = TicketRow.selection.replacingOccurrences(of: "description", with: "'' AS description")
        let tickets: [Ticket] = try read { db in
            var scope = ""
            var arguments: StatementArguments = [horizon.storeValue, horizon.storeValue]
            if let customerIDs {
                scope = " AND customer_id IN (\(customerIDs.map { _ in "?" }.joined(separator: ",")))"
                arguments += StatementArguments(customerIDs)
            }
            let sql = """
                SELECT \(selection) FROM tickets
                WHERE (created_at >= ? OR status IN ('new', 'open', 'pending', 'on_hold') OR csat_at >= ?)
                  AND customer_id IS NOT NULL AND status != 'deleted'\(scope)
                """
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { TicketRow.decode($0).ticket }
        }
        let byCustomer = Dictionary(grouping: tickets) { $0.customerID ?? "" }
        return customers.map { CustomerActivity(customer: $0, tickets: byCustomer[$0.id] ?? []) }
    }

    /// Customers with a ticket created or changed since `time` (by the source's clock).
    public func customersWithTickets(updatedSince time: Date) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT customer_id FROM tickets WHERE updated_at >= ? AND customer_id IS NOT NULL", arguments: [time.storeValue])
        }
    }
}
