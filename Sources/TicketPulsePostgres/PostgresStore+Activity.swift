import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    /// `selection` without the description: detectors read subjects only, and leaving the
    /// long texts on the server keeps a full pass over a large store cheap.
    static let activitySelection = "id, " + TicketColumns.names.map { $0 == "description" ? "''" : $0 }.joined(separator: ", ")

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
                SELECT \(Self.activitySelection) FROM tickets
                WHERE (created_at >= \(since) OR \(Self.unresolvedSQL) OR csat_at >= \(since))
                  AND customer_id = ANY(\(sql.bind(customerIDs))) AND status <> 'deleted'
                """)
        } else {
            // Everyone: the three parts from their own indexes (recent, unresolved, lately
            // rated), merged by id, rather than a scan of the whole table.
            sql.append("""
                SELECT \(Self.activitySelection) FROM tickets
                WHERE id IN (
                    SELECT id FROM tickets WHERE created_at >= \(since)
                    UNION SELECT id FROM tickets WHERE \(Self.unresolvedSQL)
                    UNION SELECT id FROM tickets WHERE csat_at >= \(since))
                  AND customer_id IS NOT NULL AND status <> 'deleted'
                ORDER BY id
                """)
        }
        let query = sql.query
        let lists: [[Ticket]] = try await read { connection in
            var lists = Array(repeating: [Ticket](), count: customers.count)
            for try await row in try await connection.query(query, logger: self.logger) {
                var ticket = try PostgresTicketRow.decode(row).ticket
                guard let customerID = ticket.customerID, let slot = slots[customerID] else { continue }
                // The roster's own id string, shared by all of the customer's tickets.
                ticket.customerID = customers[slot].id
                lists[slot].append(ticket)
            }
            return lists
        }
        return zip(customers, lists).map { CustomerActivity(customer: $0, tickets: $1) }
    }
}
