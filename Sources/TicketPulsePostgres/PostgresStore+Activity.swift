import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    /// What the detectors need, per customer: tickets created or rated since `horizon`, and
    /// every unresolved one, deleted ones left out, in the roster's order.
    public func activity(customerIDs: [String]?, since horizon: Date) async throws -> [CustomerActivity] {
        let customers = try await customers(ids: customerIDs)
        guard !customers.isEmpty else { return [] }
        let slots = Dictionary(customers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var sql = PostgresSQL()
        let since = sql.bind(horizon.pg)
        if let customerIDs {
            // A few customers (a webhook's, a CSM's): their rows through the customer index.
            sql.append("""
                SELECT \(TicketColumns.activitySelection) FROM tickets
                WHERE (created_at >= \(since) OR \(Self.unresolvedSQL) OR csat_at >= \(since))
                  AND customer_id = ANY(\(sql.bind(customerIDs))) AND status <> 'deleted'
                """)
        } else {
            // Everyone: one OR over the three indexed conditions, which PostgreSQL reads as
            // a BitmapOr of tickets_created, tickets_customer_unresolved and tickets_csat_at
            // (0.4 s over 1M tickets). SQLite's form (ids from a UNION, then those rows)
            // walks the whole primary key here (1.8 s); an ORDER BY spills a sort of the
            // 170,000 rows to disk (1.3–1.6 s): each customer's list is put in id order below.
            sql.append("""
                SELECT \(TicketColumns.activitySelection) FROM tickets
                WHERE (created_at >= \(since) OR \(Self.unresolvedSQL) OR csat_at >= \(since))
                  AND customer_id IS NOT NULL AND status <> 'deleted'
                """)
        }
        let query = sql.query
        let lists: [[Ticket]] = try await read { connection in
            var lists = Array(repeating: [StoredTicket](), count: customers.count)
            for try await row in try await connection.query(query, logger: self.logger) {
                var stored = try PostgresTicketRow.decode(row)
                guard let customerID = stored.ticket.customerID, let slot = slots[customerID] else { continue }
                // The roster's own id string, shared by all of the customer's tickets.
                stored.ticket.customerID = customers[slot].id
                lists[slot].append(stored)
            }
            // In id order, as SQLite reads them.
            return lists.map { list in list.sorted { $0.id < $1.id }.map(\.ticket) }
        }
        return zip(customers, lists).map { CustomerActivity(customer: $0, tickets: $1) }
    }
}
