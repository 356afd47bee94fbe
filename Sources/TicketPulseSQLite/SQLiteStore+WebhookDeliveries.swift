import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// Upserts a webhook's tickets unless the delivery was seen before, and remembers its
    /// keys, in one transaction: SQLite serialises writers, so two copies arriving at once
    /// cannot both get through, and a crash cannot keep the ticket but lose the key.
    public func upsert(_ tickets: [Ticket], at now: Date, delivery: WebhookDeliveryKeys) throws -> WebhookDeliveryResult {
        try write { db in
            try db.execute(sql: "DELETE FROM webhook_deliveries WHERE received_at < ?", arguments: [delivery.forgetBefore.storeValue])
            let seen = try db.cachedStatement(sql: "SELECT 1 FROM webhook_deliveries WHERE connection = ? AND key = ?")
            if let signature = delivery.signature, try Bool.fetchOne(seen, arguments: [delivery.connection, "sig:" + signature]) != nil {
                return .replayed
            }
            if let id = delivery.deliveryID, try Bool.fetchOne(seen, arguments: [delivery.connection, "id:" + id]) != nil {
                return .duplicate
            }
            let insert = try db.cachedStatement(sql: "INSERT INTO webhook_deliveries (connection, key, received_at) VALUES (?, ?, ?)")
            for key in [delivery.signature.map { "sig:" + $0 }, delivery.deliveryID.map { "id:" + $0 }].compactMap({ $0 }) {
                try insert.execute(arguments: [delivery.connection, key, now.storeValue])
            }
            return .stored(try Self.upsert(tickets, at: now, in: db))
        }
    }

    /// How many delivery keys are remembered (for tests of the pruning).
    public func webhookDeliveryKeyCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_deliveries") ?? 0 }
    }
}
