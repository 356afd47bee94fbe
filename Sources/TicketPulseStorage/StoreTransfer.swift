import Foundation

/// One value of a row moved by `store copy`, in the few kinds both backends store.
public enum TransferValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// How a column is stored, so each backend reads and writes it in its own type (SQLite
/// keeps booleans as integers and JSON as text; PostgreSQL has boolean, json and jsonb).
public enum TransferColumnKind: Sendable {
    case integer, real, text, boolean, json, jsonb
}

/// A table as `store copy` moves it: the same name and columns in both schemas.
public struct TransferTable: Sendable {
    public var name: String
    public var columns: [(name: String, kind: TransferColumnKind)]
    /// The integer primary key rows are read in order of, a batch after another; nil for
    /// tables keyed otherwise (read in `orderBy` order, by offset: they stay small).
    public var idColumn: String?
    public var orderBy: [String]

    init(_ name: String, id: String? = "id", orderBy: [String]? = nil, _ columns: [(String, TransferColumnKind)]) {
        self.name = name
        self.columns = columns.map { (name: $0.0, kind: $0.1) }
        idColumn = id
        self.orderBy = orderBy ?? id.map { [$0] } ?? []
    }

    public var columnNames: [String] { columns.map(\.name) }
}

/// A backend's side of `store copy`: every row of a table, batch by batch, out of one
/// store and into another, ids kept, so references between tables still hold.
public protocol StoreTransfer: Sendable {
    func transferRowCount(_ table: TransferTable) async throws -> Int
    /// Up to `limit` rows after `after` (the last id read; by `idColumn`), or from `offset` (tables without one).
    func exportRows(_ table: TransferTable, after: Int64?, offset: Int, limit: Int) async throws -> [[TransferValue]]
    /// Inserts rows read by `exportRows`, in one transaction.
    func importRows(_ rows: [[TransferValue]], into table: TransferTable) async throws
    /// Removes every row of these tables (given in dependency order; removed in reverse), for `--force`.
    func removeAllRows(_ tables: [TransferTable]) async throws
    /// After an import: id sequences continue after the highest id copied.
    func finishImport(_ tables: [TransferTable]) async throws
}

extension TransferTable {
    /// Every table of the store, referenced tables before those that reference them.
    public static let all: [TransferTable] = [
        TransferTable("csms", id: nil, orderBy: ["email"], [("email", .text), ("name", .text), ("slack_user_id", .text), ("role", .text), ("manager_email", .text), ("time_zone", .text)]),
        TransferTable("customers", id: nil, orderBy: ["id"], [
            ("id", .text), ("name", .text), ("aliases", .text), ("domains", .text), ("tier", .text), ("arr", .real), ("csm_email", .text),
            ("renewal_date", .real), ("health_score", .real), ("champion_name", .text), ("champion_email", .text), ("onboarded_at", .real),
        ]),
        TransferTable("tickets", [("id", .integer)] + TicketColumns.names.map { name in (name, ticketColumnKind(name)) }),
        TransferTable("ticket_events", [("id", .integer), ("ticket_id", .integer), ("kind", .text), ("at", .real), ("from_value", .text), ("to_value", .text), ("actor", .text), ("detail", .text)]),
        TransferTable("audit_log", [("id", .integer), ("at", .real), ("actor", .text), ("action", .text), ("detail", .text), ("customer_ids", .text), ("outcome", .text), ("reason", .text)]),
        TransferTable("subscriptions", [("id", .integer), ("target", .text), ("feed", .text), ("customer_id", .text), ("priorities", .text), ("created_by", .text), ("created_at", .real)]),
        TransferTable("preferences", id: nil, orderBy: ["email"], [
            ("email", .text), ("dm_priorities", .text), ("digest_hour", .integer), ("digest_minute", .integer),
            ("quiet_start_hour", .integer), ("quiet_end_hour", .integer), ("updated_at", .real), ("digest_delivery", .text),
        ]),
        TransferTable("snoozes", id: nil, orderBy: ["email", "customer_id"], [("email", .text), ("customer_id", .text), ("until", .real)]),
        TransferTable("ticket_actions", [
            ("id", .integer), ("ticket_id", .integer), ("kind", .text), ("actor", .text), ("body", .text), ("created_at", .real), ("writeback_status", .text),
            ("writeback_attempts", .integer), ("writeback_retry_at", .real), ("writeback_error", .text), ("written_back_at", .real),
        ]),
        TransferTable("slack_events", id: nil, orderBy: ["event_id"], [("event_id", .text), ("received_at", .real)]),
        TransferTable("connection_state", id: nil, orderBy: ["connection"], [("connection", .text), ("state_json", .json), ("updated_at", .real)]),
        TransferTable("alerts", [
            ("id", .integer), ("dedup_key", .text), ("kind", .text), ("severity", .text), ("status", .text), ("customer_id", .text), ("body_json", .jsonb),
            ("detected_at", .real), ("updated_at", .real), ("acknowledged_by", .text), ("acknowledged_at", .real), ("resolved_at", .real),
            ("pending_dms", .jsonb), ("silent", .boolean),
        ]),
        TransferTable("outbox", [
            ("id", .integer), ("idempotency_key", .text), ("alert_id", .integer), ("kind", .text), ("recipient", .text), ("parent_id", .integer),
            ("body_json", .jsonb), ("state", .text), ("attempts", .integer), ("next_attempt_at", .real), ("in_flight_since", .real),
            ("channel", .text), ("ts", .text), ("last_error", .text), ("created_at", .real), ("sent_at", .real),
            ("message_id", .text), ("email_author", .text),
        ]),
        TransferTable("digest_items", [("id", .integer), ("email", .text), ("alert_id", .integer), ("created_at", .real), ("outbox_id", .integer)]),
        TransferTable("alert_actions", [("id", .integer), ("alert_id", .integer), ("actor", .text), ("action", .text), ("detail", .text), ("at", .real)]),
        TransferTable("tasks", [
            ("id", .integer), ("alert_id", .integer), ("customer_id", .text), ("title", .text), ("assignee", .text), ("due_at", .real), ("status", .text), ("created_at", .real),
        ]),
        TransferTable("health_adjustments", [("id", .integer), ("customer_id", .text), ("alert_id", .integer), ("delta", .real), ("reason", .text), ("at", .real)]),
        TransferTable("email_drafts", [
            ("id", .integer), ("alert_id", .integer), ("customer_id", .text), ("author", .text), ("subject", .text), ("body", .text), ("created_at", .real),
        ]),
        TransferTable("webhook_deliveries", id: nil, orderBy: ["connection", "key"], [("connection", .text), ("key", .text), ("received_at", .real)]),
        TransferTable("nlu_feedback", [
            ("id", .integer), ("at", .real), ("asker", .text), ("question", .text), ("outcome", .text), ("intent", .text), ("confidence", .real),
            ("readings", .text), ("utterance", .text),
        ]),
        TransferTable("confirmations", id: nil, orderBy: ["nonce"], [("nonce", .text), ("actor", .text), ("intent", .text), ("at", .real)]),
        TransferTable("live_messages", id: nil, orderBy: ["email", "customer_id"], [
            ("email", .text), ("customer_id", .text), ("post_key", .text), ("last_item_at", .real), ("state_json", .json),
        ]),
        TransferTable("pings", [("id", .integer), ("email", .text), ("post_key", .text), ("at", .real)]),
        TransferTable("watched_sources", id: nil, orderBy: ["customer_id", "source"], [("customer_id", .text), ("source", .text), ("first_looked_at", .real)]),
        TransferTable("notification_views", id: nil, orderBy: ["email"], [("email", .text), ("seen_at", .real)]),
        // Acknowledged and not yet answered: the new store's first replica takes them.
        TransferTable("slack_jobs", id: nil, orderBy: ["id"], [("id", .text), ("owner", .text), ("received_at", .real), ("payload", .text)]),
        TransferTable("store_counters", id: nil, orderBy: ["name"], [("name", .text), ("value", .integer)]),
        TransferTable("stored_connections", id: nil, orderBy: ["name"], [
            ("name", .text), ("system", .text), ("subdomain", .text), ("base_url", .text), ("external_id_prefix", .text), ("created_at", .real), ("created_by", .text),
        ]),
        TransferTable("organization_mappings", id: nil, orderBy: ["source", "organization_id"], [
            ("source", .text), ("organization_id", .text), ("customer_id", .text), ("updated_at", .real),
        ]),
        TransferTable("web_sessions", id: nil, orderBy: ["token_hash"], [
            ("token_hash", .text), ("kind", .text), ("email", .text), ("csrf_token", .text), ("created_at", .real), ("expires_at", .real),
        ]),
        TransferTable("api_tokens", [("id", .integer), ("email", .text), ("name", .text), ("token_hash", .text), ("created_at", .real), ("revoked_at", .real)]),
        // Not `leases`: they belong to the processes running on the old store, and expire.
    ]

