import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// Alerts stored but not yet grouped into DMs, oldest first, with whom they go to and
    /// whether they were recorded silently (first look).
    public func pendingGrouping() throws -> [(alert: StoredAlert, dms: PendingDMs, silent: Bool)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE pending_dms IS NOT NULL ORDER BY id").compactMap { row in
                let text: String = row["pending_dms"]
                guard let alert = Self.storedAlert(row), let dms = try? StoreJSON.decoder.decode(PendingDMs.self, from: Data(text.utf8)) else { return nil }
                return (alert, dms, (row["silent"] as Int?) == 1)
            }
        }
    }

    /// Every live message, or those about `customerIDs` (a person's board is customer "*").
    public func liveMessages(customerIDs: [String]? = nil) throws -> [LiveMessageRow] {
        try read { db in
            let filter = customerIDs.map { " WHERE customer_id IN (\(Array(repeating: "?", count: $0.count).joined(separator: ", ")))" } ?? ""
            return try Row.fetchAll(db, sql: "SELECT * FROM live_messages" + filter, arguments: StatementArguments(customerIDs ?? [])).map {
                LiveMessageRow(email: $0["email"], customerID: $0["customer_id"], postKey: $0["post_key"], lastItemAt: Date(storeValue: $0["last_item_at"]), stateJSON: $0["state_json"])
            }
        }
    }

    /// Each person's pings since `since`, oldest first.
    public func pings(since: Date) throws -> [String: [Date]] {
        try read { db in
            var pings: [String: [Date]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT email, at FROM pings WHERE at >= ? ORDER BY at", arguments: [since.storeValue]) {
                pings[row[0], default: []].append(Date(storeValue: row[1]))
            }
            return pings
        }
    }

    /// The sources of each customer's history TicketPulse has looked at: a source not among
    /// them (a new connection's import) is a first look at that history.
    public func watchedSources() throws -> [String: Set<SourceSystem>] {
        try read { db in
            var watched: [String: Set<SourceSystem>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT customer_id, source FROM watched_sources") {
                if let source = SourceSystem(rawValue: row[1]) { watched[row[0], default: []].insert(source) }
            }
            return watched
        }
    }

    public func applyGrouping(_ write: GroupingWrite, at now: Date) throws {
        try self.write { db in
            for (message, alertID) in write.messages {
                try Self.enqueue([message], alertID: alertID, at: now, in: db)
            }
            try Self.save(write.live, in: db)
            for ping in write.pings {
                try db.execute(sql: "INSERT INTO pings (email, post_key, at) VALUES (?, ?, ?)", arguments: [ping.email, ping.postKey, ping.at.storeValue])
            }
            // The budget looks back one day; older pings only grow the table.
            try db.execute(sql: "DELETE FROM pings WHERE at < ?", arguments: [now.addingTimeInterval(-2 * 86_400).storeValue])
            for item in write.digest {
                try db.execute(sql: "INSERT INTO digest_items (email, alert_id, created_at) VALUES (?, ?, ?)", arguments: [item.email.lowercased(), item.alertID, now.storeValue])
            }
            for id in write.grouped {
                try db.execute(sql: "UPDATE alerts SET pending_dms = NULL WHERE id = ?", arguments: [id])
            }
            for (customer, sources) in write.watched {
                for source in sources {
                    try db.execute(sql: "INSERT INTO watched_sources (customer_id, source, first_looked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                   arguments: [customer, source.rawValue, now.storeValue])
                }
            }
        }
    }

    static func save(_ live: [LiveMessageRow], in db: Database) throws {
        for live in live {
            try db.execute(sql: """
                INSERT INTO live_messages (email, customer_id, post_key, last_item_at, state_json) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(email, customer_id) DO UPDATE SET post_key = excluded.post_key, last_item_at = excluded.last_item_at, state_json = excluded.state_json
                """, arguments: [live.email, live.customerID, live.postKey, live.lastItemAt.storeValue, live.stateJSON])
        }
    }

    /// Who acknowledged which of these alerts (their email), for those acknowledged.
    public func acknowledgers(alertIDs: [Int64]) throws -> [Int64: String] {
        guard !alertIDs.isEmpty else { return [:] }
        return try read { db in
            var found: [Int64: String] = [:]
            // In slices: every live message's items can be more ids than one statement binds.
            for start in stride(from: 0, to: alertIDs.count, by: 500) {
                let slice = Array(alertIDs[start..<min(start + 500, alertIDs.count)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ", ")
                for row in try Row.fetchAll(db, sql: "SELECT id, acknowledged_by FROM alerts WHERE acknowledged_by IS NOT NULL AND id IN (\(marks))",
                                            arguments: StatementArguments(slice)) {
                    found[row[0]] = row[1]
                }
            }
            return found
        }
    }

    /// Which of these tickets are solved, closed or deleted now (by `AlertTicket.storeKey`).
    public func resolvedTickets(_ tickets: [AlertTicket]) throws -> Set<String> {
        guard !tickets.isEmpty else { return [] }
        return try read { db in
            var resolved = Set<String>()
            for ticket in tickets {
                let status = try String.fetchOne(db, sql: "SELECT status FROM tickets WHERE source = ? AND external_id = ?",
                                                 arguments: [ticket.source.rawValue, ticket.externalID])
                if let status = status.flatMap(TicketStatus.init(rawValue:)), status.isResolved || status == .deleted { resolved.insert(ticket.storeKey) }
            }
            return resolved
        }
    }


    /// Marks customers' history from `sources` (all of them unless told) as looked at: their
    /// existing conditions are history, not news.
    public func markWatched(_ customerIDs: [String], sources: [SourceSystem] = SourceSystem.allCases, at now: Date) throws {
        var write = GroupingWrite()
        write.watched = customerIDs.map { ($0, sources) }
        try applyGrouping(write, at: now)
    }

    /// The sent row of an outbox key: where a live message is in Slack.
    public func outboxRow(key: String) throws -> OutboxRow? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE idempotency_key = ?", arguments: [key]).flatMap(Self.outboxRow) }
    }

    /// Whether an update of the same message, queued after `id`, was already sent.
    public func newerUpdateSent(than id: Int64, parentID: Int64) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE parent_id = ? AND kind = 'update' AND id > ? AND state = 'sent')",
                              arguments: [parentID, id]) ?? false
        }
    }

    /// A message deleted in Slack was posted again: where it now is, for the updates and
    /// thread notes that follow.
    public func repoint(_ id: Int64, channel: String, ts: String) throws {
        try write { db in try db.execute(sql: "UPDATE outbox SET channel = ?, ts = ? WHERE id = ?", arguments: [channel, ts, id]) }
    }
}
