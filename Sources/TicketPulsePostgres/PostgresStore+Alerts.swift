import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    static let alertColumns = "id, body_json::text, status, acknowledged_by, acknowledged_at, updated_at"

    public func liveAlerts(customerIDs: [String]?) async throws -> [StoredAlert] {
        if let customerIDs {
            guard !customerIDs.isEmpty else { return [] }
            return try await alerts("SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE status <> 'resolved' AND customer_id = ANY(\(customerIDs)) ORDER BY id")
        }
        return try await alerts("SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE status <> 'resolved' ORDER BY id")
    }

    /// Which of these de-duplication keys ever alerted, in any state: an event alerts once, ever.
    public func alertKeysSeen(_ keys: [String]) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try await read { connection in
            Set(try await connection.rows("SELECT DISTINCT dedup_key FROM alerts WHERE dedup_key = ANY(\(keys))", logger: self.logger)
                .map { try $0.decode(String.self) })
        }
    }

    public func alert(id: Int64) async throws -> StoredAlert? {
        try await alerts("SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE id = \(id)").first
    }

    /// Alerts detected in a period, newest first.
    public func alerts(detectedIn period: Period?, limit: Int) async throws -> [StoredAlert] {
        if let period {
            return try await alerts("""
                SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE detected_at >= \(period.start.pg) AND detected_at < \(period.end.pg)
                ORDER BY detected_at DESC, id DESC LIMIT \(limit)
                """)
        }
        return try await alerts("SELECT \(unescaped: Self.alertColumns) FROM alerts ORDER BY detected_at DESC, id DESC LIMIT \(limit)")
    }

    /// One detector pass's decisions (new, changed and resolved alerts, with their messages,
    /// digest items, tasks and health adjustments) in one transaction. A second live alert
    /// with the same key breaks the unique index and rolls the whole pass back.
    @discardableResult
    public func apply(_ plans: [AlertPlan], at now: Date) async throws -> [Int64] {
        guard !plans.isEmpty else { return [] }
        return try await write { connection in
            var opened: [Int64] = []
            for plan in plans {
                let alertID: Int64
                var customerID: String?
                switch plan.change {
                case .open(let alert):
                    let pending = plan.dms.isEmpty && !plan.heldBack ? nil : try StoreJSON.string(PendingDMs(people: plan.dms, heldBack: plan.heldBack))
                    guard let id = try await connection.scalar("""
                        INSERT INTO alerts (dedup_key, kind, severity, status, customer_id, body_json, detected_at, updated_at, pending_dms, silent)
                        VALUES (\(alert.dedupKey), \(alert.kind.rawValue), \(alert.severity.rawValue), 'open', \(alert.customerID),
                                \(try StoreJSON.string(alert))::jsonb, \(alert.detectedAt.pg), \(now.pg), \(pending)::jsonb, \(plan.silent))
                        RETURNING id
                        """, as: Int64.self, logger: self.logger) else { throw PostgresStoreError.server("INSERT INTO alerts returned no id") }
                    alertID = id
                    customerID = alert.customerID
                    opened.append(id)
                case .update(let id, let alert):
                    try await connection.run("UPDATE alerts SET severity = \(alert.severity.rawValue), body_json = \(try StoreJSON.string(alert))::jsonb, updated_at = \(now.pg) WHERE id = \(id)",
                                             logger: self.logger)
                    alertID = id
                    customerID = alert.customerID
                case .resolve(let id):
                    try await connection.run("UPDATE alerts SET status = 'resolved', resolved_at = \(now.pg), updated_at = \(now.pg) WHERE id = \(id)", logger: self.logger)
                    alertID = id
                }
                try await self.enqueue(plan.messages, alertID: alertID, at: now, on: connection)
                for email in plan.digestFor {
                    try await connection.run("INSERT INTO digest_items (email, alert_id, created_at) VALUES (\(email.lowercased()), \(alertID), \(now.pg))", logger: self.logger)
                }
                if let customerID {
                    for task in plan.tasks {
                        try await self.insertTask(task, alertID: alertID, customerID: customerID, at: now, on: connection)
                    }
                    for draft in plan.drafts {
                        try await self.insertDraft(alertID: alertID, customerID: customerID, author: draft.author, subject: draft.subject, body: draft.body, at: now, on: connection)
                    }
                    if let delta = plan.healthDelta {
                        try await self.adjustHealth(customerID: customerID, by: delta, reason: "alert \(alertID)", alertID: alertID, at: now, on: connection)
                    }
                }
            }
            return opened
        }
    }

    /// A person's action on an alert, optionally moving its lifecycle, with the messages and
    /// grouped messages that show it, in one transaction.
    public func recordAlertAction(alertID: Int64, actor: String, action: String, detail: String, status: AlertStatus?,
                                  messages: [OutboxMessage], liveMessages: [LiveMessageRow], at now: Date) async throws {
        try await write { connection in
            try await connection.run("INSERT INTO alert_actions (alert_id, actor, action, detail, at) VALUES (\(alertID), \(actor), \(action), \(detail), \(now.pg))",
                                     logger: self.logger)
            if let status {
                if status == .acknowledged {
                    try await connection.run("""
                        UPDATE alerts SET status = 'acknowledged', acknowledged_by = \(actor), acknowledged_at = \(now.pg), updated_at = \(now.pg)
                        WHERE id = \(alertID) AND status = 'open'
                        """, logger: self.logger)
                } else {
                    try await connection.run("UPDATE alerts SET status = \(status.rawValue), updated_at = \(now.pg) WHERE id = \(alertID)", logger: self.logger)
                }
            }
            try await self.enqueue(messages, alertID: alertID, at: now, on: connection)
            try await self.save(liveMessages, on: connection)
        }
    }

    public func alertActions(alertID: Int64) async throws -> [(actor: String, action: String, detail: String, at: Date)] {
        try await read { connection in
            try await connection.rows("SELECT actor, action, detail, at FROM alert_actions WHERE alert_id = \(alertID) ORDER BY at, id", logger: self.logger).map { row in
                let (actor, action, detail, at) = try row.decode((String, String, String, Double).self)
                return (actor: actor, action: action, detail: detail, at: Date(pg: at))
            }
        }
    }

    public func tasks(alertID: Int64) async throws -> [AlertTask] {
        try await read { connection in
            try await connection.rows("SELECT title, assignee, due_at FROM tasks WHERE alert_id = \(alertID) ORDER BY id", logger: self.logger).map { row in
                let (title, assignee, due) = try row.decode((String, String?, Double).self)
                return AlertTask(title: title, assignee: assignee, dueAt: Date(pg: due))
            }
        }
    }

    public func addTask(_ task: AlertTask, alertID: Int64?, customerID: String, at now: Date) async throws {
        try await write { connection in try await self.insertTask(task, alertID: alertID, customerID: customerID, at: now, on: connection) }
    }

    func insertTask(_ task: AlertTask, alertID: Int64?, customerID: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO tasks (alert_id, customer_id, title, assignee, due_at, created_at)
            VALUES (\(alertID), \(customerID), \(task.title), \(task.assignee), \(task.dueAt.pg), \(now.pg))
            """, logger: logger)
    }

    public func saveEmailDraft(alertID: Int64?, customerID: String, author: String, subject: String, body: String, at now: Date) async throws {
        try await write { connection in
            try await self.insertDraft(alertID: alertID, customerID: customerID, author: author, subject: subject, body: body, at: now, on: connection)
        }
    }

    /// An outreach email the CSM confirmed: kept with the customer's drafts (what was sent,
    /// by whom, when) and queued as an email row, in one transaction.
    public func queueOutreachEmail(_ message: OutboxMessage, alertID: Int64?, customerID: String, author: String, subject: String, body: String, at now: Date) async throws {
        try await write { connection in
            try await self.insertDraft(alertID: alertID, customerID: customerID, author: author, subject: subject, body: body, at: now, on: connection)
            try await self.enqueue([message], alertID: nil, at: now, on: connection)
        }
    }

    func insertDraft(alertID: Int64?, customerID: String, author: String, subject: String, body: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO email_drafts (alert_id, customer_id, author, subject, body, created_at)
            VALUES (\(alertID), \(customerID), \(author), \(subject), \(body), \(now.pg))
            """, logger: logger)
    }

    public func emailDrafts(alertID: Int64) async throws -> [(author: String, subject: String, body: String)] {
        try await read { connection in
            try await connection.rows("SELECT author, subject, body FROM email_drafts WHERE alert_id = \(alertID) ORDER BY id", logger: self.logger).map { row in
                let (author, subject, body) = try row.decode((String, String, String).self)
                return (author: author, subject: subject, body: body)
            }
        }
    }

    public func emailDrafts(customerID: String) async throws -> [(alertID: Int64?, author: String, subject: String, body: String)] {
        try await read { connection in
            try await connection.rows("SELECT alert_id, author, subject, body FROM email_drafts WHERE customer_id = \(customerID) ORDER BY id", logger: self.logger).map { row in
                let (alertID, author, subject, body) = try row.decode((Int64?, String, String, String).self)
                return (alertID: alertID, author: author, subject: subject, body: body)
            }
        }
    }

    public func healthAdjustment(customerID: String) async throws -> Double {
        try await read { connection in
            try await connection.scalar("SELECT COALESCE(SUM(delta), 0)::double precision FROM health_adjustments WHERE customer_id = \(customerID)",
                                        as: Double.self, logger: self.logger) ?? 0
        }
    }

    /// Adjusts the roster's health score (clamped to 0–100) and keeps the adjustment.
    func adjustHealth(customerID: String, by delta: Double, reason: String, alertID: Int64?, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO health_adjustments (customer_id, alert_id, delta, reason, at) VALUES (\(customerID), \(alertID), \(delta), \(reason), \(now.pg))
            """, logger: logger)
        try await connection.run("""
            UPDATE customers SET health_score = LEAST(100, GREATEST(0, health_score + \(delta))) WHERE id = \(customerID) AND health_score IS NOT NULL
            """, logger: logger)
    }

    /// Queues messages under their idempotency keys; one whose parent was never queued is dropped.
    func enqueue(_ messages: [OutboxMessage], alertID: Int64?, at now: Date, on connection: PostgresConnection) async throws {
        for message in messages {
            let key = OutboxMessage.storeKey(message.key, alertID: alertID)
            var parentID: Int64?
            if let parentKey = message.parentKey {
                let fullParent = OutboxMessage.storeKey(parentKey, alertID: alertID)
                parentID = try await connection.scalar("SELECT id FROM outbox WHERE idempotency_key = \(fullParent)", as: Int64.self, logger: logger)
                // Nothing to thread under or update: the parent was never routed here.
                guard parentID != nil else { continue }
            }
            let body = try StoreJSON.string(alertID.map(message.message(forAlert:)) ?? message.message)
            try await connection.run("""
                INSERT INTO outbox (idempotency_key, alert_id, kind, recipient, parent_id, body_json, state, next_attempt_at, created_at, message_id, email_author)
                VALUES (\(key), \(alertID), \(message.kind.rawValue), \(message.recipient), \(parentID), \(body)::jsonb, 'pending',
                        \(max(now, message.notBefore ?? now).pg), \(now.pg), \(message.messageID), \(message.emailAuthor))
                ON CONFLICT (idempotency_key) DO NOTHING
                """, logger: logger)
        }
    }

    func alerts(_ query: PostgresQuery) async throws -> [StoredAlert] {
        try await read { connection in try await connection.rows(query, logger: self.logger).compactMap(Self.storedAlert) }
    }

    /// An `alertColumns` row; nil for a body or status this build cannot read (a newer writer).
    static func storedAlert(_ row: PostgresRow) throws -> StoredAlert? {
        let (id, body, status, acknowledgedBy, acknowledgedAt, updatedAt) = try row.decode((Int64, String, String, String?, Double?, Double).self)
        guard let alert = try? StoreJSON.decoder.decode(Alert.self, from: Data(body.utf8)), let status = AlertStatus(rawValue: status) else { return nil }
        return StoredAlert(id: id, alert: alert, status: status, acknowledgedBy: acknowledgedBy,
                           acknowledgedAt: acknowledgedAt.map(Date.init(pg:)), updatedAt: Date(pg: updatedAt))
    }
}
