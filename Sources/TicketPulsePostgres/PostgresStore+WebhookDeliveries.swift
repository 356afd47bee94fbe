import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    /// Upserts a webhook's tickets unless the delivery was seen before, and remembers its
    /// keys, in one transaction. Two copies arriving at two replicas at once: the second
    /// one's key insert waits on the first's (the primary key), then finds it and stores nothing.
    public func upsert(_ tickets: [Ticket], at now: Date, delivery: WebhookDeliveryKeys) async throws -> WebhookDeliveryResult {
        let keys = [(delivery.signature.map { "sig:" + $0 }, WebhookDeliveryResult.replayed), (delivery.deliveryID.map { "id:" + $0 }, .duplicate)]
            .compactMap { key, verdict in key.map { (key: $0, verdict: verdict) } }
        do {
            return try await write { db in
                try await db.run("DELETE FROM webhook_deliveries WHERE received_at < \(delivery.forgetBefore.pg)", logger: self.logger)
                for (key, verdict) in keys {
                    let seen = try await db.scalar("SELECT 1 FROM webhook_deliveries WHERE connection = \(delivery.connection) AND key = \(key)", as: Int32.self, logger: self.logger)
                    if seen != nil { return verdict }
                }
                for (key, verdict) in keys {
                    let new = try await db.scalar("""
                        INSERT INTO webhook_deliveries (connection, key, received_at) VALUES (\(delivery.connection), \(key), \(now.pg))
                        ON CONFLICT (connection, key) DO NOTHING RETURNING 1
                        """, as: Int32.self, logger: self.logger)
                    // Another replica stored the same delivery since the check: roll back, write nothing.
                    if new == nil { throw DeliveryRace(verdict: verdict) }
                }
                return .stored(try await self.upsert(tickets, at: now, on: db))
            }
        } catch let race as DeliveryRace {
            return race.verdict
        }
    }

    /// Thrown out of the transaction to roll it back when a concurrent copy won.
    private struct DeliveryRace: Error { var verdict: WebhookDeliveryResult }

    /// How many delivery keys are remembered (for tests of the pruning).
    public func webhookDeliveryKeyCount() async throws -> Int {
        try await read { db in try await db.scalar("SELECT COUNT(*) FROM webhook_deliveries", as: Int.self, logger: self.logger) ?? 0 }
    }
}
