import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    /// Alerts stored but not yet grouped into DMs, oldest first, with whom they go to and
    /// whether they were recorded silently (first look).
    public func pendingGrouping() async throws -> [(alert: StoredAlert, dms: PendingDMs, silent: Bool)] {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.alertColumns), pending_dms::text, silent FROM alerts WHERE pending_dms IS NOT NULL ORDER BY id",
                                      logger: self.logger).compactMap { row in
                let r = row.makeRandomAccess()
                let text = try r[6].decode(String.self)
                guard let alert = try Self.storedAlert(row), let dms = try? StoreJSON.decoder.decode(PendingDMs.self, from: Data(text.utf8)) else { return nil }
                return (alert: alert, dms: dms, silent: try r[7].decode(Bool.self))
            }
        }
    }

    /// Every live message, or those about `customerIDs` (a person's board is customer "*").
    public func liveMessages(customerIDs: [String]?) async throws -> [LiveMessageRow] {
        let select = "SELECT email, customer_id, post_key, last_item_at, state_json::text FROM live_messages"
        let query: PostgresQuery = if let customerIDs {
            "\(unescaped: select) WHERE customer_id = ANY(\(customerIDs)) ORDER BY email COLLATE \"C\", customer_id COLLATE \"C\""
        } else {
            "\(unescaped: select) ORDER BY email COLLATE \"C\", customer_id COLLATE \"C\""
        }
        return try await read { connection in
            try await connection.rows(query, logger: self.logger).map { row in
                let (email, customer, postKey, lastItemAt, state) = try row.decode((String, String, String, Double, String).self)
                return LiveMessageRow(email: email, customerID: customer, postKey: postKey, lastItemAt: Date(pg: lastItemAt), stateJSON: state)
            }
        }
    }

    /// Each person's pings since `since`, oldest first.
    public func pings(since: Date) async throws -> [String: [Date]] {
        try await read { connection in
            var pings: [String: [Date]] = [:]
            for row in try await connection.rows("SELECT email, at FROM pings WHERE at >= \(since.pg) ORDER BY at, id", logger: self.logger) {
                let (email, at) = try row.decode((String, Double).self)
                pings[email, default: []].append(Date(pg: at))
            }
            return pings
        }
    }

    /// The sources of each customer's history TicketPulse has looked at.
    public func watchedSources() async throws -> [String: Set<SourceSystem>] {
        try await read { connection in
            var watched: [String: Set<SourceSystem>] = [:]
            for row in try await connection.rows("SELECT customer_id, source FROM watched_sources", logger: self.logger) {
                let (customer, source) = try row.decode((String, String).self)
                if let source = SourceSystem(rawValue: source) { watched[customer, default: []].insert(source) }
            }
            return watched
        }
    }

    /// A grouping pass's messages, live rows, pings and digest items, in one transaction.
    public func applyGrouping(_ write: GroupingWrite, at now: Date) async throws {
        try await self.write { connection in
            for (message, alertID) in write.messages {
                try await self.enqueue([message], alertID: alertID, at: now, on: connection)
            }
            try await self.save(write.live, on: connection)
            for ping in write.pings {
                try await connection.run("INSERT INTO pings (email, post_key, at) VALUES (\(ping.email), \(ping.postKey), \(ping.at.pg))", logger: self.logger)
            }
            // The budget looks back one day; older pings only grow the table.
            try await connection.run("DELETE FROM pings WHERE at < \(now.addingTimeInterval(-2 * 86_400).pg)", logger: self.logger)
            for item in write.digest {
                try await connection.run("INSERT INTO digest_items (email, alert_id, created_at) VALUES (\(item.email.lowercased()), \(item.alertID), \(now.pg))",
                                         logger: self.logger)
            }
            if !write.grouped.isEmpty {
                try await connection.run("UPDATE alerts SET pending_dms = NULL WHERE id = ANY(\(write.grouped))", logger: self.logger)
            }
            for (customer, sources) in write.watched {
                for source in sources {
                    try await connection.run("""
                        INSERT INTO watched_sources (customer_id, source, first_looked_at) VALUES (\(customer), \(source.rawValue), \(now.pg)) ON CONFLICT DO NOTHING
                        """, logger: self.logger)
                }
            }
        }
    }

    func save(_ live: [LiveMessageRow], on connection: PostgresConnection) async throws {
        for live in live {
            try await connection.run("""
                INSERT INTO live_messages (email, customer_id, post_key, last_item_at, state_json)
                VALUES (\(live.email), \(live.customerID), \(live.postKey), \(live.lastItemAt.pg), \(live.stateJSON)::json)
                ON CONFLICT (email, customer_id) DO UPDATE SET post_key = excluded.post_key, last_item_at = excluded.last_item_at, state_json = excluded.state_json
                """, logger: logger)
        }
    }

    /// Who acknowledged which of these alerts (their email), for those acknowledged.
    public func acknowledgers(alertIDs: [Int64]) async throws -> [Int64: String] {
        guard !alertIDs.isEmpty else { return [:] }
        return try await read { connection in
            var found: [Int64: String] = [:]
            for row in try await connection.rows("SELECT id, acknowledged_by FROM alerts WHERE acknowledged_by IS NOT NULL AND id = ANY(\(alertIDs))", logger: self.logger) {
                let (id, by) = try row.decode((Int64, String).self)
                found[id] = by
            }
            return found
        }
    }

    /// Which of these tickets are solved, closed or deleted now (by `AlertTicket.storeKey`).
    public func resolvedTickets(_ tickets: [AlertTicket]) async throws -> Set<String> {
        guard !tickets.isEmpty else { return [] }
        return try await read { connection in
            let rows = try await connection.rows("""
                SELECT t.source, t.external_id, t.status FROM tickets t
                JOIN unnest(\(tickets.map(\.source.rawValue))::text[], \(tickets.map(\.externalID))::text[]) AS wanted(source, external_id)
                  ON t.source = wanted.source AND t.external_id = wanted.external_id
                """, logger: self.logger)
            var resolved = Set<String>()
            for row in rows {
                let (source, externalID, status) = try row.decode((String, String, String).self)
                if let status = TicketStatus(rawValue: status), status.isResolved || status == .deleted { resolved.insert("\(source):\(externalID)") }
            }
            return resolved
        }
    }

    public func markWatched(_ customerIDs: [String], sources: [SourceSystem], at now: Date) async throws {
        var write = GroupingWrite()
        write.watched = customerIDs.map { ($0, sources) }
        try await applyGrouping(write, at: now)
    }
}
