import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// What the detectors need, per customer: tickets created or rated since `horizon`, and
    /// every unresolved one. Descriptions are left out: detectors read subjects only, and
    /// skipping them keeps a full pass over a large store cheap.
    ///
    /// A full pass reads ~170,000 tickets of a million-ticket store. Decoding them through
    /// GRDB's `Row` took 3 s of the 2 s budget; `TicketStatementReader` reads the columns
    /// straight from the statement into each customer's list in a fraction of that.
    public func activity(customerIDs: [String]?, since horizon: Date) throws -> [CustomerActivity] {
        let customers = try customers(ids: customerIDs)
        guard !customers.isEmpty else { return [] }
        let slots = Dictionary(customers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let lists: [[Ticket]] = try read { db in
            let statement: Statement
            if let customerIDs {
                // A few customers (a webhook's, a CSM's): their rows through the customer index.
                statement = try db.makeStatement(sql: """
                    SELECT \(TicketColumns.activitySelection) FROM tickets
                    WHERE (created_at >= ? OR status IN ('new', 'open', 'pending', 'on_hold') OR csat_at >= ?)
                      AND customer_id IN (\(databaseQuestionMarks(count: customerIDs.count))) AND status != 'deleted'
                    """)
                try statement.setArguments([horizon.storeValue, horizon.storeValue] + StatementArguments(customerIDs))
            } else {
                // Everyone: the wanted rows' ids from the three small indexes, then those rows
                // in id order, rather than a scan of the whole table for the recent sixth of it.
                statement = try db.makeStatement(sql: """
                    SELECT \(TicketColumns.activitySelection) FROM tickets
                    WHERE id IN (
                        SELECT id FROM tickets WHERE created_at >= ?
                        UNION SELECT id FROM tickets INDEXED BY tickets_customer_unresolved WHERE status IN ('new', 'open', 'pending', 'on_hold')
                        UNION SELECT id FROM tickets WHERE csat_at >= ?)
                      AND customer_id IS NOT NULL AND status != 'deleted'
                    """)
                try statement.setArguments([horizon.storeValue, horizon.storeValue])
            }
            var lists = Array(repeating: [Ticket](), count: customers.count)
            try TicketStatementReader.forEach(db, statement) { row in
                guard let customerID = row.customerID, let slot = slots[customerID] else { return }
                // The roster's own id string, shared by all of the customer's tickets.
                lists[slot].append(row.ticket(customerID: customers[slot].id))
            }
            return lists
        }
        return zip(customers, lists).map { CustomerActivity(customer: $0, tickets: $1) }
    }
}
