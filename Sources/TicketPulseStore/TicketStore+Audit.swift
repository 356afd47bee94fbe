import Foundation
import GRDB

/// One line of the audit log: who asked or did what, when, and which customers it showed.
public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var action: String
    public var detail: String
    public var customerIDs: [String]

    public init(at: Date, actor: String, action: String, detail: String, customerIDs: [String] = []) {
        self.at = at
        self.actor = actor
        self.action = action
        self.detail = detail
        self.customerIDs = customerIDs
    }
}

extension TicketStore {
    public func audit(_ entry: AuditEntry) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO audit_log (at, actor, action, detail, customer_ids) VALUES (?, ?, ?, ?, ?)",
                           arguments: [entry.at.storeValue, entry.actor, entry.action, entry.detail, entry.customerIDs.joined(separator: ",")])
        }
    }

    public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, action, detail, customer_ids FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                let ids: String = row[4]
                return AuditEntry(at: Date(storeValue: row[0]), actor: row[1], action: row[2], detail: row[3],
                                  customerIDs: ids.isEmpty ? [] : ids.components(separatedBy: ","))
            }
        }
    }
}
