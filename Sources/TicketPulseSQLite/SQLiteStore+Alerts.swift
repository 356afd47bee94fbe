import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    /// Alerts not yet resolved, for some customers or all.
    public func liveAlerts(customerIDs: [String]? = nil) throws -> [StoredAlert] {
        try read { db in
            if let customerIDs {
                guard !customerIDs.isEmpty else { return [] }
                return try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE status != 'resolved' AND customer_id IN (\(customerIDs.map { _ in "?" }.joined(separator: ",")))",
                                        arguments: StatementArguments(customerIDs)).compactMap(Self.storedAlert)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE status != 'resolved'").compactMap(Self.storedAlert)
        }
    }

    /// Which of these de-duplication keys ever alerted, in any state: an event (a rating, a
    /// new ticket) alerts once, ever.
    public func alertKeysSeen(_ keys: [String]) throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try read { db in
            var seen = Set<String>()
            for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min($0 + 500, keys.count)]) }) {
                let found = try String.fetchAll(db, sql: "SELECT DISTINCT dedup_key FROM alerts WHERE dedup_key IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                                                arguments: StatementArguments(chunk))
                seen.formUnion(found)
            }
            return seen
        }
    }

    public func alert(id: Int64) throws -> StoredAlert? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).flatMap(Self.storedAlert) }
    }

    /// Alerts detected in a period, newest first.
    public func alerts(detectedIn period: Period? = nil, limit: Int = 1000) throws -> [StoredAlert] {
        try read { db in
            if let period {
                return try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE detected_at >= ? AND detected_at < ? ORDER BY detected_at DESC, id DESC LIMIT ?",
                                        arguments: [period.start.storeValue, period.end.storeValue, limit]).compactMap(Self.storedAlert)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM alerts ORDER BY detected_at DESC, id DESC LIMIT ?", arguments: [limit]).compactMap(Self.storedAlert)
        }
    }

    /// Writes one detector pass's decisions (new, changed and resolved alerts, with their
    /// messages, digest items, tasks and health adjustments) in one transaction: an alert is
    /// never stored without its messages, nor a message without its alert. Returns the ids
    /// of the alerts opened.
    @discardableResult
    public func apply(_ plans: [AlertPlan], at now: Date) throws -> [Int64] {
        guard !plans.isEmpty else { return [] }
        return try write { db in
            var opened: [Int64] = []
            for plan in plans {
                let alertID: Int64
                var customerID: String?
                switch plan.change {
                case .open(let alert):
                    try db.execute(sql: """
                        INSERT INTO alerts (dedup_key, kind, severity, status, customer_id, body_json, detected_at, updated_at, pending_dms, silent)
                        VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)
                        """, arguments: [alert.dedupKey, alert.kind.rawValue, alert.severity.rawValue, alert.customerID,
                                         try StoreJSON.string(alert), alert.detectedAt.storeValue, now.storeValue,
                                         plan.dms.isEmpty && !plan.heldBack ? nil : try StoreJSON.string(PendingDMs(people: plan.dms, heldBack: plan.heldBack)),
                                         plan.silent])
                    alertID = db.lastInsertedRowID
                    customerID = alert.customerID
                    opened.append(alertID)
                case .update(let id, let alert):
                    try db.execute(sql: "UPDATE alerts SET severity = ?, body_json = ?, updated_at = ? WHERE id = ?",
                                   arguments: [alert.severity.rawValue, try StoreJSON.string(alert), now.storeValue, id])
                    alertID = id
                    customerID = alert.customerID
                case .resolve(let id):
                    try db.execute(sql: "UPDATE alerts SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?", arguments: [now.storeValue, now.storeValue, id])
                    alertID = id
                }
                try Self.enqueue(plan.messages, alertID: alertID, at: now, in: db)
                for email in plan.digestFor {
                    try db.execute(sql: "INSERT INTO digest_items (email, alert_id, created_at) VALUES (?, ?, ?)", arguments: [email.lowercased(), alertID, now.storeValue])
                }
                if let customerID {
                    for task in plan.tasks {
                        try db.execute(sql: "INSERT INTO tasks (alert_id, customer_id, title, assignee, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                       arguments: [alertID, customerID, task.title, task.assignee, task.dueAt.storeValue, now.storeValue])
                    }
                    for draft in plan.drafts {
                        try db.execute(sql: "INSERT INTO email_drafts (alert_id, customer_id, author, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                       arguments: [alertID, customerID, draft.author, draft.subject, draft.body, now.storeValue])
                    }
                    if let delta = plan.healthDelta {
                        try Self.adjustHealth(customerID: customerID, by: delta, reason: "alert \(alertID)", alertID: alertID, at: now, in: db)
                    }
                }
            }
            return opened
        }
    }

    /// Records a person's action on an alert (who, what, when), optionally moving its
    /// lifecycle, with the messages that show it, in one transaction.
    public func recordAlertAction(alertID: Int64, actor: String, action: String, detail: String = "", status: AlertStatus? = nil,
                                  messages: [OutboxMessage] = [], liveMessages: [LiveMessageRow] = [], at now: Date) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO alert_actions (alert_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [alertID, actor, action, detail, now.storeValue])
            if let status {
                if status == .acknowledged {
                    try db.execute(sql: "UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?, updated_at = ? WHERE id = ? AND status = 'open'",
                                   arguments: [actor, now.storeValue, now.storeValue, alertID])
                } else {
                    try db.execute(sql: "UPDATE alerts SET status = ?, updated_at = ? WHERE id = ?", arguments: [status.rawValue, now.storeValue, alertID])
                }
            }
            try Self.enqueue(messages, alertID: alertID, at: now, in: db)
            // The grouped messages that show the action, as they now stand, with the updates
            // that show them: together, so a crash leaves neither without the other.
            try Self.save(liveMessages, in: db)
        }
    }

    /// Who did what on an alert, oldest first.
    public func alertActions(alertID: Int64) throws -> [(actor: String, action: String, detail: String, at: Date)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT actor, action, detail, at FROM alert_actions WHERE alert_id = ? ORDER BY at, id", arguments: [alertID])
                .map { (actor: $0[0], action: $0[1], detail: $0[2], at: Date(storeValue: $0[3])) }
        }
    }

    public func tasks(alertID: Int64) throws -> [AlertTask] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT title, assignee, due_at FROM tasks WHERE alert_id = ? ORDER BY id", arguments: [alertID])
                .map { AlertTask(title: $0[0], assignee: $0[1], dueAt: Date(storeValue: $0[2])) }
        }
    }

    public func addTask(_ task: AlertTask, alertID: Int64?, customerID: String, at now: Date) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO tasks (alert_id, customer_id, title, assignee, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [alertID, customerID, task.title, task.assignee, task.dueAt.storeValue, now.storeValue])
        }
    }

    public func saveEmailDraft(alertID: Int64?, customerID: String, author: String, subject: String, body: String, at now: Date) throws {
        try write { db in
            try Self.insertDraft(alertID: alertID, customerID: customerID, author: author, subject: subject, body: body, at: now, in: db)
        }
    }

    /// An outreach email the CSM confirmed: kept with the customer's drafts (what was sent,
    /// by whom, when) and queued as an email row, in one transaction.
    public func queueOutreachEmail(_ message: OutboxMessage, alertID: Int64?, customerID: String, author: String, subject: String, body: String, at now: Date) throws {
        try write { db in
            try Self.insertDraft(alertID: alertID, customerID: customerID, author: author, subject: subject, body: body, at: now, in: db)
            try Self.enqueue([message], alertID: nil, at: now, in: db)
        }
    }

    static func insertDraft(alertID: Int64?, customerID: String, author: String, subject: String, body: String, at now: Date, in db: Database) throws {
        try db.execute(sql: "INSERT INTO email_drafts (alert_id, customer_id, author, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [alertID, customerID, author, subject, body, now.storeValue])
    }

    public func emailDrafts(alertID: Int64) throws -> [(author: String, subject: String, body: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT author, subject, body FROM email_drafts WHERE alert_id = ? ORDER BY id", arguments: [alertID]).map { ($0[0], $0[1], $0[2]) }
        }
    }

    /// A customer's saved drafts, oldest first, whether an alert or a question drafted them.
    public func emailDrafts(customerID: String) throws -> [(alertID: Int64?, author: String, subject: String, body: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT alert_id, author, subject, body FROM email_drafts WHERE customer_id = ? ORDER BY id", arguments: [customerID])
                .map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }

    /// The sum of workflow adjustments to a customer's health score.
    public func healthAdjustment(customerID: String) throws -> Double {
        try read { db in try Double.fetchOne(db, sql: "SELECT COALESCE(SUM(delta), 0) FROM health_adjustments WHERE customer_id = ?", arguments: [customerID]) ?? 0 }
    }

    /// Adjusts the roster's health score (clamped to 0–100) and keeps the adjustment, so
    /// the change is explained and can be audited.
    static func adjustHealth(customerID: String, by delta: Double, reason: String, alertID: Int64?, at now: Date, in db: Database) throws {
        try db.execute(sql: "INSERT INTO health_adjustments (customer_id, alert_id, delta, reason, at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [customerID, alertID, delta, reason, now.storeValue])
        try db.execute(sql: "UPDATE customers SET health_score = MIN(100, MAX(0, health_score + ?)) WHERE id = ? AND health_score IS NOT NULL",
                       arguments: [delta, customerID])
    }

    static func enqueue(_ messages: [OutboxMessage], alertID: Int64?, at now: Date, in db: Database) throws {
        for message in messages {
            let key = OutboxMessage.storeKey(message.key, alertID: alertID)
            var parentID: Int64?
            if let parentKey = message.parentKey {
                let fullParent = OutboxMessage.storeKey(parentKey, alertID: alertID)
                parentID = try Int64.fetchOne(db, sql: "SELECT id FROM outbox WHERE idempotency_key = ?", arguments: [fullParent])
                // Nothing to thread under or update: the parent was never routed here.
                guard parentID != nil else { continue }
            }
            try db.execute(sql: """
                INSERT INTO outbox (idempotency_key, alert_id, kind, recipient, parent_id, body_json, state, next_attempt_at, created_at, message_id, email_author)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT(idempotency_key) DO NOTHING
                """, arguments: [key, alertID, message.kind.rawValue, message.recipient, parentID,
                                 try StoreJSON.string(alertID.map(message.message(forAlert:)) ?? message.message),
                                 max(now, message.notBefore ?? now).storeValue, now.storeValue, message.messageID, message.emailAuthor])
        }
    }

    static func storedAlert(_ row: Row) -> StoredAlert? {
        let body: String = row["body_json"]
        guard let alert = try? StoreJSON.decoder.decode(Alert.self, from: Data(body.utf8)), let status = AlertStatus(rawValue: row["status"]) else { return nil }
        return StoredAlert(id: row["id"], alert: alert, status: status, acknowledgedBy: row["acknowledged_by"],
                           acknowledgedAt: (row["acknowledged_at"] as Double?).map(Date.init(storeValue:)), updatedAt: Date(storeValue: row["updated_at"]))
    }
}

extension SQLiteStore {
    /// The customer a stored ticket belongs to, if matched.
    public func customerID(ticketID: Int64) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT customer_id FROM tickets WHERE id = ?", arguments: [ticketID]) }
    }
}
