import Foundation
import GRDB
import TicketPulseStorage

extension SQLiteStore {
    public func audit(_ entry: AuditEntry) throws {
        try write { db in
            try db.executeCached(sql: "INSERT INTO audit_log (at, actor, action, detail, customer_ids, outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [entry.at.storeValue, entry.actor, entry.action, entry.detail, entry.customerIDs.joined(separator: ","),
                                       entry.outcome?.name ?? "", entry.outcome?.reason ?? ""])
        }
    }

    public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, action, detail, customer_ids, outcome, reason FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                let ids: String = row[4]
                return AuditEntry(at: Date(storeValue: row[0]), actor: row[1], action: row[2], detail: row[3],
                                  customerIDs: ids.isEmpty ? [] : ids.components(separatedBy: ","),
                                  outcome: AuditOutcome(name: row[5], reason: row[6]))
            }
        }
    }
}