    static func ticketColumnKind(_ name: String) -> TransferColumnKind {
        switch name {
        case "escalated": .boolean
        case "csat_score", "escalation_level", "reopen_count": .integer
        case _ where name.hasSuffix("_at"): .real
        default: .text
        }
    }
}

/// `store copy`: every table from one store into another, batch by batch, then the counts
/// of both compared. A target that holds anything is refused unless `force` (which empties it first).
public enum StoreCopy {
    public struct TableCount: Sendable, Equatable {
        public var table: String
        public var source: Int
        public var target: Int
    }

    public struct TargetNotEmpty: Error, CustomStringConvertible {
        public var rows: Int
        public var description: String { "the target store is not empty (\(rows) rows); pass --force to replace its contents" }
    }

    public struct CountMismatch: Error, CustomStringConvertible {
        public var counts: [TableCount]
        public var description: String {
            "the copy is incomplete: " + counts.filter { $0.source != $0.target }.map { "\($0.table) \($0.source) → \($0.target)" }.joined(separator: ", ")
        }
    }

    public static func copy(from source: any StoreTransfer, to target: any StoreTransfer, force: Bool, batchSize: Int = 1000,
                            tables: [TransferTable] = TransferTable.all, progress: (String) -> Void = { _ in }) async throws -> [TableCount] {
        var existing = 0
        for table in tables { existing += try await target.transferRowCount(table) }
        if existing > 0 {
            guard force else { throw TargetNotEmpty(rows: existing) }
            try await target.removeAllRows(tables)
        }
        for table in tables {
            var last: Int64?
            var offset = 0
            var copied = 0
            while true {
                let rows = try await source.exportRows(table, after: last, offset: offset, limit: batchSize)
                if rows.isEmpty { break }
                try await target.importRows(rows, into: table)
                copied += rows.count
                offset += rows.count
                if table.idColumn != nil, case .integer(let id) = rows[rows.count - 1][0] { last = id }
                if rows.count < batchSize { break }
            }
            progress("\(table.name): \(copied) rows")
        }
        try await target.finishImport(tables)
        var counts: [TableCount] = []
        for table in tables {
            counts.append(TableCount(table: table.name, source: try await source.transferRowCount(table), target: try await target.transferRowCount(table)))
        }
        if counts.contains(where: { $0.source != $0.target }) { throw CountMismatch(counts: counts) }
        return counts
    }
}
